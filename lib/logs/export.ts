// CSV export of the log search: same filters and scope as GET /api/v1/logs, newest first,
// capped at MAX_EXPORT_ROWS (or `limit`).
import type { PrismaClient } from "../db/client";
import type { Principal } from "../rbac/guard";
import { logScopeFor, type LogScope } from "../rbac/log-scope";
import { parseLogsExportQuery, type LogsExportQuery } from "../validation/logs";
import { invalidQueryResponse } from "../validation/query-params";
import { csvResponse, csvStream } from "./csv";
import { iterateLogs, withDefaultTimeBound, type RequestLogRow } from "./search";

export const LOG_CSV_COLUMNS = [
  "id", "timestamp", "status", "client_api", "request_type", "provider", "model", "requested_model", "virtual_key",
  "virtual_key_id", "team", "customer", "routing_rule", "stream", "latency_ms", "ttft_ms", "input_tokens", "output_tokens",
  "cache_read_tokens", "cache_write_tokens", "reasoning_tokens", "cost_usd", "cache", "attempts", "fallback_reason",
  "error_type", "error_source", "error_message", "tags",
] as const;

export function logCsvValues(r: RequestLogRow): unknown[] {
  return [
    r.id, r.createdAt, r.status, r.clientApi, r.requestType, r.provider, r.model, r.requestedModel, r.virtualKeyName,
    r.virtualKeyId, r.teamName, r.customerName, r.routingRule, r.isStream, r.latencyMs, r.ttftMs, r.inputTokens, r.outputTokens,
    r.cacheReadTokens, r.cacheWriteTokens, r.reasoningTokens,
    // Decimal's own string keeps every stored digit (a float would not).
    r.costUsd.toString(), r.cache, r.attemptCount, r.fallbackReason, r.errorType, r.errorSource, r.errorMessage,
    // ";" keeps tags in one cell and is rare in tags (commas would be quoted anyway).
    r.tags.join(";"),
  ];
}

export function exportLogsCsv(prisma: PrismaClient, scope: LogScope, query: LogsExportQuery, now: Date = new Date()): Response {
  const { limit, format: _format, ...filters } = query;
  const stream = csvStream(LOG_CSV_COLUMNS, iterateLogs(prisma, scope, filters, limit), logCsvValues);
  return csvResponse(stream, `switchyard-logs-${now.toISOString().slice(0, 19).replaceAll(":", "-")}.csv`);
}

/**
 * GET /api/v1/logs/export.csv and GET /api/v1/logs?format=csv, after `logs:read` was
 * authorized: validate, scope, apply the 7-day default bound, stream.
 */
export async function exportLogsFor(prisma: PrismaClient, principal: Principal, params: URLSearchParams): Promise<Response> {
  const query = parseLogsExportQuery(params);
  if (!query.ok) return invalidQueryResponse(query.issues);
  return exportLogsCsv(prisma, await logScopeFor(prisma, principal), withDefaultTimeBound(query.data));
}
