// Prometheus metrics on GET /metrics (issue 6 §6), through prom-client. One Registry per
// gateway instance rather than prom-client's global one: tests run several gateways in one
// process, and each must report only its own traffic.
//
// The request series are observed from the finished log record (one place that already holds
// status, tokens, cost, cache and timings), so the handlers pay nothing extra per request
// beyond a few label lookups. Queue depth and in-flight requests are read at scrape time.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { LOG_DROP_REASONS, type LogDropReason } from "../logs/log-writer";
import type { BudgetObserver, BudgetUsageObservation } from "../alerts/alert-monitor";
import type { RequestLogRecord, RequestLogSink } from "../logs/request-log-record";

// Latencies of LLM calls span milliseconds (cache hits) to minutes (long streams).
const LATENCY_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];
// Gateway overhead is sub-millisecond when healthy: finer buckets at the low end.
const OVERHEAD_BUCKETS_S = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1];

export interface GatewayMetricsSources {
  /** Rows waiting in the log writer's queue. */
  logQueueDepth(): number;
  /** Requests being served right now. */
  inFlight(): number;
  /** Version of the loaded config snapshot (0 before the first load). */
  snapshotVersion(): number;
  /** Every configured provider key and whether routing may use it now (not cooling down). */
  providerKeys(): ReadonlyArray<{ provider: string; key: string; usable: boolean }>;
}

export interface GatewayMetrics {
  readonly registry: Registry;
  /** Wraps the log sink: every record is observed, then forwarded unchanged. */
  observingSink(sink: RequestLogSink): RequestLogSink;
  /** Wraps the budget observer: each settled budget's remaining amount becomes a gauge. */
  observingBudgets(observer: BudgetObserver): BudgetObserver;
  /** Log rows lost (queue overflow, write retries exhausted, writer closed). */
  countDroppedLogs(rows: number, reason: LogDropReason): void;
  /** The exposition text and its content type. */
  scrape(): Promise<{ contentType: string; body: string }>;
}

export function createGatewayMetrics(sources: GatewayMetricsSources): GatewayMetrics {
  const registry = new Registry();
  // Process CPU, memory, event-loop lag and GC: what a gateway operator looks at first.
  collectDefaultMetrics({ register: registry, prefix: "switchyard_" });

  const requestLabels = ["client_api", "request_type", "provider", "model", "status", "cache"] as const;
  const requests = new Counter({ name: "switchyard_requests_total", help: "Requests served, by client API, request type, provider, model, HTTP status and cache status.", labelNames: requestLabels, registers: [registry] });
  const errors = new Counter({ name: "switchyard_request_errors_total", help: "Requests that ended in an error, by error type and where it came from (gateway or upstream).", labelNames: ["provider", "error_type", "source"] as const, registers: [registry] });
  const latency = new Histogram({ name: "switchyard_request_duration_seconds", help: "End-to-end request duration as the client saw it.", labelNames: ["provider", "model", "stream"] as const, buckets: LATENCY_BUCKETS_S, registers: [registry] });
  const ttft = new Histogram({ name: "switchyard_time_to_first_token_seconds", help: "Time to the first streamed token.", labelNames: ["provider", "model"] as const, buckets: LATENCY_BUCKETS_S, registers: [registry] });
  const overhead = new Histogram({ name: "switchyard_gateway_overhead_seconds", help: "Request duration minus the time spent in upstream attempts: what the gateway itself added.", buckets: OVERHEAD_BUCKETS_S, registers: [registry] });
  const tokens = new Counter({ name: "switchyard_tokens_total", help: "Tokens, by provider, model and kind (input, output, cache_read, cache_write, reasoning).", labelNames: ["provider", "model", "kind"] as const, registers: [registry] });
  const cost = new Counter({ name: "switchyard_cost_usd_total", help: "Cost in USD, by provider, model and team.", labelNames: ["provider", "model", "team"] as const, registers: [registry] });
  const cacheHits = new Counter({ name: "switchyard_cache_hits_total", help: "Response cache hits, by type (exact, semantic).", labelNames: ["type"] as const, registers: [registry] });
  const cacheSaved = new Counter({ name: "switchyard_cache_saved_usd_total", help: "Cost the response cache saved, in USD.", registers: [registry] });
  const droppedLogs = new Counter({ name: "switchyard_log_rows_dropped_total", help: "Request log rows lost, by reason. Anything above zero is an incident.", labelNames: ["reason"] as const, registers: [registry] });
  const attempts = new Counter({ name: "switchyard_upstream_attempts_total", help: "Upstream attempts, by provider and status (0 = no answer: connect error or timeout).", labelNames: ["provider", "status"] as const, registers: [registry] });
  new Gauge({ name: "switchyard_log_queue_depth", help: "Log rows waiting in the writer's queue.", registers: [registry], collect() { this.set(sources.logQueueDepth()); } });
  new Gauge({ name: "switchyard_requests_in_flight", help: "Requests being served now.", registers: [registry], collect() { this.set(sources.inFlight()); } });
  new Gauge({ name: "switchyard_config_snapshot_version", help: "Version of the loaded configuration snapshot.", registers: [registry], collect() { this.set(sources.snapshotVersion()); } });
  const budgetLabels = ["budget_id", "entity_type", "entity", "window"] as const;
  // The last observation per budget and window; the gauges are set from it at scrape time, so
  // a request pays one Map.set per budget instead of two label-hashed gauge updates.
  const latestBudgetUsage = new Map<string, BudgetUsageObservation>();
  const budgetLabelsOf = (usage: BudgetUsageObservation) => ({ budget_id: usage.budgetId, entity_type: usage.entityType, entity: usage.entityName ?? usage.entityId, window: usage.window });
  new Gauge({
    name: "switchyard_budget_remaining_usd",
    help: "USD left in a budget's current window, as of the last request that counted against it.",
    labelNames: budgetLabels,
    registers: [registry],
    collect() {
      for (const usage of latestBudgetUsage.values()) if (usage.limitUsd != null) this.set(budgetLabelsOf(usage), Math.max(0, usage.limitUsd - usage.usedUsd));
    },
  });
  new Gauge({
    name: "switchyard_budget_remaining_tokens",
    help: "Tokens left in a token budget's current window, as of the last request that counted against it.",
    labelNames: budgetLabels,
    registers: [registry],
    collect() {
      for (const usage of latestBudgetUsage.values()) if (usage.limitTokens != null) this.set(budgetLabelsOf(usage), Math.max(0, usage.limitTokens - usage.usedTokens));
    },
  });
  new Gauge({
    name: "switchyard_provider_key_usable",
    help: "1 when routing may use the provider key now, 0 while it cools down after 401/403/429.",
    labelNames: ["provider", "key"] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const { provider, key, usable } of sources.providerKeys()) this.set({ provider, key }, usable ? 1 : 0);
    },
  });
  // Create the series at zero so a dashboard sees "no loss" rather than "no data".
  for (const reason of LOG_DROP_REASONS) droppedLogs.inc({ reason }, 0);

  function observe(record: RequestLogRecord): void {
    const provider = record.provider ?? "none";
    const model = record.model ?? record.requestedModel ?? "none";
    requests.inc({ client_api: record.clientApi, request_type: record.requestType, provider, model, status: String(record.status), cache: record.cache });
    if (record.errorType !== null) errors.inc({ provider, error_type: record.errorType, source: record.errorSource ?? "gateway" });
    const seconds = record.latencyMs / 1000;
    latency.observe({ provider, model, stream: String(record.isStream) }, seconds);
    if (record.ttftMs !== null) ttft.observe({ provider, model }, record.ttftMs / 1000);
    let upstreamMs = 0;
    for (const attempt of record.attempts) {
      upstreamMs += attempt.latencyMs;
      attempts.inc({ provider: attempt.provider, status: String(attempt.status) });
    }
    overhead.observe(Math.max(0, record.latencyMs - upstreamMs) / 1000);
    const usage: ReadonlyArray<readonly [string, number]> = [["input", record.inputTokens], ["output", record.outputTokens], ["cache_read", record.cacheReadTokens], ["cache_write", record.cacheWriteTokens], ["reasoning", record.reasoningTokens]];
    for (const [kind, count] of usage) if (count > 0) tokens.inc({ provider, model, kind }, count);
    if (record.costUsd > 0) cost.inc({ provider, model, team: record.teamName ?? "none" }, record.costUsd);
    if (record.cache === "hit-exact" || record.cache === "hit-semantic") {
      cacheHits.inc({ type: record.cache.slice("hit-".length) });
      const saved = record.cacheSavedUsd ?? 0;
      if (saved > 0) cacheSaved.inc(saved);
    }
  }

  return {
    registry,
    observingSink(sink) {
      return {
        enqueue(record) {
          // Metrics never fail a request or lose its log row.
          try {
            observe(record);
          } catch {
            // A label-cardinality or type surprise must not reach the client.
          }
          sink.enqueue(record);
        },
      };
    },
    observingBudgets(observer) {
      return {
        observe(usage: BudgetUsageObservation) {
          latestBudgetUsage.set(`${usage.budgetId}\u0000${usage.window}`, usage);
          observer.observe(usage);
        },
      };
    },
    countDroppedLogs(rows, reason) {
      droppedLogs.inc({ reason }, rows);
    },
    async scrape() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
