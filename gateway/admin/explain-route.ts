// POST /admin/routing/explain — the dashboard's explain proxy (app/api/v1/routing/explain)
// and operators call this to see what a described request would do (PRODUCT §4.5): the
// matched rule, the candidate targets with their weights and shares, every exclusion with
// its reason, and the fallback chain. It runs the same routing core as the hot path
// (explainRoute) on this gateway's live state: key cooldowns, circuit breakers, and the
// governance counters — a provider over its own budget or rate limit shows as excluded
// ("over_limit"), and the usage variables the rules would see are read for the key. Every
// counter access here is a read; explain never reserves.
//
// Body (snake_case, strict — the dashboard validates with the same schema before proxying):
//   { model, request_type?, headers?, virtual_key_id? | virtual_key_name?, metadata?, tags? }
import { explainRequestInputSchema, type ExplainRequestInput } from "../../lib/validation/admin-routing-rules";
import type { ConfigSnapshot } from "../config/snapshot";
import { asGatewayError, GatewayError, gatewayErrors } from "../errors";
import type { GatewayDeps } from "../gateway-deps";
import { applicableLimits } from "../governance/applicable-limits";
import { buildCounterItems } from "../governance/counter-items";
import type { CounterItem, GovernanceRequest } from "../governance/types";
import { readUsageFractions, type UsageFractions } from "../governance/usage-fractions";
import { readBody } from "../http/read-body";
import type { RequestContext } from "../http/request-context";
import { sendError, sendJson } from "../http/respond";
import type { AuthenticatedKey } from "../pipeline/authenticate";
import { routeRequestOf } from "../pipeline/route-request";
import { explainRoute, type RouteExplanation } from "../routing/explain";
import type { RouteRequest } from "../routing/types";

const MAX_EXPLAIN_BODY_BYTES = 256 * 1024;

export interface ExplainResponse extends RouteExplanation {
  /** The key the request was explained for, or null when none was given. */
  readonly virtualKey: { readonly id: string; readonly name: string; readonly teamId: string | null; readonly customerId: string | null } | null;
  /** What the usage variables of the rules were (0 without a key). */
  readonly usage: { readonly budget_used: number; readonly tokens_used: number; readonly requests_used: number };
  /** Live state that could not be read (e.g. Redis down); the answer is then without it. */
  readonly warnings: readonly string[];
}

async function decodeInput(ctx: RequestContext): Promise<ExplainRequestInput> {
  const raw = await readBody(ctx.req, MAX_EXPLAIN_BODY_BYTES);
  let json: unknown;
  try {
    json = JSON.parse(raw.toString("utf8"));
  } catch (error) {
    throw gatewayErrors.invalidJson((error as Error).message);
  }
  const parsed = explainRequestInputSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.length ? i.path.join(".") : "body"}: ${i.message}`);
    throw gatewayErrors.invalidRequest(`Invalid explain request: ${issues.join("; ")}`, parsed.error.issues[0]?.path.join(".") || null);
  }
  return parsed.data;
}

function findKey(snapshot: ConfigSnapshot, input: ExplainRequestInput): AuthenticatedKey | null {
  if (input.virtual_key_id === undefined && input.virtual_key_name === undefined) return null;
  // The snapshot is indexed by hash for the hot path; an admin lookup can afford a scan.
  for (const { key } of snapshot.virtualKeysByHash.values()) {
    if (key.id !== input.virtual_key_id && key.name !== input.virtual_key_name) continue;
    const team = key.teamId ? (snapshot.teamsById.get(key.teamId) ?? null) : null;
    const customerId = key.customerId ?? team?.customerId ?? null;
    return { key, team, customer: customerId ? (snapshot.customersById.get(customerId) ?? null) : null };
  }
  const what = input.virtual_key_id !== undefined ? `id '${input.virtual_key_id}'` : `name '${input.virtual_key_name}'`;
  throw new GatewayError({ status: 404, type: "invalid_request_error", code: "virtual_key_not_found", message: `No virtual key with ${what}.`, source: "gateway" });
}

function describeLimit(item: CounterItem, used: number): string {
  const { ref } = item;
  const amount = (n: number) => (ref.metric === "usd" ? `$${(n / 1e9).toFixed(4)}` : `${n} ${ref.metric}`);
  const kind = ref.kind === "budget" ? "budget" : ref.metric === "concurrent" ? "concurrency limit" : "rate limit";
  const window = ref.window ? `${ref.window} ` : "";
  return `Provider '${ref.entityName ?? ref.entityId}' is over its ${window}${ref.metric} ${kind} (${amount(used)} of ${amount(item.limit)} used)`;
}

/**
 * Provider-level limits, read-only: a target is over when one more request (or one more
 * nano-dollar / token) would not fit — what admission would answer with "providerExcluded".
 */
async function providerOverLimit(deps: GatewayDeps, snapshot: ConfigSnapshot, pairs: ReadonlyArray<{ provider: string; model: string }>, now: Date): Promise<Map<string, string>> {
  const over = new Map<string, string>();
  const items: CounterItem[] = [];
  const owners: string[] = [];
  for (const { provider, model } of pairs) {
    const probe: GovernanceRequest = { keyId: "", teamId: null, customerId: null, userId: null, provider, model, estimatedInputTokens: 0, maxOutputTokens: 0, estimatedCostNanoUsd: 0 };
    const all = applicableLimits(probe, snapshot.limits.index);
    const limits = { budgets: all.budgets.filter((b) => b.level === "provider"), rateLimits: all.rateLimits.filter((r) => r.level === "provider") };
    for (const item of buildCounterItems(probe, limits, now)) {
      items.push(item);
      owners.push(`${provider}/${model}`);
    }
  }
  if (items.length === 0) return over;
  const usages = await deps.governance.usage(items, now);
  items.forEach((item, i) => {
    const used = usages[i]?.effective ?? 0;
    const owner = owners[i] as string;
    if (used + 1 > item.limit && !over.has(owner)) over.set(owner, describeLimit(item, used));
  });
  return over;
}

function usageVariables(usage: UsageFractions | undefined): ExplainResponse["usage"] {
  return { budget_used: usage?.budgetUsed ?? 0, tokens_used: usage?.tokensUsed ?? 0, requests_used: usage?.requestsUsed ?? 0 };
}

async function explain(ctx: RequestContext, deps: GatewayDeps): Promise<ExplainResponse> {
  await deps.adminAuth.authenticate(ctx.req.headers);
  const snapshot = deps.snapshots.current;
  if (!snapshot) throw new GatewayError({ status: 503, type: "server_error", code: "not_ready", message: "The gateway has not loaded its configuration yet.", source: "gateway", retryable: true });
  const input = await decodeInput(ctx);
  const auth = findKey(snapshot, input);
  const now = new Date();
  const warnings: string[] = [];

  let usage: UsageFractions | undefined;
  if (auth) {
    try {
      usage = await readUsageFractions(deps.governance, snapshot.limits.index, { keyId: auth.key.id, teamId: auth.team?.id ?? null, customerId: auth.customer?.id ?? null }, now);
    } catch (error) {
      warnings.push(`usage variables unavailable (read as 0): ${(error as Error).message}`);
    }
  }
  const base = routeRequestOf(auth, snapshot, { model: input.model, requestType: input.request_type ?? "chat", headers: input.headers ?? {}, metadata: input.metadata ?? {}, ...(usage ? { usage } : {}) });
  const request: RouteRequest = input.tags === undefined ? base : { ...base, tags: input.tags };

  // Pass 1 finds the candidates; their provider limits are read in one go; pass 2 explains
  // with those verdicts (resolution is pure and cheap, the counters read is the only I/O).
  const candidates = explainRoute(request, snapshot.routing, deps.routing.view()).candidates;
  let over = new Map<string, string>();
  try {
    over = await providerOverLimit(deps, snapshot, candidates, now);
  } catch (error) {
    warnings.push(`provider limits unavailable (not checked): ${(error as Error).message}`);
  }
  const explanation = explainRoute(request, snapshot.routing, deps.routing.view((provider, model) => over.get(`${provider}/${model}`) ?? null));
  return {
    ...explanation,
    virtualKey: auth ? { id: auth.key.id, name: auth.key.name, teamId: auth.team?.id ?? null, customerId: auth.customer?.id ?? null } : null,
    usage: usageVariables(usage),
    warnings,
  };
}

export async function handleExplainRoute(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  try {
    sendJson(ctx.res, 200, await explain(ctx, deps));
  } catch (error) {
    sendError(ctx.res, asGatewayError(error));
  }
}
