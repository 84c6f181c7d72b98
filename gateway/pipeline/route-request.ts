// Step 3 — route: the routing core (gateway/routing/resolve-route.ts) turns the request into
// an ordered chain of attempts: the matched rule's weighted targets (drawn by weight), then
// its fallbacks; without a rule, the explicit `provider/model`, the key's providers or the
// catalog. Targets that cannot take the request right now (disabled, wrong request type,
// open circuit, every key cooling down) are left out with a reason. An empty chain is the
// client's error: the reason of the first candidate decides which one.
import type { IncomingHttpHeaders } from "node:http";
import { matchGlob } from "../../lib/matching/glob";
import type { ConfigSnapshot } from "../config/snapshot";
import { GatewayError, gatewayErrors } from "../errors";
import { resolveRoute, type RouteResolution, type RouteStep } from "../routing/resolve-route";
import type { RoutingHealthView } from "../routing/target-exclusions";
import type { RouteRequest } from "../routing/types";
import type { RandomSource } from "../routing/weighted-pick";
import type { AuthenticatedKey } from "./authenticate";
import type { ChatRequest } from "./decode-chat-request";
import type { ResolvedTarget } from "./resolved-target";

export interface PlannedAttempt extends ResolvedTarget {
  readonly role: RouteStep["role"];
  /** A rule target pinned to one provider key; null = any key of the pool. */
  readonly providerKey: string | null;
}

export interface RoutePlan {
  readonly resolution: RouteResolution;
  /** The usage fractions the rules saw (kept so a chain restart re-plans with the same ones). */
  readonly usage: RouteRequest["usage"];
  readonly attempts: readonly PlannedAttempt[];
}

/**
 * The key's allow-list as provider names for the "key's providers" resolution step. Globs
 * are expanded against the snapshot; a `*` means the key does not narrow routing at all.
 */
function allowedProviderNames(auth: AuthenticatedKey, snapshot: ConfigSnapshot): string[] {
  const patterns = auth.key.allowedProviders;
  if (patterns.includes("*")) return [];
  return [...snapshot.providersByName.keys()].filter((name) => patterns.some((p) => matchGlob(p, name)));
}

export interface RouteRequestInput {
  model: string;
  requestType: string;
  headers: IncomingHttpHeaders;
  body?: Record<string, unknown>;
  metadata?: Record<string, string>;
  usage?: RouteRequest["usage"];
}

export function routeRequestOf(auth: AuthenticatedKey | null, snapshot: ConfigSnapshot, input: RouteRequestInput): RouteRequest {
  return {
    model: input.model,
    requestType: input.requestType,
    headers: input.headers,
    ...(input.body ? { body: input.body } : {}),
    key: auth ? { id: auth.key.id, name: auth.key.name, allowedProviders: allowedProviderNames(auth, snapshot) } : null,
    team: auth?.team ? { id: auth.team.id, name: auth.team.name } : null,
    customer: auth?.customer ? { id: auth.customer.id, name: auth.customer.name } : null,
    metadata: input.metadata ?? {},
    tags: auth?.key.tags ?? [],
    ...(input.usage ? { usage: input.usage } : {}),
  };
}

function emptyChainError(resolution: RouteResolution): GatewayError {
  const requested = resolution.requestedModel;
  const first = resolution.candidates[0];
  if (!first?.excluded) return gatewayErrors.modelNotFound(requested, resolution.noRuleReason ?? "no route");
  const { reason, detail } = first.excluded;
  switch (reason) {
    case "request_type_not_accepted":
      return new GatewayError({ status: 400, type: "invalid_request_error", code: "unsupported_request_type", param: "model", message: `${detail} (gateway configuration).`, source: "gateway" });
    case "no_usable_key":
    case "provider_key_unknown":
      return new GatewayError({ status: 503, type: "server_error", code: "no_provider_key", message: `${detail} (gateway configuration or every key cooling down).`, source: "gateway", provider: first.provider, retryable: true });
    case "circuit_open":
      return new GatewayError({ status: 503, type: "server_error", code: "circuit_open", message: `${detail}; retry later.`, source: "gateway", provider: first.provider, retryable: true });
    default:
      return gatewayErrors.modelNotFound(requested, detail);
  }
}

export function planRoute(request: ChatRequest, requestType: string, headers: IncomingHttpHeaders, auth: AuthenticatedKey, snapshot: ConfigSnapshot, health: RoutingHealthView, random: RandomSource, usage?: RouteRequest["usage"]): RoutePlan {
  const routeRequest = routeRequestOf(auth, snapshot, { model: request.model, requestType, headers, body: request.body as Record<string, unknown>, usage });
  const resolution = resolveRoute(routeRequest, snapshot.routing, health, random);
  const attempts: PlannedAttempt[] = [];
  for (const step of resolution.chain) {
    const provider = snapshot.providersByName.get(step.provider);
    if (provider) attempts.push({ role: step.role, provider, model: step.model, providerKey: step.providerKey });
  }
  if (attempts.length === 0) throw emptyChainError(resolution);
  return { resolution, usage, attempts };
}
