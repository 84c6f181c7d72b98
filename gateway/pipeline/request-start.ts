// The first lines every inference handler shares (chat, translated APIs, embeddings): the
// configuration snapshot the request will see, and the authenticated key copied onto the trace.
import type { ConfigSnapshot } from "../config/snapshot";
import { GatewayError, gatewayErrors } from "../errors";
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

/** The body as a JSON object, or the 400 every API answers for anything else. */
export function parseJsonObject(raw: Buffer): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString("utf8"));
  } catch (error) {
    throw gatewayErrors.invalidJson((error as Error).message);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw gatewayErrors.invalidRequest("Request body must be a JSON object.");
  return parsed as Record<string, unknown>;
}
