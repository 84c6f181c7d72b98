// Query string of GET /api/v1/usage: a time range, a bucket size and one grouping
// dimension over usage_rollups (PRODUCT §7.4).
import { z } from "zod";
import { parseQueryParams, type ParseResult } from "./query-params";

export const USAGE_GROUPS = ["none", "team", "virtual_key", "customer", "provider", "model", "status_class"] as const;
export type UsageGroup = (typeof USAGE_GROUPS)[number];

/** Hourly buckets over more than this would be thousands of points per group; ask for days. */
export const MAX_HOURLY_RANGE_MS = 31 * 24 * 3600_000;
/** Daily buckets are kept as long as rollups are (they are not dropped with log partitions). */
export const MAX_DAILY_RANGE_MS = 2 * 366 * 24 * 3600_000;

const isoTime = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

export const usageQuerySchema = z
  .strictObject({
    from: isoTime.optional(),
    to: isoTime.optional(),
    granularity: z.enum(["hour", "day"]).optional(),
    group_by: z.enum(USAGE_GROUPS).optional(),
    format: z.enum(["json", "csv"]).optional(),
  })
  .superRefine((q, ctx) => {
    if (q.from && q.to && q.from >= q.to) ctx.addIssue({ code: "custom", path: ["from"], message: "from must be before to" });
  });

export type UsageQuery = z.output<typeof usageQuerySchema>;

export function parseUsageQuery(params: URLSearchParams): ParseResult<UsageQuery> {
  return parseQueryParams(usageQuerySchema, params);
}
