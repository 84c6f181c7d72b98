import { describe, expect, it } from "vitest";
import type { UsageBucket, UsageReport } from "../logs/usage";
import { prepareUsageBreakdown } from "./prepare-usage-breakdown";

const METRICS_ZERO = { requests: 0, errors: 0, input_tokens: 0, output_tokens: 0, cache_read_tokens: 0, reasoning_tokens: 0, cost_usd: 0, cache_saved_usd: 0, cache_hits: 0, avg_latency_ms: null };
const at = (hour: number) => new Date(Date.UTC(2026, 2, 10, hour)).toISOString();
const bucket = (hour: number, group: string | null, m: Partial<UsageBucket>): UsageBucket => ({ ...METRICS_ZERO, bucket: at(hour), group, ...m });

function report(buckets: UsageBucket[], groupBy: UsageReport["group_by"] = "model"): UsageReport {
  return { from: at(0), to: at(4), granularity: "hour", group_by: groupBy, buckets, totals: { ...METRICS_ZERO } };
}

describe("prepareUsageBreakdown", () => {
  it("fills every bucket of the range, one column per group, sums as zeros where quiet", () => {
    const prepared = prepareUsageBreakdown(
      report([bucket(0, "a", { requests: 2, cost_usd: 0.1 }), bucket(0, "b", { requests: 1, cost_usd: 0.2 }), bucket(2, "a", { requests: 5, cost_usd: 0.3 })]),
      "cost",
    );
    expect(prepared.groups).toEqual([
      { key: "g0", label: "a", total: 0.4 },
      { key: "g1", label: "b", total: 0.2 },
    ]);
    expect(prepared.rows.map((r) => [r.label, r.g0, r.g1])).toEqual([
      ["Mar 10", 0.1, 0.2],
      ["01:00", 0, 0],
      ["02:00", 0.3, 0],
      ["03:00", 0, 0],
    ]);
    expect(prepared.total).toBeCloseTo(0.6, 9);
    expect(prepared.hasData).toBe(true);
  });

  it("weights rates by requests when folding groups and leaves gaps where nothing ran", () => {
    const prepared = prepareUsageBreakdown(
      report([bucket(1, "x", { requests: 1, errors: 1, avg_latency_ms: 1000 }), bucket(1, "y", { requests: 9, errors: 0, avg_latency_ms: 100 })]),
      "error_rate",
      1,
    );
    // maxGroups 1: everything folds into Other; 1 error in 10 requests is 10 %, not the 50 % mean of rates.
    expect(prepared.groups).toEqual([{ key: "other", label: "Other (2)", total: 10 }]);
    expect(prepared.rows.map((r) => r.other)).toEqual([null, 10, null, null]);
    const latency = prepareUsageBreakdown(report([bucket(1, "x", { requests: 1, avg_latency_ms: 1000 }), bucket(1, "y", { requests: 9, avg_latency_ms: 100 })], "none"), "latency");
    expect(latency.total).toBe(190);
    expect(latency.groups).toEqual([{ key: "g0", label: "All", total: 190 }]);
  });

  it("keeps the biggest groups, folds the rest into Other and labels absent groups", () => {
    const buckets = ["a", "b", "c", "d"].map((g, i) => bucket(0, g, { requests: 10 - i, input_tokens: (4 - i) * 100, output_tokens: 1 }));
    buckets.push(bucket(3, null, { requests: 1, input_tokens: 1000 }));
    const prepared = prepareUsageBreakdown(report(buckets, "team"), "tokens", 3);
    expect(prepared.groups.map((g) => [g.label, g.total])).toEqual([
      ["(no team)", 1000],
      ["a", 401],
      ["Other (3)", 301 + 201 + 101],
    ]);
    expect(prepared.rows[0]).toMatchObject({ g0: 0, g1: 401, other: 603 });
  });

  it("reports no data for an empty range", () => {
    const prepared = prepareUsageBreakdown(report([]), "cache_hit_rate");
    expect(prepared.hasData).toBe(false);
    expect(prepared.groups).toEqual([]);
    expect(prepared.rows).toHaveLength(4);
    expect(prepared.total).toBeNull();
  });
});
