// Query strings of GET /api/v1/logs and its CSV export (PRODUCT §7.4): every filter of the
// log search. Unknown parameters are rejected so that a typo (`provder=`) is a 400, not an
// unfiltered — and silently wrong — answer.
import { z } from "zod";
import { decodeCursor, UUID_RE } from "../logs/cursor";
import { parseQueryParams, type ParseResult } from "./query-params";

export const MAX_LOGS_LIMIT = 200;
export const DEFAULT_LOGS_LIMIT = 50;
/** CSV exports stop after this many rows (API contract, see app/api/v1/logs/export.csv/route.ts); narrow the filters for more. */
export const MAX_EXPORT_ROWS = 100_000;

const statusFilter = z.union(
  [
    z.string().regex(/^[1-5]\d\d$/).transform((s) => ({ kind: "exact" as const, status: Number(s) })),
    z.enum(["1xx", "2xx", "3xx", "4xx", "5xx"]).transform((c) => ({ kind: "class" as const, min: Number(c[0]) * 100 })),
    z.literal("error").transform(() => ({ kind: "error" as const })),
  ],
  { error: 'expected a status code (e.g. 429), a class (2xx, 4xx, 5xx) or "error"' },
);

const nonEmpty = z.string().trim().min(1).max(256);
const isoTime = z.iso.datetime({ offset: true }).transform((s) => new Date(s));
const nonNegativeInt = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const nonNegativeNumber = z.coerce.number().min(0).max(1e12);
const bool = z.enum(["true", "false"], { error: 'expected "true" or "false"' }).transform((v) => v === "true");

/** "hit" means either kind of cache hit; the rest are the stored cache states. */
export const CACHE_FILTERS = ["hit", "hit-exact", "hit-semantic", "miss", "bypass", "none"] as const;

const tagList = z
  .string()
  .transform((s) => [...new Set(s.split(",").map((t) => t.trim()).filter((t) => t !== ""))])
  .pipe(z.array(z.string().max(256)).min(1, { error: "expected one or more comma-separated tags" }).max(20));

/** Filters shared by the JSON listing and the CSV export. */
const filterShape = {
  from: isoTime.optional(),
  to: isoTime.optional(),
  provider: nonEmpty.optional(),
  model: nonEmpty.optional(),
  status: statusFilter.optional(),
  /** A virtual key id or name. */
  virtual_key: nonEmpty.optional(),
  /** A team id or name. */
  team: nonEmpty.optional(),
  /** A customer id or name. */
  customer: nonEmpty.optional(),
  cache: z.enum(CACHE_FILTERS).optional(),
  routing_rule: nonEmpty.optional(),
  /** Comma-separated; `tags_match=any` for at least one, else all of them. */
  tags: tagList.optional(),
  tags_match: z.enum(["any", "all"]).optional(),
  min_latency_ms: nonNegativeInt.optional(),
  max_latency_ms: nonNegativeInt.optional(),
  min_cost_usd: nonNegativeNumber.optional(),
  max_cost_usd: nonNegativeNumber.optional(),
  /** input + output tokens. */
  min_tokens: nonNegativeInt.optional(),
  max_tokens: nonNegativeInt.optional(),
  is_stream: bool.optional(),
  error_type: nonEmpty.optional(),
  /** Full text over model, provider, key, team, customer, rule, error and tags; a log id matches exactly. */
  q: z.string().trim().min(1).max(500).optional(),
};

type Ranged = Partial<Record<"from" | "to", Date> & Record<`${"min" | "max"}_${"latency_ms" | "cost_usd" | "tokens"}`, number>> & {
  tags?: string[];
  tags_match?: "any" | "all";
};

function checkRanges(q: Ranged, ctx: z.RefinementCtx): void {
  if (q.from && q.to && q.from >= q.to) ctx.addIssue({ code: "custom", path: ["from"], message: "from must be before to" });
  for (const name of ["latency_ms", "cost_usd", "tokens"] as const) {
    const min = q[`min_${name}`];
    const max = q[`max_${name}`];
    if (min !== undefined && max !== undefined && min > max) {
      ctx.addIssue({ code: "custom", path: [`min_${name}`], message: `min_${name} must not exceed max_${name}` });
    }
  }
  if (q.tags_match && !q.tags) ctx.addIssue({ code: "custom", path: ["tags_match"], message: "tags_match needs tags" });
}

const cursorParam = z.string().transform((raw, ctx) => {
  const cursor = decodeCursor(raw);
  if (!cursor) ctx.addIssue({ code: "custom", message: "invalid cursor; pass next_cursor from a previous page" });
  return cursor ?? z.NEVER;
});

/** Query string of GET /api/v1/logs (JSON). */
export const logsQuerySchema = z
  .strictObject({
    ...filterShape,
    limit: z.coerce.number().int().min(1).max(MAX_LOGS_LIMIT).default(DEFAULT_LOGS_LIMIT),
    cursor: cursorParam.optional(),
    format: z.literal("json").optional(),
  })
  .superRefine(checkRanges);

/** Query string of the CSV export (`/api/v1/logs/export.csv` or `/api/v1/logs?format=csv`). */
export const logsExportQuerySchema = z
  .strictObject({
    ...filterShape,
    limit: z.coerce.number().int().min(1).max(MAX_EXPORT_ROWS).default(MAX_EXPORT_ROWS),
    cursor: cursorParam.optional(),
    format: z.literal("csv").optional(),
  })
  .superRefine(checkRanges);

export type LogsQuery = z.output<typeof logsQuerySchema>;
export type LogsExportQuery = z.output<typeof logsExportQuerySchema>;
/** What the search itself needs: every filter, a page size and where to resume. */
export type LogFilters = Omit<Partial<LogsQuery>, "limit" | "format">;

export function parseLogsQuery(params: URLSearchParams): ParseResult<LogsQuery> {
  return parseQueryParams(logsQuerySchema, params);
}

export function parseLogsExportQuery(params: URLSearchParams): ParseResult<LogsExportQuery> {
  return parseQueryParams(logsExportQuerySchema, params);
}

export function isUuid(value: string): boolean {
  return UUID_RE.test(value);
}
