// Turns a GET /api/v1/usage report (buckets × one grouping dimension) into what the
// overview's metric chart draws (STYLE §9: prepare here, draw in components/overview):
// one dense row per time bucket, one column per group — the largest groups by the chosen
// metric, the rest folded into "Other" so the legend stays readable. Rates (error rate,
// cache hit rate, latency) are recomputed from their numerator and denominator when groups
// or buckets are combined; averaging averages would weigh a 1-request group like a busy one.
import type { UsageBucket, UsageReport } from "../logs/usage";
import { bucketLabel, bucketStart } from "./prepare-usage-series";

export const USAGE_METRICS = {
  cost: { label: "Spend", unit: "usd", kind: "sum" },
  requests: { label: "Requests", unit: "count", kind: "sum" },
  tokens: { label: "Tokens", unit: "count", kind: "sum" },
  latency: { label: "Avg latency", unit: "ms", kind: "rate" },
  error_rate: { label: "Error rate", unit: "percent", kind: "rate" },
  cache_hit_rate: { label: "Cache hit rate", unit: "percent", kind: "rate" },
} as const;
export type UsageMetricId = keyof typeof USAGE_METRICS;
export type MetricUnit = (typeof USAGE_METRICS)[UsageMetricId]["unit"];

/** [numerator, denominator]; sums have denominator 1 per bucket so they simply add up. */
function parts(metric: UsageMetricId, b: UsageBucket): [number, number] {
  switch (metric) {
    case "cost":
      return [b.cost_usd, 0];
    case "requests":
      return [b.requests, 0];
    case "tokens":
      return [b.input_tokens + b.output_tokens, 0];
    case "latency":
      // The API gives an average per row; × requests restores the sum it came from.
      return [(b.avg_latency_ms ?? 0) * b.requests, b.avg_latency_ms === null ? 0 : b.requests];
    case "error_rate":
      return [b.errors * 100, b.requests];
    case "cache_hit_rate":
      return [b.cache_hits * 100, b.requests];
  }
}

function value(metric: UsageMetricId, [num, den]: [number, number]): number | null {
  if (USAGE_METRICS[metric].kind === "sum") return USAGE_METRICS[metric].unit === "usd" ? Math.round(num * 1e6) / 1e6 : num;
  // No requests in a bucket: no rate at all (a gap), rather than a misleading 0 %.
  return den > 0 ? Math.round((num / den) * 100) / 100 : null;
}

export interface BreakdownGroup {
  /** Column key in `rows` ("g0", "g1", …, "other"): group names may be anything, keys may not. */
  key: string;
  label: string;
  total: number | null;
}

export interface UsageBreakdown {
  metric: UsageMetricId;
  unit: MetricUnit;
  granularity: "hour" | "day";
  groups: BreakdownGroup[];
  /** `{ t, label, g0, g1, … }` per bucket, oldest first, every bucket of the range present. */
  rows: Record<string, number | string | null>[];
  /** The whole range, all groups together. */
  total: number | null;
  /** Whether any request happened at all (an empty chart says so instead of drawing zeros). */
  hasData: boolean;
}

const HOUR_MS = 3_600_000;

function groupName(bucket: UsageBucket, groupBy: UsageReport["group_by"]): string {
  if (groupBy === "none") return "All";
  if (bucket.group === null || bucket.group === undefined) return groupBy === "status_class" ? "unknown" : `(no ${groupBy.replace("_", " ")})`;
  return bucket.group;
}

export function prepareUsageBreakdown(report: UsageReport, metric: UsageMetricId, maxGroups = 6): UsageBreakdown {
  const unit = report.granularity;
  const size = unit === "hour" ? HOUR_MS : 24 * HOUR_MS;
  const add = (map: Map<string, [number, number]>, key: string, [n, d]: [number, number]) => {
    const current = map.get(key) ?? [0, 0];
    map.set(key, [current[0] + n, current[1] + d]);
  };

  // Rank groups by their total of the metric (by request count for rates: the busiest first).
  const byGroup = new Map<string, [number, number]>();
  const ranking = new Map<string, number>();
  for (const b of report.buckets) {
    const name = groupName(b, report.group_by);
    add(byGroup, name, parts(metric, b));
    ranking.set(name, (ranking.get(name) ?? 0) + (USAGE_METRICS[metric].kind === "sum" ? parts(metric, b)[0] : b.requests));
  }
  const ranked = [...ranking.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([name]) => name);
  const shown = ranked.length > maxGroups ? ranked.slice(0, maxGroups - 1) : ranked;
  const keyOf = new Map(shown.map((name, i) => [name, `g${i}`]));
  const others = ranked.filter((name) => !keyOf.has(name));

  const groups: BreakdownGroup[] = shown.map((name, i) => ({ key: `g${i}`, label: name, total: value(metric, byGroup.get(name)!) }));
  if (others.length > 0) {
    const folded = others.reduce<[number, number]>((acc, name) => {
      const [n, d] = byGroup.get(name)!;
      return [acc[0] + n, acc[1] + d];
    }, [0, 0]);
    groups.push({ key: "other", label: `Other (${others.length})`, total: value(metric, folded) });
  }

  const cells = new Map<number, Map<string, [number, number]>>();
  const overall: [number, number] = [0, 0];
  for (const b of report.buckets) {
    const t = bucketStart(new Date(b.bucket), unit);
    const row = cells.get(t) ?? new Map<string, [number, number]>();
    cells.set(t, row);
    const p = parts(metric, b);
    add(row, keyOf.get(groupName(b, report.group_by)) ?? "other", p);
    overall[0] += p[0];
    overall[1] += p[1];
  }

  const rows: Record<string, number | string | null>[] = [];
  const first = bucketStart(new Date(report.from), unit);
  const last = bucketStart(new Date(report.to).getTime() - 1, unit);
  for (let t = first; t <= last; t += size) {
    const row: Record<string, number | string | null> = { t, label: bucketLabel(t, unit) };
    const inBucket = cells.get(t);
    for (const group of groups) {
      const cell = inBucket?.get(group.key);
      // Sums: a quiet bucket is a real 0. Rates: no requests = no value (a gap in the line).
      row[group.key] = cell ? value(metric, cell) : USAGE_METRICS[metric].kind === "sum" ? 0 : null;
    }
    rows.push(row);
  }

  return {
    metric,
    unit: USAGE_METRICS[metric].unit,
    granularity: unit,
    groups,
    rows,
    total: value(metric, overall),
    hasData: report.buckets.some((b) => b.requests > 0),
  };
}
