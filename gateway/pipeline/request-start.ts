// The first lines every inference handler shares (chat, translated APIs, embeddings): the
// configuration snapshot the request will see, and the authenticated key copied onto the trace.
import type { ConfigSnapshot } from "../config/snapshot";
import { GatewayError } from "../errors";
import type { GatewayDeps } from "../gateway-deps";
import type { AuthenticatedKey } from "./authenticate";
import type { RequestTrace } from "./request-trace";

/** The snapshot is read once: the request sees one consistent configuration. */
export function requireSnapshot(deps: GatewayDeps): ConfigSnapshot {
  const snapshot = deps.snapshots.current;
  if (!snapshot) {
    throw new GatewayError({ status: 503, type: "server_error", code: "not_ready", message: "The gateway has not loaded its configuration yet.", source: "gateway", retryable: true });
  }
  return snapshot;
}

export function traceAuthenticatedKey(trace: RequestTrace, auth: AuthenticatedKey): void {
  Object.assign(trace, {
    virtualKeyId: auth.key.id,
    virtualKeyName: auth.key.name,
    teamId: auth.team?.id ?? null,
    teamName: auth.team?.name ?? null,
    customerId: auth.customer?.id ?? null,
    customerName: auth.customer?.name ?? null,
    userId: auth.key.userId,
    tags: auth.key.tags,
  } satisfies Partial<RequestTrace>);
}
