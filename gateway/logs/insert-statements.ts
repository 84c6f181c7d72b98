// Parameterised multi-row SQL for one flush: request_logs rows and usage_rollups upserts.
import { formatUsd } from "../usage/pricing";
import type { RequestLogRecord } from "./request-log-record";
import type { RollupDimIncrement, RollupIncrement } from "./usage-rollups";

export interface SqlStatement {
  text: string;
  values: unknown[];
}

// request_logs columns and their types. The rows travel as ONE jsonb parameter, unpacked by
// jsonb_to_recordset: a batch of 500 rows × 38 columns bound one by one cost the gateway ~4 %
// of its CPU (node-postgres serialises every value, we built 19,000 placeholders); one
// JSON.stringify is native code, and the statement text never changes, so it is prepared once
// per connection.
const LOG_COLUMN_TYPES = {
  id: "uuid", created_at: "timestamptz", client_api: "text", request_type: "text", provider: "text", model: "text",
  requested_model: "text", virtual_key_id: "text", virtual_key_name: "text", team_id: "text", team_name: "text",
  customer_id: "text", customer_name: "text", user_id: "text", routing_rule: "text", status: "integer",
  error_type: "text", error_message: "text", error_source: "text", is_stream: "boolean", latency_ms: "integer",
  ttft_ms: "integer", input_tokens: "integer", output_tokens: "integer", cache_read_tokens: "integer",
  cache_write_tokens: "integer", reasoning_tokens: "integer", cost_usd: "numeric", cost_breakdown: "jsonb",
  cache: "text", attempt_count: "integer", attempts: "jsonb", tags: "text[]", metadata: "jsonb", search_text: "text",
  fallback_reason: "text", cache_saved_usd: "numeric", param_transformations: "jsonb",
} as const;

type LogColumn = keyof typeof LOG_COLUMN_TYPES;
const LOG_COLUMNS = Object.keys(LOG_COLUMN_TYPES) as LogColumn[];

const INSERT_REQUEST_LOGS_SQL =
  `INSERT INTO request_logs (${LOG_COLUMNS.join(", ")}) ` +
  `SELECT ${LOG_COLUMNS.join(", ")} FROM jsonb_to_recordset($1::jsonb) AS r(${LOG_COLUMNS.map((c) => `${c} ${LOG_COLUMN_TYPES[c]}`).join(", ")}) ` +
  // ON CONFLICT: a retried flush whose COMMIT reply was lost must not fail forever.
  "ON CONFLICT DO NOTHING";

function logRow(r: RequestLogRecord): Record<LogColumn, unknown> {
  return {
    id: r.id, created_at: r.createdAt, client_api: r.clientApi, request_type: r.requestType, provider: r.provider,
    model: r.model, requested_model: r.requestedModel, virtual_key_id: r.virtualKeyId, virtual_key_name: r.virtualKeyName,
    team_id: r.teamId, team_name: r.teamName, customer_id: r.customerId, customer_name: r.customerName, user_id: r.userId,
    routing_rule: r.routingRule, status: r.status, error_type: r.errorType, error_message: r.errorMessage,
    error_source: r.errorSource, is_stream: r.isStream, latency_ms: r.latencyMs, ttft_ms: r.ttftMs,
    input_tokens: r.inputTokens, output_tokens: r.outputTokens, cache_read_tokens: r.cacheReadTokens,
    cache_write_tokens: r.cacheWriteTokens, reasoning_tokens: r.reasoningTokens, cost_usd: formatUsd(r.costUsd),
    cost_breakdown: r.costBreakdown, cache: r.cache, attempt_count: r.attemptCount, attempts: r.attempts, tags: r.tags,
    metadata: r.metadata, search_text: r.searchText, fallback_reason: r.fallbackReason,
    cache_saved_usd: r.cacheSavedUsd === undefined || r.cacheSavedUsd === null ? null : formatUsd(r.cacheSavedUsd),
    param_transformations: r.paramTransformations ?? [],
  };
}

// PostgreSQL text and jsonb cannot hold U+0000, and jsonb refuses unpaired surrogates: one such
// character (an upstream error message, a tag) would fail the whole batch on every retry and
// finally drop it. They are replaced by U+FFFD; the check runs on the JSON text, so the
// replacer (a JS call per value) only runs for a batch that has one.
const UNSTORABLE_ESCAPE = /\\u0000|\\ud[89a-f][0-9a-f]{2}/i;

const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function storableJson(rows: readonly Record<string, unknown>[]): string {
  const json = JSON.stringify(rows);
  if (!UNSTORABLE_ESCAPE.test(json)) return json;
  return JSON.stringify(rows, (_key, value: unknown) => (typeof value === "string" ? value.replaceAll("\u0000", "\ufffd").replace(UNPAIRED_SURROGATE, "\ufffd") : value));
}

/** The rows of a request_logs insert (tests read them back). */
export function requestLogRows(statement: SqlStatement): Array<Record<LogColumn, unknown>> {
  return JSON.parse(String(statement.values[0])) as Array<Record<LogColumn, unknown>>;
}

/** Captured bodies of the records that have them (gateway/logs/body-capture.ts); null when none has. */
export function insertRequestLogBodies(records: readonly RequestLogRecord[]): SqlStatement | null {
  const values: unknown[] = [];
  const rows: string[] = [];
  for (const r of records) {
    if (!r.bodies) continue;
    values.push(r.id, r.createdAt, r.bodies.requestBody, r.bodies.responseBody, r.bodies.truncated);
    const n = values.length;
    rows.push(`($${n - 4}::uuid, $${n - 3}, $${n - 2}, $${n - 1}, $${n})`);
  }
  if (rows.length === 0) return null;
  return {
    text: `INSERT INTO request_log_bodies (log_id, created_at, request_body, response_body, truncated) VALUES ${rows.join(", ")} ON CONFLICT DO NOTHING`,
    values,
  };
}

export function insertRequestLogs(records: readonly RequestLogRecord[]): SqlStatement & { name: string } {
  return { name: "switchyard_insert_request_logs", text: INSERT_REQUEST_LOGS_SQL, values: [storableJson(records.map(logRow))] };
}

const ROLLUP_DIMENSIONS = ["granularity", "bucket", "team_id", "virtual_key_id", "customer_id", "provider", "model", "status_class"];
const ROLLUP_COUNTERS = ["requests", "errors", "cache_hits", "input_tokens", "output_tokens", "cache_read_tokens", "reasoning_tokens", "cost_usd", "latency_ms_sum", "cache_saved_usd"];

export function upsertUsageRollups(increments: readonly RollupIncrement[]): SqlStatement {
  const values: unknown[] = [];
  const param = (value: unknown, cast = "") => {
    values.push(value);
    return `$${values.length}${cast}`;
  };
  const rows = increments.map((r) =>
    "(" +
    [
      param(r.granularity, '::"RollupGranularity"'), param(r.bucket), param(r.teamId), param(r.virtualKeyId),
      param(r.customerId), param(r.provider), param(r.model), param(r.statusClass),
      param(r.requests), param(r.errors), param(r.cacheHits), param(r.inputTokens), param(r.outputTokens),
      param(r.cacheReadTokens), param(r.reasoningTokens), param(formatUsd(r.costUsd)), param(r.latencyMsSum), param(formatUsd(r.cacheSavedUsd)),
    ].join(", ") +
    ")",
  );
  const updates = ROLLUP_COUNTERS.map((c) => `${c} = usage_rollups.${c} + EXCLUDED.${c}`).join(", ");
  return {
    text:
      `INSERT INTO usage_rollups (${[...ROLLUP_DIMENSIONS, ...ROLLUP_COUNTERS].join(", ")}) VALUES ${rows.join(", ")} ` +
      `ON CONFLICT (${ROLLUP_DIMENSIONS.join(", ")}) DO UPDATE SET ${updates}`,
    values,
  };
}

export function upsertUsageRollupDims(increments: readonly RollupDimIncrement[]): SqlStatement {
  const values: unknown[] = [];
  const param = (value: unknown, cast = "") => {
    values.push(value);
    return `$${values.length}${cast}`;
  };
  const rows = increments.map((r) =>
    "(" +
    [
      param(r.granularity, '::"RollupGranularity"'), param(r.dimension), param(r.bucket), param(r.value),
      param(r.requests), param(r.errors), param(r.cacheHits), param(r.inputTokens), param(r.outputTokens),
      param(r.cacheReadTokens), param(r.reasoningTokens), param(formatUsd(r.costUsd)), param(r.latencyMsSum), param(formatUsd(r.cacheSavedUsd)),
    ].join(", ") +
    ")",
  );
  const updates = ROLLUP_COUNTERS.map((c) => `${c} = usage_rollup_dims.${c} + EXCLUDED.${c}`).join(", ");
  return {
    text:
      `INSERT INTO usage_rollup_dims (granularity, dimension, bucket, value, ${ROLLUP_COUNTERS.join(", ")}) VALUES ${rows.join(", ")} ` +
      `ON CONFLICT (granularity, dimension, bucket, value) DO UPDATE SET ${updates}`,
    values,
  };
}
