// Step 6 — record: turn the trace into a log record and hand it to the writer's queue.
// Enqueueing is synchronous and cannot fail the request.
import type { RequestLogRecord, RequestLogSink } from "../logs/request-log-record";
import { elapsedMs, type RequestTrace } from "./request-trace";

function searchText(trace: RequestTrace): string {
  return [
    trace.requestedModel, trace.provider, trace.model, trace.routingRule, trace.virtualKeyName, trace.teamName,
    trace.customerName, trace.error?.type, trace.error?.message, ...trace.tags,
  ]
    .filter((part): part is string => typeof part === "string" && part !== "")
    .join(" ")
    .toLowerCase();
}

function metadataOf(trace: RequestTrace): Record<string, unknown> {
  return {
    ...(trace.governance === null ? {} : { governance: trace.governance }),
    ...(trace.usageEstimated ? { usageEstimated: true } : {}),
    ...(trace.cacheNamespace === null ? {} : { cacheNamespace: trace.cacheNamespace }),
    ...(trace.cacheSimilarity === null ? {} : { cacheSimilarity: Math.round(trace.cacheSimilarity * 1e4) / 1e4 }),
    ...(trace.cacheEntryId === null ? {} : { cacheEntryId: trace.cacheEntryId }),
    ...(trace.cacheSkipped === null ? {} : { cacheSkipped: trace.cacheSkipped }),
  };
}

export function buildLogRecord(trace: RequestTrace, latencyMs: number): RequestLogRecord {
  const usage = trace.usage;
  return {
    id: trace.id,
    createdAt: trace.startedAt,
    clientApi: trace.clientApi,
    requestType: trace.requestType,
    provider: trace.provider,
    model: trace.model,
    requestedModel: trace.requestedModel,
    virtualKeyId: trace.virtualKeyId,
    virtualKeyName: trace.virtualKeyName,
    teamId: trace.teamId,
    teamName: trace.teamName,
    customerId: trace.customerId,
    customerName: trace.customerName,
    userId: trace.userId,
    routingRule: trace.routingRule,
    status: trace.status,
    errorType: trace.error?.type ?? null,
    errorMessage: trace.error?.message ?? null,
    errorSource: trace.error?.source ?? null,
    isStream: trace.isStream,
    latencyMs,
    ttftMs: trace.ttftMs,
    inputTokens: usage?.input ?? 0,
    outputTokens: usage?.output ?? 0,
    cacheReadTokens: usage?.cacheRead ?? 0,
    cacheWriteTokens: usage?.cacheWrite ?? 0,
    reasoningTokens: usage?.reasoning ?? 0,
    costUsd: trace.cost?.total ?? 0,
    costBreakdown: trace.cost,
    cache: trace.cache,
    cacheSavedUsd: trace.cacheSavedUsd,
    attempts: trace.attempts,
    // Requests refused before any upstream call still count as one (gateway) attempt.
    attemptCount: Math.max(trace.attempts.length, 1),
    fallbackReason: trace.fallbackReason,
    paramTransformations: trace.paramTransformations,
    bodies: trace.bodyCapture?.finish() ?? null,
    tags: [...trace.tags],
    metadata: metadataOf(trace),
    searchText: searchText(trace),
  };
}

export function recordRequest(sink: RequestLogSink, trace: RequestTrace): void {
  sink.enqueue(buildLogRecord(trace, elapsedMs(trace)));
}
