// Turns per-bucket request/cost sums from SQL into the dense series the overview chart
// draws: buckets with no traffic become zeros instead of gaps, so a quiet hour reads as
// a dip rather than a line drawn straight across it.

export type BucketUnit = "hour" | "day";

export interface UsageBucketRow {
  /** Start of the bucket (UTC-aligned). */
  bucket: Date;
  requests: number;
  errors: number;
  costUsd: number;
}

export interface UsagePoint {
  /** Epoch ms of the bucket start. */
  t: number;
  label: string;
  requests: number;
  errors: number;
  costUsd: number;
}

export interface UsageSeries {
  unit: BucketUnit;
  points: UsagePoint[];
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Hourly up to two days (24 h → 24 bars), daily beyond (7 d → 7, 30 d → 30). */
export function bucketUnitFor(spanMs: number): BucketUnit {
  return spanMs <= 2 * DAY_MS ? "hour" : "day";
}

export function bucketStart(time: Date | number, unit: BucketUnit): number {
  const ms = typeof time === "number" ? time : time.getTime();
  const size = unit === "hour" ? HOUR_MS : DAY_MS;
  return Math.floor(ms / size) * size;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** UTC labels: "14:00" for hours ("Nov 23" on midnight so days stay readable), "Nov 23" for days. */
export function bucketLabel(t: number, unit: BucketUnit): string {
  const d = new Date(t);
  const day = `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`;
  if (unit === "day" || d.getUTCHours() === 0) return day;
  return `${pad(d.getUTCHours())}:00`;
}

export function prepareUsageSeries(rows: readonly UsageBucketRow[], range: { from: Date; to: Date }): UsageSeries {
  const unit = bucketUnitFor(range.to.getTime() - range.from.getTime());
  const size = unit === "hour" ? HOUR_MS : DAY_MS;
  const byBucket = new Map<number, UsageBucketRow[]>();
  for (const row of rows) {
    // Rows may come finer-grained than the chosen unit; fold them into their bucket.
    const key = bucketStart(row.bucket, unit);
    byBucket.set(key, [...(byBucket.get(key) ?? []), row]);
  }
  const points: UsagePoint[] = [];
  const last = bucketStart(range.to.getTime() - 1, unit);
  for (let t = bucketStart(range.from, unit); t <= last; t += size) {
    const inBucket = byBucket.get(t) ?? [];
    points.push({
      t,
      label: bucketLabel(t, unit),
      requests: inBucket.reduce((sum, r) => sum + r.requests, 0),
      errors: inBucket.reduce((sum, r) => sum + r.errors, 0),
      // Round to micro-dollars so floating sums do not show as 0.30000000000000004.
      costUsd: Math.round(inBucket.reduce((sum, r) => sum + r.costUsd, 0) * 1e6) / 1e6,
    });
  }
  return { unit, points };
}
