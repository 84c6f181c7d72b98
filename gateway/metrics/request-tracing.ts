// Optional OpenTelemetry traces (PRODUCT §7.5): one span per request, named and attributed
// after the GenAI semantic conventions (`{gen_ai.operation.name} {gen_ai.request.model}`,
// kind CLIENT: the gateway is the client of the model), exported over OTLP/HTTP when an
// endpoint is configured with the standard OTEL_EXPORTER_OTLP_TRACES_ENDPOINT or
// OTEL_EXPORTER_OTLP_ENDPOINT variables. Off otherwise: no provider, no exporter, no timer.
//
// Spans are built from the finished log record, like the Prometheus series, so the request
// path pays only the span construction; batching and export happen in the background
// (BatchSpanProcessor), and an unreachable collector costs dropped spans, never requests.
// Each upstream attempt is an event on the span (provider, model, key name, status, latency).
import { SpanKind, SpanStatusCode, type Attributes } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { redactBody } from "../logs/body-capture";
import type { RequestLogRecord, RequestLogSink } from "../logs/request-log-record";

export interface TracingConfig {
  /** Full OTLP/HTTP traces URL (…/v1/traces). */
  readonly endpoint: string;
  readonly serviceName: string;
  /** Milliseconds between batch exports (the SDK's default is 5 s). */
  readonly exportDelayMs?: number;
}

type Env = Readonly<Record<string, string | undefined>>;

/** The standard OTLP variables: the traces endpoint as given, or the base endpoint + /v1/traces. */
export function tracingConfigFromEnv(env: Env = process.env): TracingConfig | null {
  const serviceName = env.OTEL_SERVICE_NAME?.trim() || "switchyard-gateway";
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (traces) return { endpoint: traces, serviceName };
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (base) return { endpoint: `${base.replace(/\/+$/, "")}/v1/traces`, serviceName };
  return null;
}

export interface RequestTracing {
  observingSink(sink: RequestLogSink): RequestLogSink;
  /** Exports what is buffered, then stops. */
  close(): Promise<void>;
}

function operationOf(requestType: string): string {
  if (requestType.startsWith("embedding")) return "embeddings";
  return "chat";
}

export function spanAttributes(record: RequestLogRecord): Attributes {
  const attributes: Attributes = {
    "gen_ai.operation.name": operationOf(record.requestType),
    "gen_ai.usage.input_tokens": record.inputTokens,
    "gen_ai.usage.output_tokens": record.outputTokens,
    "switchyard.request_id": record.id,
    "switchyard.client_api": record.clientApi,
    "switchyard.stream": record.isStream,
    "switchyard.status": record.status,
    "switchyard.cost_usd": record.costUsd,
    "switchyard.cache": record.cache,
    "switchyard.attempts": record.attemptCount,
  };
  if (record.provider) attributes["gen_ai.provider.name"] = record.provider;
  if (record.requestedModel) attributes["gen_ai.request.model"] = record.requestedModel;
  if (record.model) attributes["gen_ai.response.model"] = record.model;
  if (record.cacheReadTokens > 0) attributes["gen_ai.usage.cache_read.input_tokens"] = record.cacheReadTokens;
  if (record.cacheWriteTokens > 0) attributes["gen_ai.usage.cache_creation.input_tokens"] = record.cacheWriteTokens;
  if (record.ttftMs !== null) attributes["switchyard.ttft_ms"] = record.ttftMs;
  if (record.virtualKeyName) attributes["switchyard.virtual_key"] = record.virtualKeyName;
  if (record.teamName) attributes["switchyard.team"] = record.teamName;
  if (record.customerName) attributes["switchyard.customer"] = record.customerName;
  if (record.routingRule) attributes["switchyard.routing_rule"] = record.routingRule;
  if (record.errorType) attributes["error.type"] = record.errorType;
  if (record.errorSource) attributes["switchyard.error_source"] = record.errorSource;
  return attributes;
}

/** `redactPatterns`: as for captured bodies; applied to error messages put on spans. */
export function createRequestTracing(config: TracingConfig, redactPatterns: readonly RegExp[], log: (message: string) => void): RequestTracing {
  const exporter = new OTLPTraceExporter({ url: config.endpoint });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": config.serviceName }),
    // Bounded queue: with the collector down, spans are dropped rather than held.
    spanProcessors: [new BatchSpanProcessor(exporter, { maxQueueSize: 4_096, scheduledDelayMillis: config.exportDelayMs ?? 5_000 })],
  });
  const tracer = provider.getTracer("switchyard-gateway");

  function trace(record: RequestLogRecord): void {
    const start = record.createdAt.getTime();
    const model = record.requestedModel ?? record.model;
    const span = tracer.startSpan(`${operationOf(record.requestType)}${model ? ` ${model}` : ""}`, { kind: SpanKind.CLIENT, startTime: start, attributes: spanAttributes(record) });
    for (const attempt of record.attempts) {
      span.addEvent("switchyard.attempt", {
        "gen_ai.provider.name": attempt.provider,
        "gen_ai.request.model": attempt.model,
        "switchyard.provider_key": attempt.key,
        "switchyard.status": attempt.status,
        "switchyard.latency_ms": attempt.latencyMs,
        ...(attempt.errorType ? { "error.type": attempt.errorType } : {}),
        ...(attempt.reason ? { "switchyard.fallback_reason": attempt.reason } : {}),
        ...(attempt.skipped ? { "switchyard.skipped": true } : {}),
      });
    }
    if (record.status >= 400 || record.errorType) span.setStatus({ code: SpanStatusCode.ERROR, ...(record.errorMessage ? { message: redactBody(record.errorMessage, redactPatterns) } : {}) });
    span.end(start + record.latencyMs);
  }

  return {
    observingSink(sink) {
      return {
        enqueue(record) {
          try {
            trace(record);
          } catch (error) {
            log(`tracing: span for ${record.id} failed: ${(error as Error)?.message ?? String(error)}`);
          }
          sink.enqueue(record);
        },
      };
    },
    async close() {
      await provider.shutdown().catch((error: unknown) => log(`tracing: shutdown failed: ${(error as Error)?.message ?? String(error)}`));
    },
  };
}
