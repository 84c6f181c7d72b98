// One row of `request_logs` (prisma/schema.prisma model RequestLog), as the gateway
// produces it. The live-log WebSocket (a later issue) will broadcast the same object.
import type { ParamTransformation } from "../formats/canonical";
import type { CapturedBodies } from "./body-capture";
import type { AttemptRecord } from "../pipeline/request-trace";
import type { CostBreakdown } from "../usage/pricing";

export interface RequestLogRecord {
  id: string;
  createdAt: Date;
  clientApi: string;
  requestType: string;
  provider: string | null;
  model: string | null;
  requestedModel: string | null;
  virtualKeyId: string | null;
  virtualKeyName: string | null;
  teamId: string | null;
  teamName: string | null;
  customerId: string | null;
  customerName: string | null;
  userId: string | null;
  routingRule: string | null;
  status: number;
  errorType: string | null;
  errorMessage: string | null;
  errorSource: string | null;
  isStream: boolean;
  latencyMs: number;
  ttftMs: number | null;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  costUsd: number;
  costBreakdown: CostBreakdown | null;
  cache: string;
  /** A cache hit: the cost of the original answer (`cache_saved_usd`); absent / null otherwise. */
  cacheSavedUsd?: number | null;
  attempts: AttemptRecord[];
  attemptCount: number;
  fallbackReason: string | null;
  /** What translation changed or dropped (PRODUCT §3.3); empty for passthrough. */
  paramTransformations?: readonly ParamTransformation[];
  /** Captured, redacted, capped bodies (request_log_bodies); absent unless capture is on. */
  bodies?: CapturedBodies | null;
  tags: string[];
  metadata: Record<string, unknown>;
  searchText: string;
}

export interface RequestLogSink {
  enqueue(record: RequestLogRecord): void;
}
