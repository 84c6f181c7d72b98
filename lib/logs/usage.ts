// Usage aggregates for charts and finance (GET /api/v1/usage), read from usage_rollups —
// never from request_logs, whose millions of rows are too many to sum per chart.
// Rollups store '' for an absent dimension (no team, no customer...); the API answers null.
import { Prisma, type PrismaClient } from "../db/client";
import { logScopeSql, type LogScope } from "../rbac/log-scope";
import { MAX_DAILY_RANGE_MS, MAX_HOURLY_RANGE_MS, type UsageGroup, type UsageQuery } from "../validation/usage";
import type { QueryIssue } from "../validation/query-params";
import { csvResponse, csvStream } from "./csv";

/** Without `from`, usage covers the 7 days before `to` (default now). */
export const DEFAULT_USAGE_RANGE_MS = 7 * 24 * 3600_000;
/** Without `granularity`, ranges up to this long get hourly buckets, longer ones daily. */
export const AUTO_HOURLY_MAX_MS = 3 * 24 * 3600_000;

export interface UsageMetrics {
  requests: number;
  errors: number;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  reasoning_tokens: number;
  cost_usd: number;
  cache_saved_usd: number;
  cache_hits: number;
  avg_latency_ms: number | null;
}

export interface UsageBucket extends UsageMetrics {
  bucket: string;
  /** The group's name (team, key, customer) or value (provider, model, status class); null when absent. */
  group?: string | null;
  /** The group's id for team / virtual_key / customer (also set when the entity was since deleted). */
  group_id?: string | null;
}

export interface UsageReport {
  from: string;
  to: string;
  granularity: "hour" | "day";
  group_by: UsageGroup;
  buckets: UsageBucket[];
  totals: UsageMetrics;
}

export interface ResolvedUsageQuery {
  from: Date;
  to: Date;
  granularity: "hour" | "day";
  groupBy: UsageGroup;
}

function truncate(at: Date, granularity: "hour" | "day"): Date {
  const d = new Date(at.getTime());
  d.setUTCMinutes(0, 0, 0);
  if (granularity === "day") d.setUTCHours(0);
  return d;
}

/**
 * Fills in the defaults and checks the range: `from` is rounded down to its bucket start
 * (UTC, as the gateway buckets rollups) and a bucket is included when it starts before `to`.
 */
export function resolveUsageQuery(query: UsageQuery, now: Date = new Date()): { ok: true; value: ResolvedUsageQuery } | { ok: false; issues: QueryIssue[] } {
  const to = query.to ?? now;
  const rawFrom = query.from ?? new Date(to.getTime() - DEFAULT_USAGE_RANGE_MS);
  if (rawFrom >= to) return { ok: false, issues: [{ path: "from", message: "from must be before to" }] };
  const span = to.getTime() - rawFrom.getTime();
  const granularity = query.granularity ?? (span <= AUTO_HOURLY_MAX_MS ? "hour" : "day");
  const max = granularity === "hour" ? MAX_HOURLY_RANGE_MS : MAX_DAILY_RANGE_MS;
  if (span > max) {
    return { ok: false, issues: [{ path: "from", message: `a range of at most ${max / 86_400_000} days for granularity=${granularity}` }] };
  }
  return { ok: true, value: { from: truncate(rawFrom, granularity), to, granularity, groupBy: query.group_by ?? "none" } };
}

// Identifiers come from this fixed map, never from the request.
const GROUP_COLUMN: Record<UsageGroup, Prisma.Sql> = {
  none: Prisma.sql`''`,
  team: Prisma.sql`team_id`,
  virtual_key: Prisma.sql`virtual_key_id`,
  customer: Prisma.sql`customer_id`,
  provider: Prisma.sql`provider`,
  model: Prisma.sql`model`,
  status_class: Prisma.sql`status_class`,
};

interface RawUsageRow {
  bucket: Date;
  group_key: string;
  requests: bigint;
  errors: bigint;
  cache_hits: bigint;
  input_tokens: bigint;
  output_tokens: bigint;
  cache_read_tokens: bigint;
  reasoning_tokens: bigint;
  cost_usd: Prisma.Decimal | null;
  cache_saved_usd: Prisma.Decimal | null;
  latency_ms_sum: bigint;
}

interface Sums {
  requests: number;
  errors: number;
  cacheHits: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  reasoningTokens: number;
  costUsd: number;
  cacheSavedUsd: number;
  latencyMsSum: number;
}

function toMetrics(s: Sums): UsageMetrics {
  return {
    requests: s.requests,
    errors: s.errors,
    input_tokens: s.inputTokens,
    output_tokens: s.outputTokens,
    cache_read_tokens: s.cacheReadTokens,
    reasoning_tokens: s.reasoningTokens,
    // Rounded to the micro-dollar so that float noise from summing does not leak to clients.
    cost_usd: Math.round(s.costUsd * 1e6) / 1e6,
    cache_saved_usd: Math.round(s.cacheSavedUsd * 1e6) / 1e6,
    cache_hits: s.cacheHits,
    avg_latency_ms: s.requests > 0 ? Math.round(s.latencyMsSum / s.requests) : null,
  };
}

async function groupLabels(prisma: PrismaClient, groupBy: UsageGroup, keys: string[]): Promise<Map<string, string>> {
  const ids = keys.filter((k) => k !== "");
  if (ids.length === 0) return new Map();
  // One query per dimension, however many buckets reference the entity.
  const rows =
    groupBy === "team"
      ? await prisma.team.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })
      : groupBy === "virtual_key"
        ? await prisma.virtualKey.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })
        : groupBy === "customer"
          ? await prisma.customer.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })
          : [];
  return new Map(rows.map((r) => [r.id, r.name]));
}

const ENTITY_GROUPS: ReadonlySet<UsageGroup> = new Set(["team", "virtual_key", "customer"]);

export async function getUsage(prisma: PrismaClient, scope: LogScope, q: ResolvedUsageQuery): Promise<UsageReport> {
  // logScopeSql names virtual_key_id / team_id, which usage_rollups has too; '' (absent)
  // never equals a real id, so a member sees only rows of their own keys.
  const raw = scope.kind === "all" ? await orgWideUsage(prisma, q) : await scopedUsage(prisma, scope, q);
  return buildReport(prisma, q, raw);
}

/**
 * Views that see everything read usage_rollup_dims: one row per bucket and value of the
 * grouped dimension, so "7 days by hour, by team" sums a few thousand rows instead of every
 * (team, key, customer, provider, model, status) combination.
 */
function orgWideUsage(prisma: PrismaClient, q: ResolvedUsageQuery): Promise<RawUsageRow[]> {
  return prisma.$queryRaw<RawUsageRow[]>`
    SELECT bucket,
           value AS group_key,
           sum(requests)::bigint AS requests,
           sum(errors)::bigint AS errors,
           sum(cache_hits)::bigint AS cache_hits,
           sum(input_tokens)::bigint AS input_tokens,
           sum(output_tokens)::bigint AS output_tokens,
           sum(cache_read_tokens)::bigint AS cache_read_tokens,
           sum(reasoning_tokens)::bigint AS reasoning_tokens,
           sum(cost_usd) AS cost_usd,
           sum(cache_saved_usd) AS cache_saved_usd,
           sum(latency_ms_sum)::bigint AS latency_ms_sum
      FROM usage_rollup_dims
     WHERE granularity = ${q.granularity}::"RollupGranularity"
       AND dimension = ${q.groupBy}
       AND bucket >= ${q.from}::timestamptz AND bucket < ${q.to}::timestamptz
     GROUP BY 1, 2
     ORDER BY 1, 2`;
}

function scopedUsage(prisma: PrismaClient, scope: LogScope, q: ResolvedUsageQuery): Promise<RawUsageRow[]> {
  return prisma.$queryRaw<RawUsageRow[]>`
    SELECT bucket,
           ${GROUP_COLUMN[q.groupBy]} AS group_key,
           sum(requests)::bigint AS requests,
           sum(errors)::bigint AS errors,
           sum(cache_hits)::bigint AS cache_hits,
           sum(input_tokens)::bigint AS input_tokens,
           sum(output_tokens)::bigint AS output_tokens,
           sum(cache_read_tokens)::bigint AS cache_read_tokens,
           sum(reasoning_tokens)::bigint AS reasoning_tokens,
           sum(cost_usd) AS cost_usd,
           sum(cache_saved_usd) AS cache_saved_usd,
           sum(latency_ms_sum)::bigint AS latency_ms_sum
      FROM usage_rollups
     WHERE granularity = ${q.granularity}::"RollupGranularity"
       AND bucket >= ${q.from}::timestamptz AND bucket < ${q.to}::timestamptz
       AND ${logScopeSql(scope)}
     GROUP BY 1, 2
     ORDER BY 1, 2`;
}

async function buildReport(prisma: PrismaClient, q: ResolvedUsageQuery, raw: RawUsageRow[]): Promise<UsageReport> {
  const labels = await groupLabels(prisma, q.groupBy, [...new Set(raw.map((r) => r.group_key))]);
  const total: Sums = { requests: 0, errors: 0, cacheHits: 0, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, reasoningTokens: 0, costUsd: 0, cacheSavedUsd: 0, latencyMsSum: 0 };
  const buckets = raw.map((r): UsageBucket => {
    const sums: Sums = {
      requests: Number(r.requests),
      errors: Number(r.errors),
      cacheHits: Number(r.cache_hits),
      inputTokens: Number(r.input_tokens),
      outputTokens: Number(r.output_tokens),
      cacheReadTokens: Number(r.cache_read_tokens),
      reasoningTokens: Number(r.reasoning_tokens),
      costUsd: Number(r.cost_usd ?? 0),
      cacheSavedUsd: Number(r.cache_saved_usd ?? 0),
      latencyMsSum: Number(r.latency_ms_sum),
    };
    for (const key of Object.keys(total) as (keyof Sums)[]) total[key] += sums[key];
    const bucket: UsageBucket = { bucket: r.bucket.toISOString(), ...toMetrics(sums) };
    if (q.groupBy === "none") return bucket;
    const id = r.group_key === "" ? null : r.group_key;
    if (ENTITY_GROUPS.has(q.groupBy)) return { bucket: bucket.bucket, group: id === null ? null : (labels.get(id) ?? id), group_id: id, ...toMetrics(sums) };
    return { bucket: bucket.bucket, group: id, ...toMetrics(sums) };
  });
  return { from: q.from.toISOString(), to: q.to.toISOString(), granularity: q.granularity, group_by: q.groupBy, buckets, totals: toMetrics(total) };
}

const METRIC_COLUMNS = ["requests", "errors", "input_tokens", "output_tokens", "cache_read_tokens", "reasoning_tokens", "cost_usd", "cache_saved_usd", "cache_hits", "avg_latency_ms"] as const;

export function usageCsvResponse(report: UsageReport, now: Date = new Date()): Response {
  const grouped = report.group_by !== "none";
  const header = ["bucket", ...(grouped ? ["group", "group_id"] : []), ...METRIC_COLUMNS];
  async function* batches() {
    yield report.buckets;
  }
  const stream = csvStream(header, batches(), (b: UsageBucket) => [
    b.bucket,
    ...(grouped ? [b.group, b.group_id] : []),
    ...METRIC_COLUMNS.map((m) => b[m]),
  ]);
  return csvResponse(stream, `switchyard-usage-${now.toISOString().slice(0, 19).replaceAll(":", "-")}.csv`);
}
