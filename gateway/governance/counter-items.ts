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
    if (rule.maxConcurrent !== undefined) {
      items.push(concurrencyItem(prepared(rule, "concurrent", rateLimitRef), options.concurrencyLeaseMs ?? DEFAULT_CONCURRENCY_LEASE_MS));
    }
    if (rule.window === undefined) continue;
    if (rule.maxRequests !== undefined) items.push(windowItem(prepared(rule, "requests", rateLimitRef), 1, now));
    if (rule.maxTokens !== undefined) items.push(windowItem(prepared(rule, "tokens", rateLimitRef), requestTokens, now));
  }
  for (const budget of byLevel(limits.budgets)) {
    if (budget.limitUsd !== undefined) items.push(windowItem(prepared(budget, "usd", budgetRef), request.estimatedCostNanoUsd, now));
    if (budget.limitTokens !== undefined) items.push(windowItem(prepared(budget, "tokens", budgetRef), requestTokens, now));
  }
  return items;
}

/** The ref of one metric of a rate limit (called once per limit object and metric: see prepared()). */
function rateLimitRef(rule: RateLimitRule, metric: CounterMetric): LimitRef {
  const limit = metric === "concurrent" ? rule.maxConcurrent : metric === "requests" ? rule.maxRequests : rule.maxTokens;
  return { kind: "rate_limit", level: rule.level, entityId: rule.entityId, alignment: rule.alignment, ...nameOf(rule), metric, window: metric === "concurrent" ? null : (rule.window ?? null), limit: limit as number };
}

function budgetRef(budget: BudgetLimit, metric: CounterMetric): LimitRef {
  const limit = metric === "usd" ? usdToNano(budget.limitUsd as number) : (budget.limitTokens as number);
  return { kind: "budget", level: budget.level, entityId: budget.entityId, window: budget.window, alignment: budget.alignment, ...nameOf(budget), metric, limit };
}

/**
 * What a counter item of one limit has in common across requests: its ref, its key without
 * the bucket, and the current bucket (valid until it ends). The hot path used to rebuild all
 * three per request and per limit; limits are immutable objects of a config snapshot, so a
 * WeakMap keyed by them lives exactly as long as the snapshot does.
 */
interface PreparedLimit {
  readonly ref: LimitRef;
  readonly base: string;
  bucket: { readonly startMs: number; readonly endMs: number; readonly previousStartMs: number } | null;
}

const preparedByLimit = new WeakMap<object, Map<CounterMetric, PreparedLimit>>();

function prepared<L extends object>(limit: L, metric: CounterMetric, refOf: (limit: L, metric: CounterMetric) => LimitRef): PreparedLimit {
  let byMetric = preparedByLimit.get(limit);
  if (!byMetric) {
    byMetric = new Map();
    preparedByLimit.set(limit, byMetric);
  }
  let entry = byMetric.get(metric);
  if (!entry) {
    const ref = refOf(limit, metric);
    entry = { ref, base: limitKeyBase(ref), bucket: null };
    byMetric.set(metric, entry);
  }
  return entry;
}

function currentBucket(entry: PreparedLimit, window: string, now: Date): { startMs: number; endMs: number; previousStartMs: number } {
  const t = now.getTime();
  const cached = entry.bucket;
  if (cached && t >= cached.startMs && t < cached.endMs) return cached;
  const bucket = windowBounds(window, now, "calendar");
  const startMs = bucket.start.getTime();
  const previousStartMs = windowBounds(window, new Date(startMs - 1), "calendar").start.getTime();
  entry.bucket = { startMs, endMs: bucket.end.getTime(), previousStartMs };
  return entry.bucket;
}

/** Key of a limit without its window start: identifies the limit across config reloads. */
export function limitKeyBase(ref: LimitRef): string {
  const kind = ref.kind === "budget" ? "b" : "r";
  // Entity ids are free text (model globs, names); encoding keeps `:` unambiguous.
  return [kind, ref.level, encodeURIComponent(ref.entityId), ref.window ?? "-", ref.alignment, ref.metric].join(":");
}

function windowItem(entry: PreparedLimit, amount: number, now: Date): CounterItem {
  const { ref, base } = entry;
  const { startMs, endMs, previousStartMs } = currentBucket(entry, ref.window as string, now);
  const lengthMs = endMs - startMs;
  let previousKey: string | null = null;
  let previousWeightPpm = 0;
  if (ref.alignment === "rolling") {
    previousKey = `${base}:${previousStartMs}`;
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

function concurrencyItem({ ref, base }: PreparedLimit, leaseMs: number): CounterItem {
  return {
    key: base,
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
