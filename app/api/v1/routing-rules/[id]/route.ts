// GET / PATCH / DELETE /api/v1/routing-rules/:id. PATCH replaces `targets` / `fallbacks` as
// whole lists when given.
import { parseInput } from "@/lib/admin/errors";
import { deleteRoutingRule, getRoutingRule, updateRoutingRule } from "@/lib/admin/routing-rules";
import { updateRoutingRuleInputSchema } from "@/lib/validation/admin-routing-rules";
import { handleAdmin, readJson, type IdParams } from "../../_lib/admin-handler";
import { answeringConditionErrors } from "../condition-errors";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: IdParams): Promise<Response> {
  const { id } = await params;
  return handleAdmin(request, "routing-rules:read", async ({ prisma }) => ({ data: await getRoutingRule(prisma, id) }));
}

export async function PATCH(request: Request, { params }: IdParams): Promise<Response> {
  const { id } = await params;
  return handleAdmin(
    request,
    "routing-rules:write",
    answeringConditionErrors(async ({ prisma, actor }) => {
      const input = parseInput(updateRoutingRuleInputSchema, await readJson(request));
      return { data: await updateRoutingRule(prisma, actor, id, input) };
    }),
  );
}

export async function DELETE(request: Request, { params }: IdParams): Promise<Response> {
  const { id } = await params;
  return handleAdmin(request, "routing-rules:write", async ({ prisma, actor }) => ({ data: await deleteRoutingRule(prisma, actor, id) }));
}
