// Step 6 — record: turn the trace into a log record and hand it to the writer's queue.
// Enqueueing is synchronous and cannot fail the request.
import type { RequestLogRecord, RequestLogSink } from "../logs/request-log-record";
import { elapsedMs, type RequestTrace } from "./request-trace";

function searchText(trace: RequestTrace): string {
  let text = "";
  const add = (part: string | null | undefined) => {
    if (typeof part === "string" && part !== "") text = text === "" ? part : `${text} ${part}`;
  };
  add(trace.requestedModel);
  add(trace.provider);
  add(trace.model);
  add(trace.routingRule);
  add(trace.virtualKeyName);
  add(trace.teamName);
  add(trace.customerName);
  add(trace.error?.type);
  add(trace.error?.message);
  for (const tag of trace.tags) add(tag);
  return text.toLowerCase();
}

// Assigned field by field rather than spread from conditional literals: this runs for every
// request, and each spread allocated and cloned a throw-away object.
function metadataOf(trace: RequestTrace): Record<string, unknown> {
  const metadata: Record<string, unknown> = {};
  if (trace.governance !== null) metadata.governance = trace.governance;
  if (trace.usageEstimated) metadata.usageEstimated = true;
  if (trace.cacheNamespace !== null) metadata.cacheNamespace = trace.cacheNamespace;
  if (trace.cacheSimilarity !== null) metadata.cacheSimilarity = Math.round(trace.cacheSimilarity * 1e4) / 1e4;
  if (trace.cacheEntryId !== null) metadata.cacheEntryId = trace.cacheEntryId;
  if (trace.cacheSkipped !== null) metadata.cacheSkipped = trace.cacheSkipped;
  return metadata;
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
