// Step 3a — the usage variables of routing rules (`budget_used`, `tokens_used`,
// `requests_used`): read from the counters before routing, and only when some compiled rule
// mentions them (decided at compile time), so that a deployment without such rules never
// pays a Redis round trip for them. An unreachable counter store reads as "nothing used":
// routing goes on (governance still enforces the limits themselves at step 5).
import type { ConfigSnapshot } from "../config/snapshot";
import type { GatewayDeps } from "../gateway-deps";
import { readUsageFractions, type UsageFractions } from "../governance/usage-fractions";
import type { AuthenticatedKey } from "./authenticate";

export async function readRoutingUsage(deps: Pick<GatewayDeps, "governance" | "log">, snapshot: ConfigSnapshot, auth: AuthenticatedKey, requestId: string): Promise<UsageFractions | undefined> {
  if (!snapshot.routing.rules.usesUsage) return undefined;
  const owners = { keyId: auth.key.id, teamId: auth.team?.id ?? null, customerId: auth.customer?.id ?? null };
  try {
    return await readUsageFractions(deps.governance, snapshot.limits.index, owners, new Date());
  } catch (error) {
    deps.log(`request ${requestId}: usage for routing rules unavailable, treated as 0: ${(error as Error)?.message ?? String(error)}`);
    return undefined;
  }
}
