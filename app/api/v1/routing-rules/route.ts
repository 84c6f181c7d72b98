// GET /api/v1/routing-rules (highest priority first) and POST (create). PRODUCT §4.1, §10.
import { parseInput } from "@/lib/admin/errors";
import { createRoutingRule, listRoutingRules } from "@/lib/admin/routing-rules";
import { createRoutingRuleInputSchema } from "@/lib/validation/admin-routing-rules";
import { handleAdmin, readJson } from "../_lib/admin-handler";
import { answeringConditionErrors } from "./condition-errors";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  return handleAdmin(request, "routing-rules:read", async ({ prisma }) => ({ data: await listRoutingRules(prisma) }));
}

export async function POST(request: Request): Promise<Response> {
  return handleAdmin(
    request,
    "routing-rules:write",
    answeringConditionErrors(async ({ prisma, actor }) => {
      const input = parseInput(createRoutingRuleInputSchema, await readJson(request));
      return { data: await createRoutingRule(prisma, actor, input), status: 201 };
    }),
  );
}
