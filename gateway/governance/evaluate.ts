// The governance evaluator (STYLE §5): a pure function of the request, its limits, the time
// and optionally a snapshot of the counters. Loading limits and touching counters happen
// outside (enforce.ts). Checks run in this order, and the first failure decides:
//
//   1. the key is active and not expired                     → 401
//   2. the key may use this provider and this model          → 403
//   3. rate limits: concurrency, requests, tokens per window → 429 + retry-after
//      (provider-level: the provider is excluded from routing instead)
//   4. budgets: USD and tokens per window                    → 402
//      (provider-level: the provider is excluded from routing instead)
//
// Within 3 and 4, levels go from the narrowest owner to the widest (virtual key, user,
// team, customer), then model, then provider: see LEVEL_ORDER in types.ts.
import { matchesAnyGlob } from "../../lib/matching/glob";
import { effectiveUsage, wouldExceed } from "./counters";
import { buildCounterItems, type CounterItemOptions } from "./counter-items";
import { decisionForExceeded } from "./rejections";
import type { CounterItem, GovernanceLimits, GovernanceRequest, ItemUsage, ProviderExcludedDecision, RejectDecision } from "./types";

/** Raw counter values by key (concurrency keys: slots in use), e.g. read for a dashboard. */
export type CounterState = ReadonlyMap<string, number>;

export interface EvaluateOptions extends CounterItemOptions {
  readonly now: Date;
  /** When given, steps 3 and 4 are decided against it; otherwise the counters decide. */
  readonly counterState?: CounterState;
}

/** Steps 1–2 passed (and 3–4 against `counterState`, if any): reserve these items. */
export interface ReserveEvaluation {
  readonly kind: "reserve";
  readonly items: CounterItem[];
}

export type Evaluation = RejectDecision | ProviderExcludedDecision | ReserveEvaluation;

export function evaluate(request: GovernanceRequest, limits: GovernanceLimits, options: EvaluateOptions): Evaluation {
  const { key } = limits;
  const now = options.now;

  // 1. Key active and not expired. Unknown keys never get here (authentication answers 401).
  if (!key.active) {
    return reject401("key_inactive", `API key '${key.name}' is inactive or revoked.`);
  }
  if (key.expiresAt !== null && key.expiresAt.getTime() <= now.getTime()) {
    return reject401("key_expired", `API key '${key.name}' expired at ${key.expiresAt.toISOString()}.`);
  }

  // 2. Provider and model allowed (deny by default for models; matched against both
  //    `provider/model` and the bare model, so either spelling works as a rule).
  if (key.allowedProviders !== null && !matchesAnyGlob(key.allowedProviders, [request.provider])) {
    return reject403("provider_not_allowed", `API key '${key.name}' is not allowed to use provider '${request.provider}'.`);
  }
  if (!matchesAnyGlob(key.allowedModels, [`${request.provider}/${request.model}`, request.model])) {
    return reject403("model_not_allowed", `API key '${key.name}' is not allowed to use model '${request.provider}/${request.model}'.`);
  }

  // 3 and 4. Rate limits, then budgets: the items come out of buildCounterItems in that order.
  const items = buildCounterItems(request, limits, now, options);
  const state = options.counterState;
  if (state) {
    for (const item of items) {
      const usage = usageFromState(item, state);
      if (wouldExceed(item, usage)) return decisionForExceeded(item, usage, request.provider, now);
    }
  }
  return { kind: "reserve", items };
}

/** Builds a CounterState from the usage the counters report for these items. */
export function counterStateOf(items: readonly CounterItem[], usages: readonly ItemUsage[]): Map<string, number> {
  const state = new Map<string, number>();
  items.forEach((item, index) => {
    const usage = usages[index];
    if (!usage) return;
    state.set(item.key, usage.current);
    if (item.previousKey !== null) state.set(item.previousKey, usage.previous);
  });
  return state;
}

function usageFromState(item: CounterItem, state: CounterState): ItemUsage {
  const current = state.get(item.key) ?? 0;
  if (item.metric === "concurrent") return { current, previous: 0, effective: current };
  return effectiveUsage(item, current, item.previousKey === null ? 0 : (state.get(item.previousKey) ?? 0));
}

function reject401(code: "key_inactive" | "key_expired", message: string): RejectDecision {
  return { kind: "reject", status: 401, type: "invalid_request_error", code, message };
}

function reject403(code: "provider_not_allowed" | "model_not_allowed", message: string): RejectDecision {
  return { kind: "reject", status: 403, type: "permission_error", code, message };
}
