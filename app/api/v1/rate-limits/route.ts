// GET /api/v1/rate-limits?entity_type=&entity_id= and POST (create). PRODUCT §5.4. Rate
// limits share the budgets:* permissions (one "budgets and limits" area, PRODUCT §8).
import { parseInput, parseQuery } from "@/lib/admin/errors";
import { createRateLimit, listRateLimits } from "@/lib/admin/rate-limits";
import { createRateLimitInputSchema, rateLimitsQuerySchema } from "@/lib/validation/admin-limits";
import { handleAdmin, readJson } from "../_lib/admin-handler";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  return handleAdmin(request, "budgets:read", async ({ prisma, actor }) => {
    const query = parseQuery(rateLimitsQuerySchema, new URL(request.url).searchParams);
    return { data: await listRateLimits(prisma, actor, query) };
  });
}

export async function POST(request: Request): Promise<Response> {
  return handleAdmin(request, "budgets:write", async ({ prisma, actor }) => {
    const input = parseInput(createRateLimitInputSchema, await readJson(request));
    return { data: await createRateLimit(prisma, actor, input), status: 201 };
  });
}
