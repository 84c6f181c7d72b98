// JSON shapes of logs in the admin API. Field names follow the live-log object of
// PRODUCT §10 so that a client can treat pushed and searched logs alike.
import type { RequestLogDetail, RequestLogRow } from "./search";

/** The fields the list shape reads; the gateway's live logs pass their in-memory record (cost a number). */
export type ApiLogSource = Omit<RequestLogRow, "costUsd"> & { costUsd: RequestLogRow["costUsd"] | number };

export function toApiLog(row: ApiLogSource) {
  return {
    id: row.id,
    timestamp: row.createdAt.toISOString(),
    status: row.status,
    client_api: row.clientApi,
    request_type: row.requestType,
    provider: row.provider,
    model: row.model,
    requested_model: row.requestedModel,
    virtual_key: row.virtualKeyName,
    virtual_key_id: row.virtualKeyId,
    team: row.teamName,
    customer: row.customerName,
    routing_rule: row.routingRule,
    stream: row.isStream,
    latency_ms: row.latencyMs,
    ttft_ms: row.ttftMs,
    tokens: {
      input: row.inputTokens,
      output: row.outputTokens,
      cache_read: row.cacheReadTokens,
      cache_write: row.cacheWriteTokens,
      reasoning: row.reasoningTokens,
    },
    cost_usd: Number(row.costUsd),
    cache: row.cache,
    attempts: row.attemptCount,
    fallback_reason: row.fallbackReason,
    error: row.errorType || row.errorMessage ? { type: row.errorType, message: row.errorMessage, source: row.errorSource } : null,
    tags: row.tags,
  };
}
export type ApiLog = ReturnType<typeof toApiLog>;

/**
 * GET /api/v1/logs/:id: the list shape plus everything the list leaves out. `attempts`
 * stays the count (as in the list and live logs); the per-attempt detail is `attempt_details`.
 * `body` is null when none was stored, or when the caller's role may not read bodies
 * (`body_visible: false` says which).
 */
export function toApiLogDetail(log: RequestLogDetail, bodyVisible: boolean) {
  return {
    ...toApiLog({ ...log, tags: log.tags }),
    team_id: log.teamId,
    customer_id: log.customerId,
    user_id: log.userId,
    cost_breakdown: log.costBreakdown,
    cache_saved_usd: log.cacheSavedUsd === null ? null : Number(log.cacheSavedUsd),
    attempt_details: log.attempts,
    param_transformations: log.paramTransformations,
    metadata: log.metadata,
    body_visible: bodyVisible,
    body: log.body ? { request: log.body.requestBody, response: log.body.responseBody, truncated: log.body.truncated } : null,
  };
}
export type ApiLogDetail = ReturnType<typeof toApiLogDetail>;
