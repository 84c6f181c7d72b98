// Usage of the budgets and rate limits that apply to a request's key, team and customer, as
// fractions of their limits — routing's CEL variables `budget_used` (USD budgets),
// `tokens_used` (token budgets and token rate limits) and `requests_used` (request rate
// limits), each the highest fraction among the applicable limits in their current window.
//
// Read-only: the counters are read (Counters.usage), never reserved on. Routing calls this
// only when a compiled rule mentions one of the variables (CompiledRuleSet.usesUsage), so the
// Redis deployment pays the extra round trip only when it buys something.
import type { LimitIndex } from "./applicable-limits";
import { applicableLimits } from "./applicable-limits";
import { buildCounterItems } from "./counter-items";
import type { CounterItem, GovernanceRequest, ItemUsage, LimitLevel } from "./types";

export interface UsageFractions {
  readonly budgetUsed: number;
  readonly tokensUsed: number;
  readonly requestsUsed: number;
}

export const NO_USAGE_FRACTIONS: UsageFractions = Object.freeze({ budgetUsed: 0, tokensUsed: 0, requestsUsed: 0 });

export interface UsageOwners {
  readonly keyId: string;
  readonly teamId: string | null;
  readonly customerId: string | null;
}

const OWNER_LEVELS: ReadonlySet<LimitLevel> = new Set(["virtual_key", "team", "customer"]);

/** Zero-amount counter items of the key's, team's and customer's windowed limits. */
export function ownerUsageItems(index: LimitIndex, owners: UsageOwners, now: Date): CounterItem[] {
  const probe: GovernanceRequest = { ...owners, userId: null, provider: "", model: "", estimatedInputTokens: 0, maxOutputTokens: 0, estimatedCostNanoUsd: 0 };
  const all = applicableLimits(probe, index);
  const limits = { budgets: all.budgets.filter((b) => OWNER_LEVELS.has(b.level)), rateLimits: all.rateLimits.filter((r) => OWNER_LEVELS.has(r.level)) };
  return buildCounterItems(probe, limits, now).filter((item) => item.metric !== "concurrent");
}

function fraction(usage: ItemUsage, limit: number): number {
  // A zero limit is fully used by definition (it admits nothing).
  if (limit <= 0) return 1;
  return Math.min(1, Math.max(0, usage.effective / limit));
}

export function usageFractions(items: readonly CounterItem[], usages: readonly ItemUsage[]): UsageFractions {
  let budgetUsed = 0;
  let tokensUsed = 0;
  let requestsUsed = 0;
  items.forEach((item, i) => {
    const usage = usages[i];
    if (!usage) return;
    const f = fraction(usage, item.limit);
    if (item.metric === "usd") budgetUsed = Math.max(budgetUsed, f);
    else if (item.metric === "tokens") tokensUsed = Math.max(tokensUsed, f);
    else if (item.metric === "requests") requestsUsed = Math.max(requestsUsed, f);
  });
  return { budgetUsed, tokensUsed, requestsUsed };
}

/** One counters read (one Redis pipeline round trip); no limits → no read at all. */
export async function readUsageFractions(
  counters: { usage(items: readonly CounterItem[], now?: Date): Promise<ItemUsage[]> },
  index: LimitIndex,
  owners: UsageOwners,
  now: Date,
): Promise<UsageFractions> {
  const items = ownerUsageItems(index, owners, now);
  if (items.length === 0) return NO_USAGE_FRACTIONS;
  return usageFractions(items, await counters.usage(items, now));
}
