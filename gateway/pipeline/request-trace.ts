// What one request did, filled in step by step by the pipeline and turned into a log
// record at the end. Per request, passed explicitly; never module state.
import type { BodyCapture } from "../logs/body-capture";
import type { RequestType as LibRequestType } from "../../lib/validation/provider-types";
import type { GatewayError } from "../errors";
import type { ClientApi, ParamTransformation } from "../formats/canonical";
import type { CostBreakdown } from "../usage/pricing";
import type { TokenUsage } from "../usage/token-usage";

export interface AttemptRecord {
  provider: string;
  model: string;
  /** Provider key name (never the secret). */
  key: string;
  status: number;
  latencyMs: number;
  errorType?: string;
  /** Machine-readable error code (upstream_timeout, provider_budget_exceeded, ...). */
  errorCode?: string;
  /** Set on every attempt after the first: why the previous one did not answer. */
  reason?: string;
  /** The target was skipped without a call (a provider over its own budget or rate limit). */
  skipped?: true;
}

export type { ClientApi };
export type RequestType = LibRequestType;

export interface RequestTrace {
  readonly id: string;
  readonly startedAt: Date;
  /** performance.now() at start, for latency without wall-clock jumps. */
  readonly startedAtMs: number;
  readonly clientApi: ClientApi;
  requestType: RequestType;
  isStream: boolean;
  requestedModel: string | null;
  virtualKeyId: string | null;
  virtualKeyName: string | null;
  teamId: string | null;
  teamName: string | null;
  customerId: string | null;
  customerName: string | null;
  userId: string | null;
  tags: readonly string[];
  provider: string | null;
  model: string | null;
  attempts: AttemptRecord[];
  /** Name of the routing rule that chose the targets; null when none matched. */
  routingRule: string | null;
  /** Why the request was answered by a target other than the first one tried. */
  fallbackReason: string | null;
  status: number;
  error: GatewayError | null;
  usage: TokenUsage | null;
  cost: CostBreakdown | null;
  /** True when the provider reported no usage and the tokens billed were estimated. */
  usageEstimated: boolean;
  /**
   * "degraded": counters were unreachable and fail-open let the request through unchecked
   * (or could not record its settlement); null: governance did not run (refused earlier).
   */
  governance: "enforced" | "degraded" | null;
  ttftMs: number | null;
  /** Values the gateway changed or dropped on the way to the provider (PRODUCT §3.3). */
  paramTransformations: ParamTransformation[];
  /** Set when bodies are captured for this request (gateway/logs/body-capture.ts). */
  bodyCapture: BodyCapture | null;
  /** Response cache (gateway/cache): "none" = not consulted. Same words as x-switchyard-cache. */
  cache: "none" | "bypass" | "miss" | "hit-exact" | "hit-semantic";
  /** Cosine similarity of a semantic hit. */
  cacheSimilarity: number | null;
  /** A hit: what the cached answer was billed when it was produced. */
  cacheSavedUsd: number | null;
  cacheNamespace: string | null;
  cacheEntryId: string | null;
  /** Why the cache was not consulted although enabled (e.g. "conversation_too_long"). */
  cacheSkipped: string | null;
}

export function startTrace(id: string, clientApi: ClientApi): RequestTrace {
  return {
    id,
    startedAt: new Date(),
    startedAtMs: performance.now(),
    clientApi,
    requestType: "chat",
    isStream: false,
    requestedModel: null,
    virtualKeyId: null,
    virtualKeyName: null,
    teamId: null,
    teamName: null,
    customerId: null,
    customerName: null,
    userId: null,
    tags: [],
    provider: null,
    model: null,
    attempts: [],
    routingRule: null,
    fallbackReason: null,
    status: 0,
    error: null,
    usage: null,
    cost: null,
    usageEstimated: false,
    governance: null,
    ttftMs: null,
    paramTransformations: [],
    bodyCapture: null,
    cache: "none",
    cacheSimilarity: null,
    cacheSavedUsd: null,
    cacheNamespace: null,
    cacheEntryId: null,
    cacheSkipped: null,
  };
}

export function elapsedMs(trace: RequestTrace): number {
  return Math.round(performance.now() - trace.startedAtMs);
}
