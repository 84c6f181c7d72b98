// Parameterised multi-row SQL for one flush: request_logs rows and usage_rollups upserts.
import { formatUsd } from "../usage/pricing";
import type { RequestLogRecord } from "./request-log-record";
import type { RollupDimIncrement, RollupIncrement } from "./usage-rollups";

export interface SqlStatement {
  text: string;
  values: unknown[];
}

const LOG_COLUMNS = [
  "id", "created_at", "client_api", "request_type", "provider", "model", "requested_model",
  "virtual_key_id", "virtual_key_name", "team_id", "team_name", "customer_id", "customer_name",
  "user_id", "routing_rule", "status", "error_type", "error_message", "error_source", "is_stream",
  "latency_ms", "ttft_ms", "input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens",
  "reasoning_tokens", "cost_usd", "cost_breakdown", "cache", "attempt_count", "attempts", "tags",
  "metadata", "search_text", "fallback_reason", "cache_saved_usd", "param_transformations",
] as const;

/** Values per row of `insertRequestLogs` (tests read rows out of the flat parameter list). */
export const LOG_COLUMN_COUNT = LOG_COLUMNS.length;

// Casts keep jsonb/uuid columns typed without relying on implicit text conversion.
const LOG_CASTS: Partial<Record<(typeof LOG_COLUMNS)[number], string>> = {
  id: "::uuid",
  cost_breakdown: "::jsonb",
  attempts: "::jsonb",
  metadata: "::jsonb",
  param_transformations: "::jsonb",
  tags: "::text[]",
};

function logValues(r: RequestLogRecord): unknown[] {
  return [
    r.id, r.createdAt, r.clientApi, r.requestType, r.provider, r.model, r.requestedModel,
    r.virtualKeyId, r.virtualKeyName, r.teamId, r.teamName, r.customerId, r.customerName,
    r.userId, r.routingRule, r.status, r.errorType, r.errorMessage, r.errorSource, r.isStream,
    r.latencyMs, r.ttftMs, r.inputTokens, r.outputTokens, r.cacheReadTokens, r.cacheWriteTokens,
    r.reasoningTokens, formatUsd(r.costUsd),
    // JSON.stringify by hand: node-postgres would turn a JS array into a Postgres array.
    r.costBreakdown === null ? null : JSON.stringify(r.costBreakdown),
    r.cache, r.attemptCount, JSON.stringify(r.attempts), r.tags, JSON.stringify(r.metadata), r.searchText,
    r.fallbackReason,
    r.cacheSavedUsd === undefined || r.cacheSavedUsd === null ? null : formatUsd(r.cacheSavedUsd),
    JSON.stringify(r.paramTransformations ?? []),
  ];
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

export function insertRequestLogs(records: readonly RequestLogRecord[]): SqlStatement {
  const values: unknown[] = [];
  const rows = records.map((record) => {
    const placeholders = logValues(record).map((value, i) => {
      values.push(value);
      return `$${values.length}${LOG_CASTS[LOG_COLUMNS[i] ?? "id"] ?? ""}`;
    });
    return `(${placeholders.join(", ")})`;
  });
  return {
    // ON CONFLICT: a retried flush whose COMMIT reply was lost must not fail forever.
    text: `INSERT INTO request_logs (${LOG_COLUMNS.join(", ")}) VALUES ${rows.join(", ")} ON CONFLICT DO NOTHING`,
    values,
  };
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
