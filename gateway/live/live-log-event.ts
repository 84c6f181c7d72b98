// The messages of the live-log socket (PRODUCT §10): `{"type":"log","op":…,"log":{…}}`, the
// log object in the same shape as GET /api/v1/logs (lib/logs/api-shape.ts) so a client can
// merge pushed and searched rows. `start` is sent once a request is routed, `progress` while
// a stream is relayed (tokens so far), `end` when its log record is queued.
//
// Each event travels with what the hub needs to decide who may see it and which filters it
// passes (LiveEventMeta); only `message` — serialized once — goes to the sockets.
import { toApiLog, type ApiLog } from "../../lib/logs/api-shape";
import { redactBody } from "../logs/body-capture";
import type { RequestLogRecord } from "../logs/request-log-record";
import type { RequestTrace } from "../pipeline/request-trace";

export type LiveOp = "start" | "progress" | "end";

/** Scoping and filtering fields; never sent to a client as such. */
export interface LiveEventMeta {
  readonly op: LiveOp;
  readonly requestId: string;
  readonly teamId: string | null;
  /** Owner of the virtual key (member scoping). */
  readonly userId: string | null;
  readonly provider: string | null;
  /** Served (or planned) model and the model the client asked for; a filter matches either. */
  readonly models: readonly string[];
  readonly virtualKeyId: string | null;
  readonly virtualKeyName: string | null;
  readonly teamName: string | null;
  /** null until the request ended. */
  readonly status: number | null;
  readonly latencyMs: number;
}

export interface LiveEvent {
  readonly meta: LiveEventMeta;
  /** The JSON text sent to every socket that may see it. */
  readonly message: string;
}

/** The live object for an unfinished request: status null, tokens so far. */
export type LiveLog = Omit<ApiLog, "status"> & { status: number | null; team_id: string | null };

function modelsOf(model: string | null, requested: string | null): string[] {
  const models: string[] = [];
  if (model) models.push(model);
  if (requested && requested !== model) models.push(requested);
  return models;
}

function serialize(op: LiveOp, log: LiveLog): string {
  return JSON.stringify({ type: "log", op, log });
}

export interface InFlightView {
  readonly provider: string | null;
  readonly model: string | null;
  /** Output tokens relayed so far (estimated from characters when the stream has no usage yet). */
  readonly outputTokens: number;
}

/** start / progress: built from the trace of a request still under way. */
export function inFlightEvent(op: "start" | "progress", trace: RequestTrace, view: InFlightView, elapsedMs: number): LiveEvent {
  const log: LiveLog = {
    id: trace.id,
    timestamp: trace.startedAt.toISOString(),
    status: null,
    client_api: trace.clientApi,
    request_type: trace.requestType,
    provider: view.provider,
    model: view.model,
    requested_model: trace.requestedModel,
    virtual_key: trace.virtualKeyName,
    virtual_key_id: trace.virtualKeyId,
    team: trace.teamName,
    team_id: trace.teamId,
    customer: trace.customerName,
    routing_rule: trace.routingRule,
    stream: trace.isStream,
    latency_ms: elapsedMs,
    ttft_ms: trace.ttftMs,
    tokens: { input: 0, output: view.outputTokens, cache_read: 0, cache_write: 0, reasoning: 0 },
    cost_usd: 0,
    cache: trace.cache,
    attempts: Math.max(trace.attempts.length, 1),
    fallback_reason: trace.fallbackReason,
    error: null,
    tags: [...trace.tags],
  };
  return {
    meta: {
      op,
      requestId: trace.id,
      teamId: trace.teamId,
      userId: trace.userId,
      provider: view.provider,
      models: modelsOf(view.model, trace.requestedModel),
      virtualKeyId: trace.virtualKeyId,
      virtualKeyName: trace.virtualKeyName,
      teamName: trace.teamName,
      status: null,
      latencyMs: elapsedMs,
    },
    message: serialize(op, log),
  };
}

/** end: the queued log record, error message redacted like captured bodies. */
export function endEvent(record: RequestLogRecord, redactPatterns: readonly RegExp[]): LiveEvent {
  const api = toApiLog(record);
  const log: LiveLog = {
    ...api,
    team_id: record.teamId,
    error: api.error && api.error.message !== null ? { ...api.error, message: redactBody(api.error.message, redactPatterns) } : api.error,
  };
  return {
    meta: {
      op: "end",
      requestId: record.id,
      teamId: record.teamId,
      userId: record.userId,
      provider: record.provider,
      models: modelsOf(record.model, record.requestedModel),
      virtualKeyId: record.virtualKeyId,
      virtualKeyName: record.virtualKeyName,
      teamName: record.teamName,
      status: record.status,
      latencyMs: record.latencyMs,
    },
    message: serialize("end", log),
  };
}
