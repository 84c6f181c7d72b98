// POST /api/v1/routing/explain: which rule, targets and fallbacks a described request would
// take, and why (PRODUCT §4.5). The gateway holds the compiled rules and the live state
// (cooldowns, budget usage), so this proxies to its `/admin/routing/explain` with a
// short-lived internal token; its JSON is answered as is, an unreachable gateway is a 502.
import { parseInput } from "@/lib/admin/errors";
import { explainRoute } from "@/lib/admin/routing-rules";
import { explainRequestInputSchema } from "@/lib/validation/admin-routing-rules";
import { handleAdmin, readJson } from "../../_lib/admin-handler";

export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  return handleAdmin(request, "routing:explain", async ({ actor }) => {
    const input = parseInput(explainRequestInputSchema, await readJson(request));
    return explainRoute(actor, input);
  });
}
