// POST /api/v1/routing-rules/reorder {ids}: drag to reorder; the first id gets the highest
// priority. Answers the reordered rules in their new order.
import { parseInput } from "@/lib/admin/errors";
import { reorderRoutingRules } from "@/lib/admin/routing-rules";
import { reorderRoutingRulesInputSchema } from "@/lib/validation/admin-routing-rules";
import { handleAdmin, readJson } from "../../_lib/admin-handler";

export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  return handleAdmin(request, "routing-rules:write", async ({ prisma, actor }) => {
    const input = parseInput(reorderRoutingRulesInputSchema, await readJson(request));
    return { data: await reorderRoutingRules(prisma, actor, input) };
  });
}
