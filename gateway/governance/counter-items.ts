// Turns the limits that apply to a request into counter items, in decision order
// (rate limits before budgets, narrowest level first: see LEVEL_ORDER).
//
// Windows and keys:
// - Every windowed counter key ends with the start (ms) of its calendar bucket, so counters
//   reset at window boundaries by simply moving to a new key; old keys expire (TTL).
// - Calendar windows (the default for budgets) check the current bucket only: exact.
// - Rolling windows (the default for rate limits) use the sliding-window approximation:
//   used ≈ current bucket + previous bucket × (fraction of the previous bucket still inside
//   the trailing window), assuming the previous bucket's usage was spread evenly. Exact when
//   usage is uniform; otherwise off by at most the previous bucket's unevenness, never by
//   more than one window's worth. It costs two counters per limit instead of one entry per
//   request (sorted sets), which matters for token and USD counters.
// - Max-concurrency counters are sets of reservation ids with a lease expiry, so a replica
//   that dies mid-request cannot leak a slot for longer than the lease.
import { windowBounds } from "../../lib/durations/windows";
import { usdToNano } from "../../lib/pricing/usd-units";
import {
  LEVEL_ORDER,
  type BudgetLimit,
  type CounterItem,
  type CounterMetric,
  type GovernanceRequest,
  type LimitRef,
  type RateLimitRule,
} from "./types";

/** A request that runs longer than this loses its concurrency slot (crash safety). */
export const DEFAULT_CONCURRENCY_LEASE_MS = 15 * 60_000;

// Counters live for two windows (the previous bucket is still read by rolling windows) plus
// a margin for settlements of requests that started just before the boundary.
const TTL_MARGIN_MS = 60 * 60_000;

const PPM = 1_000_000;

export interface CounterItemOptions {
  readonly concurrencyLeaseMs?: number;
}

export interface ApplicableLimits {
  readonly budgets: readonly BudgetLimit[];
  readonly rateLimits: readonly RateLimitRule[];
}

export function buildCounterItems(
  request: GovernanceRequest,
  limits: ApplicableLimits,
  now: Date,
  options: CounterItemOptions = {},
): CounterItem[] {
  const requestTokens = request.estimatedInputTokens + request.maxOutputTokens;
  const items: CounterItem[] = [];
  for (const rule of byLevel(limits.rateLimits)) {
    const base = { kind: "rate_limit" as const, level: rule.level, entityId: rule.entityId, alignment: rule.alignment, ...nameOf(rule) };
    if (rule.maxConcurrent !== undefined) {
      const ref: LimitRef = { ...base, metric: "concurrent", window: null, limit: rule.maxConcurrent };
      items.push(concurrencyItem(ref, options.concurrencyLeaseMs ?? DEFAULT_CONCURRENCY_LEASE_MS));
    }
    if (rule.window === undefined) continue;
    if (rule.maxRequests !== undefined) {
      items.push(windowItem({ ...base, metric: "requests", window: rule.window, limit: rule.maxRequests }, 1, now));
    }
    if (rule.maxTokens !== undefined) {
      items.push(windowItem({ ...base, metric: "tokens", window: rule.window, limit: rule.maxTokens }, requestTokens, now));
    }
  }
  for (const budget of byLevel(limits.budgets)) {
    const base = { kind: "budget" as const, level: budget.level, entityId: budget.entityId, window: budget.window, alignment: budget.alignment, ...nameOf(budget) };
    if (budget.limitUsd !== undefined) {
      items.push(windowItem({ ...base, metric: "usd", limit: usdToNano(budget.limitUsd) }, request.estimatedCostNanoUsd, now));
    }
    if (budget.limitTokens !== undefined) {
      items.push(windowItem({ ...base, metric: "tokens", limit: budget.limitTokens }, requestTokens, now));
    }
  }
  return items;
}

/** Key of a limit without its window start: identifies the limit across config reloads. */
export function limitKeyBase(ref: LimitRef): string {
  const kind = ref.kind === "budget" ? "b" : "r";
  // Entity ids are free text (model globs, names); encoding keeps `:` unambiguous.
  return [kind, ref.level, encodeURIComponent(ref.entityId), ref.window ?? "-", ref.alignment, ref.metric].join(":");
}

function windowItem(ref: LimitRef & { window: string }, amount: number, now: Date): CounterItem {
  const bucket = windowBounds(ref.window, now, "calendar");
  const startMs = bucket.start.getTime();
  const endMs = bucket.end.getTime();
  const lengthMs = endMs - startMs;
  const base = limitKeyBase(ref);
  let previousKey: string | null = null;
  let previousWeightPpm = 0;
  if (ref.alignment === "rolling") {
    const previousStart = windowBounds(ref.window, new Date(startMs - 1), "calendar").start.getTime();
    previousKey = `${base}:${previousStart}`;
    previousWeightPpm = Math.round(((endMs - now.getTime()) / lengthMs) * PPM);
  }
  return {
    key: `${base}:${startMs}`,
    previousKey,
    previousWeightPpm,
    metric: ref.metric,
    amount: Math.max(0, Math.ceil(amount)),
    limit: ref.limit,
    ttlMs: 2 * lengthMs + TTL_MARGIN_MS,
    bucketStartMs: startMs,
    bucketEndMs: endMs,
    ref,
  };
}

function concurrencyItem(ref: LimitRef, leaseMs: number): CounterItem {
  return {
    key: limitKeyBase(ref),
    previousKey: null,
    previousWeightPpm: 0,
    metric: "concurrent" satisfies CounterMetric,
    amount: 1,
    limit: ref.limit,
    ttlMs: leaseMs,
    bucketStartMs: null,
    bucketEndMs: null,
    ref,
  };
}

function byLevel<T extends { level: BudgetLimit["level"] }>(limits: readonly T[]): T[] {
  // Array.prototype.sort is stable, so limits of one level keep their configured order.
  return [...limits].sort((a, b) => LEVEL_ORDER.indexOf(a.level) - LEVEL_ORDER.indexOf(b.level));
}

function nameOf(limit: { entityName?: string }): { entityName?: string } {
  return limit.entityName === undefined ? {} : { entityName: limit.entityName };
}
