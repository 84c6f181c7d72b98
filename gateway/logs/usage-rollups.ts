// Aggregates a batch of log records into `usage_rollups` increments (hour and day).
// Pre-aggregating in memory is required, not just faster: one INSERT ... ON CONFLICT
// statement cannot update the same row twice.
import type { RequestLogRecord } from "./request-log-record";

export type Granularity = "hour" | "day";

export interface RollupIncrement {
  granularity: Granularity;
  bucket: Date;
  teamId: string;
  virtualKeyId: string;
  customerId: string;
  provider: string;
  model: string;
  statusClass: "2xx" | "4xx" | "5xx";
  requests: number;
  errors: number;
  cacheHits: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  reasoningTokens: number;
  costUsd: number;
  /** Sum of `cache_saved_usd` (what cache hits would have cost). */
  cacheSavedUsd: number;
  latencyMsSum: number;
}

export function statusClass(status: number): "2xx" | "4xx" | "5xx" {
  if (status >= 500) return "5xx";
  if (status >= 400) return "4xx";
  return "2xx";
}

/** Buckets are UTC (hour / day start), matching date_trunc on timestamptz in UTC. */
export function bucketStart(at: Date, granularity: Granularity): Date {
  const d = new Date(at.getTime());
  d.setUTCMinutes(0, 0, 0);
  if (granularity === "day") d.setUTCHours(0);
  return d;
}

export function aggregateRollups(records: readonly RequestLogRecord[]): RollupIncrement[] {
  const byKey = new Map<string, RollupIncrement>();
  for (const r of records) {
    for (const granularity of ["hour", "day"] as const) {
      const bucket = bucketStart(r.createdAt, granularity);
      const dims = {
        teamId: r.teamId ?? "",
        virtualKeyId: r.virtualKeyId ?? "",
        customerId: r.customerId ?? "",
        provider: r.provider ?? "",
        model: r.model ?? "",
        statusClass: statusClass(r.status),
      };
      const key = [granularity, bucket.toISOString(), dims.teamId, dims.virtualKeyId, dims.customerId, dims.provider, dims.model, dims.statusClass].join("\u0000");
      let row = byKey.get(key);
      if (!row) {
        row = { granularity, bucket, ...dims, requests: 0, errors: 0, cacheHits: 0, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, reasoningTokens: 0, costUsd: 0, cacheSavedUsd: 0, latencyMsSum: 0 };
        byKey.set(key, row);
      }
      row.requests += 1;
      row.errors += r.status >= 400 ? 1 : 0;
      row.cacheHits += r.cache.startsWith("hit") ? 1 : 0;
      row.inputTokens += r.inputTokens;
      row.outputTokens += r.outputTokens;
      row.cacheReadTokens += r.cacheReadTokens;
      row.reasoningTokens += r.reasoningTokens;
      row.costUsd += r.costUsd;
      row.cacheSavedUsd += r.cacheSavedUsd ?? 0;
      row.latencyMsSum += r.latencyMs;
    }
  }
  // Sorted so that concurrent writers (several replicas) lock rows in the same order
  // and cannot deadlock each other.
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
}

/** Dimensions of usage_rollup_dims ('none' = the total of the bucket). Same names as GET /api/v1/usage's group_by. */
export const ROLLUP_DIM_NAMES = ["none", "team", "virtual_key", "customer", "provider", "model", "status_class"] as const;
export type RollupDimName = (typeof ROLLUP_DIM_NAMES)[number];

export interface RollupDimIncrement extends Omit<RollupIncrement, "teamId" | "virtualKeyId" | "customerId" | "provider" | "model" | "statusClass"> {
  dimension: RollupDimName;
  value: string;
}

function dimValue(row: RollupIncrement, dimension: RollupDimName): string {
  switch (dimension) {
    case "none": return "";
    case "team": return row.teamId;
    case "virtual_key": return row.virtualKeyId;
    case "customer": return row.customerId;
    case "provider": return row.provider;
    case "model": return row.model;
    case "status_class": return row.statusClass;
  }
}

/** Folds a batch's (already aggregated) rollup increments into one row per dimension value. */
export function aggregateRollupDims(increments: readonly RollupIncrement[]): RollupDimIncrement[] {
  const byKey = new Map<string, RollupDimIncrement>();
  for (const inc of increments) {
    for (const dimension of ROLLUP_DIM_NAMES) {
      const value = dimValue(inc, dimension);
      const key = [inc.granularity, dimension, inc.bucket.toISOString(), value].join("\u0000");
      let row = byKey.get(key);
      if (!row) {
        row = { granularity: inc.granularity, bucket: inc.bucket, dimension, value, requests: 0, errors: 0, cacheHits: 0, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, reasoningTokens: 0, costUsd: 0, cacheSavedUsd: 0, latencyMsSum: 0 };
        byKey.set(key, row);
      }
      row.requests += inc.requests;
      row.errors += inc.errors;
      row.cacheHits += inc.cacheHits;
      row.inputTokens += inc.inputTokens;
      row.outputTokens += inc.outputTokens;
      row.cacheReadTokens += inc.cacheReadTokens;
      row.reasoningTokens += inc.reasoningTokens;
      row.costUsd += inc.costUsd;
      row.cacheSavedUsd += inc.cacheSavedUsd;
      row.latencyMsSum += inc.latencyMsSum;
    }
  }
  // Same lock-order rule as aggregateRollups.
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
}
