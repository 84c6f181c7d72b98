// Counter items of one configured limit on its own, for work that is not a request:
// seeding counters at start, persisting budget usage, and manual resets. They carry the
// same keys as the items a request reserves on (same limit, same window bucket).
import { buildCounterItems } from "./counter-items";
import type { BudgetLimit, CounterItem, GovernanceRequest, RateLimitRule } from "./types";

const NO_REQUEST: GovernanceRequest = {
  keyId: "",
  teamId: null,
  customerId: null,
  userId: null,
  provider: "",
  model: "",
  estimatedInputTokens: 0,
  maxOutputTokens: 0,
  estimatedCostNanoUsd: 0,
};

export function budgetItems(limit: BudgetLimit, now: Date): CounterItem[] {
  return buildCounterItems(NO_REQUEST, { budgets: [limit], rateLimits: [] }, now);
}

export function rateLimitItems(rule: RateLimitRule, now: Date): CounterItem[] {
  return buildCounterItems(NO_REQUEST, { budgets: [], rateLimits: [rule] }, now);
}
