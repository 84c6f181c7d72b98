// From one settled request to the alert monitor's observations: every budget the request
// counted against (key, user, team, customer, model, provider), with its usage right after
// the settle. The values come back from the settle itself (SettleReading), so this is pure
// arithmetic on the hot path: no counter read, no I/O.
//
// Window: the bucket the reservation was made in (admission time), which is also the bucket
// settle() wrote to, so a request straddling midnight is attributed to the window it was
// charged in. For rolling budgets the usage is the current bucket's alone (the previous
// bucket's weighted share is not read back), and `windowStart` is that bucket's start: stable
// for the whole bucket, as observe() requires.
import { nanoToUsd } from "../../lib/pricing/usd-units";
import { budgetItems } from "../governance/limit-items";
import type { ConfiguredBudget } from "../governance/limit-catalog";
import type { Reservation } from "../governance/types";
import type { BudgetUsageObservation } from "./alert-monitor";

export function budgetObservations(budgets: readonly ConfiguredBudget[], reservation: Reservation, after: readonly (number | null)[], admittedAt: Date): BudgetUsageObservation[] {
  const observations: BudgetUsageObservation[] = [];
  for (const budget of budgets) {
    let usedUsd = 0;
    let usedTokens = 0;
    let bucket: { startMs: number; endMs: number } | null = null;
    for (const item of budgetItems(budget.limit, admittedAt)) {
      const index = reservation.items.findIndex((reserved) => reserved.key === item.key);
      const value = index < 0 ? null : (after[index] ?? null);
      if (value === null || item.bucketStartMs === null || item.bucketEndMs === null) continue;
      if (item.metric === "usd") usedUsd = nanoToUsd(value);
      else usedTokens = value;
      bucket = { startMs: item.bucketStartMs, endMs: item.bucketEndMs };
    }
    // Not among the reserved items (a config reload between admit and settle): nothing known.
    if (bucket === null) continue;
    const { limit } = budget;
    observations.push({
      budgetId: budget.id,
      entityType: limit.level,
      entityId: limit.entityId,
      entityName: limit.entityName ?? null,
      window: limit.window,
      windowStart: new Date(bucket.startMs),
      windowEnd: new Date(bucket.endMs),
      limitUsd: limit.limitUsd ?? null,
      limitTokens: limit.limitTokens ?? null,
      usedUsd,
      usedTokens,
      thresholds: budget.alertThresholds,
    });
  }
  return observations;
}
