// Numbers and chart series for the overview page, from request_logs.
//
// Aggregates run on the raw log table for now; when the gateway fills usage_rollups
// these should read the rollups instead (PRODUCT §7.4: millions of rows).
import { Prisma, type PrismaClient } from "@/lib/db/client";
import { bucketUnitFor, prepareUsageSeries, type UsageSeries } from "@/lib/charts/prepare-usage-series";
import { logScopeSql, logScopeWhere, type LogScope } from "@/lib/rbac/log-scope";

export const OVERVIEW_RANGES = {
  "24h": { label: "Last 24 hours", ms: 24 * 3600_000 },
  "7d": { label: "Last 7 days", ms: 7 * 24 * 3600_000 },
  "30d": { label: "Last 30 days", ms: 30 * 24 * 3600_000 },
} as const;
export type OverviewRange = keyof typeof OVERVIEW_RANGES;

export function parseOverviewRange(value: unknown): OverviewRange {
  return typeof value === "string" && value in OVERVIEW_RANGES ? (value as OverviewRange) : "24h";
}

export interface OverviewTotals {
  requests: number;
  errors: number;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
  avgLatencyMs: number | null;
}

export interface Overview {
  range: OverviewRange;
  from: Date;
  to: Date;
  totals: OverviewTotals;
  series: UsageSeries;
}

export async function getOverview(prisma: PrismaClient, scope: LogScope, range: OverviewRange, now: Date = new Date()): Promise<Overview> {
  const to = now;
  const from = new Date(now.getTime() - OVERVIEW_RANGES[range].ms);
  const where: Prisma.RequestLogWhereInput = { AND: [logScopeWhere(scope), { createdAt: { gte: from, lt: to } }] };
  const unit = bucketUnitFor(to.getTime() - from.getTime());

  const [sums, errors, buckets] = await Promise.all([
    prisma.requestLog.aggregate({
      where,
      _count: { _all: true },
      _sum: { costUsd: true, inputTokens: true, outputTokens: true },
      _avg: { latencyMs: true },
    }),
    prisma.requestLog.count({ where: { AND: [where, { status: { gte: 400 } }] } }),
    prisma.$queryRaw<{ bucket: Date; requests: bigint; errors: bigint; cost_usd: Prisma.Decimal | null }[]>`
      SELECT date_trunc(${unit}, created_at, 'UTC') AS bucket,
             count(*) AS requests,
             count(*) FILTER (WHERE status >= 400) AS errors,
             sum(cost_usd) AS cost_usd
        FROM request_logs
       WHERE created_at >= ${from} AND created_at < ${to} AND ${logScopeSql(scope)}
       GROUP BY 1`,
  ]);

  return {
    range,
    from,
    to,
    totals: {
      requests: sums._count._all,
      errors,
      costUsd: Number(sums._sum.costUsd ?? 0),
      inputTokens: sums._sum.inputTokens ?? 0,
      outputTokens: sums._sum.outputTokens ?? 0,
      avgLatencyMs: sums._avg.latencyMs === null ? null : Math.round(sums._avg.latencyMs),
    },
    series: prepareUsageSeries(
      buckets.map((b) => ({ bucket: b.bucket, requests: Number(b.requests), errors: Number(b.errors), costUsd: Number(b.cost_usd ?? 0) })),
      { from, to },
    ),
  };
}
