// Which alert thresholds a budget's usage has reached, and which of those this process has
// already handled in the current window. Pure and synchronous: observe() runs after every
// settled request, so the common case ("nothing new crossed") must cost a few comparisons
// and no I/O.
import { usdToNano } from "../../lib/pricing/usd-units";

/** What PRODUCT §5.3 and the `budgets.alert_thresholds` column default to. */
export const DEFAULT_ALERT_THRESHOLDS: readonly number[] = [80, 95, 100];

export interface UsageAgainstLimit {
  readonly usedUsd: number;
  readonly usedTokens: number;
  readonly limitUsd?: number | null;
  readonly limitTokens?: number | null;
}

/** Positive integer percentages, ascending, without repeats; anything else is ignored. */
export function normalizeThresholds(thresholds: readonly number[]): number[] {
  const valid = thresholds.filter((t) => Number.isInteger(t) && t > 0 && t <= 100_000);
  return [...new Set(valid)].sort((a, b) => a - b);
}

/**
 * Thresholds (percent) reached by the usage of either limit, ascending. A threshold counts
 * as crossed once usage is at or above it. The comparison is exact integer arithmetic
 * (nano-dollars, tokens) — `0.29 * 100` is 28.999… in floating point and would miss 29%.
 * A limit of zero or less never raises alerts: such a budget blocks everything, and an
 * alert at 0 usage would be noise.
 */
export function crossedThresholds(usage: UsageAgainstLimit, thresholds: readonly number[]): number[] {
  const normalized = normalizedOnce(thresholds);
  if (normalized.length === 0) return [];
  const ratios: { used: number; limit: number }[] = [];
  if (usage.limitUsd != null && Number.isFinite(usage.limitUsd) && usage.limitUsd > 0 && Number.isFinite(usage.usedUsd)) {
    ratios.push({ used: Math.max(0, usdToNano(usage.usedUsd)), limit: usdToNano(usage.limitUsd) });
  }
  if (usage.limitTokens != null && Number.isFinite(usage.limitTokens) && usage.limitTokens > 0 && Number.isFinite(usage.usedTokens)) {
    ratios.push({ used: Math.max(0, Math.ceil(usage.usedTokens)), limit: Math.floor(usage.limitTokens) });
  }
  return normalized.filter((t) => ratios.some((r) => r.limit > 0 && reached(r.used, r.limit, t)));
}

// This runs for every budget on every request: the snapshot's threshold arrays are normalized
// once, not per call.
const normalizedThresholds = new WeakMap<readonly number[], number[]>();

function normalizedOnce(thresholds: readonly number[]): number[] {
  let normalized = normalizedThresholds.get(thresholds);
  if (normalized === undefined) {
    normalized = normalizeThresholds(thresholds);
    normalizedThresholds.set(thresholds, normalized);
  }
  return normalized;
}

/**
 * used × 100 ≥ percent × limit, for non-negative integers. In floating point wherever the two
 * sides are clearly apart (the products can pass 2^53, but their relative error stays far
 * below the margin); exactly, with BigInt, only near equality.
 */
function reached(used: number, limit: number, percent: number): boolean {
  const left = used * 100;
  const right = percent * limit;
  const margin = (left + right) * 1e-9;
  if (left > right + margin) return true;
  if (left < right - margin) return false;
  return BigInt(used) * 100n >= BigInt(percent) * BigInt(limit);
}

/**
 * Per budget: the window last seen and the thresholds already handled in it ("handled" =
 * this process inserted the alert row, or learned that another replica did). Only the
 * current window is kept per budget, so memory is bounded by the number of budgets.
 */
export class HandledThresholds {
  private readonly byBudget = new Map<string, { windowStartMs: number; handled: Set<number> }>();

  /**
   * Returns the thresholds among `crossed` not handled yet in this window and marks them
   * handled at once, so that concurrent observations of one crossing in this process
   * produce one insert. An observation of an older window than the one cached (a slow
   * request settling after the reset) returns nothing: that window is over.
   */
  claim(budgetId: string, windowStartMs: number, crossed: readonly number[]): number[] {
    let entry = this.byBudget.get(budgetId);
    if (entry && windowStartMs < entry.windowStartMs) return [];
    if (!entry || windowStartMs > entry.windowStartMs) {
      if (crossed.length === 0) return [];
      entry = { windowStartMs, handled: new Set() };
      this.byBudget.set(budgetId, entry);
    }
    const fresh = crossed.filter((t) => !entry.handled.has(t));
    for (const t of fresh) entry.handled.add(t);
    return fresh;
  }

  /** Undoes a claim whose insert failed, so that the next observation tries again. */
  release(budgetId: string, windowStartMs: number, thresholds: readonly number[]): void {
    const entry = this.byBudget.get(budgetId);
    if (!entry || entry.windowStartMs !== windowStartMs) return;
    for (const t of thresholds) entry.handled.delete(t);
  }

  get size(): number {
    return this.byBudget.size;
  }
}
