// Log losses reach the metrics: the writer's drop hook feeds switchyard_log_rows_dropped_total,
// and the observing sink forwards every record unchanged.
import type pg from "pg";
import { describe, expect, it } from "vitest";
import { logRecord } from "../logs/log-record-fixture";
import { LogWriter } from "../logs/log-writer";
import type { RequestLogRecord } from "../logs/request-log-record";
import { sampleValue } from "../test/support/prometheus-text";
import { createGatewayMetrics } from "./gateway-metrics";

function metricsFor(queueDepth: () => number, providerKeys: () => Array<{ provider: string; key: string; usable: boolean }> = () => []) {
  return createGatewayMetrics({ logQueueDepth: queueDepth, inFlight: () => 0, snapshotVersion: () => 7, providerKeys });
}


describe("gateway metrics", () => {
  it("counts rows the writer drops when its queue overflows, and reports the queue depth", async () => {
    // A pool that is never reached: the flush interval is far away and the writer is not closed.
    const writer: LogWriter = new LogWriter({ pool: {} as pg.Pool, flushIntervalMs: 3_600_000, batchSize: 1_000, maxQueuedRows: 3, log: () => undefined, onDrop: (rows, reason) => metrics.countDroppedLogs(rows, reason) });
    const metrics = metricsFor(() => writer.pending);
    for (let i = 0; i < 5; i += 1) writer.enqueue(logRecord());
    const { body } = await metrics.scrape();
    expect(sampleValue(body, `switchyard_log_rows_dropped_total{reason="queue_full"}`)).toBe(2);
    expect(sampleValue(body, `switchyard_log_rows_dropped_total{reason="write_failed"}`)).toBe(0);
    expect(sampleValue(body, "switchyard_log_queue_depth")).toBe(3);
    expect(sampleValue(body, "switchyard_config_snapshot_version")).toBe(7);
  });

  it("forwards every record to the sink it wraps, and counts cache hits and savings", async () => {
    const metrics = metricsFor(() => 0);
    const seen: RequestLogRecord[] = [];
    const sink = metrics.observingSink({ enqueue: (record) => seen.push(record) });
    const hit = { ...logRecord(), cache: "hit-exact", cacheSavedUsd: 0.25, costUsd: 0 };
    sink.enqueue(hit);
    expect(seen).toEqual([hit]);
    const { body } = await metrics.scrape();
    expect(sampleValue(body, `switchyard_cache_hits_total{type="exact"}`)).toBe(1);
    expect(sampleValue(body, "switchyard_cache_saved_usd_total")).toBe(0.25);
  });

  it("reports each budget's remaining amount after a settle and forwards the observation", async () => {
    const metrics = metricsFor(() => 0);
    const seen: string[] = [];
    const observer = metrics.observingBudgets({ observe: (usage) => seen.push(usage.budgetId) });
    const window = { windowStart: new Date("2026-12-07T00:00:00Z"), windowEnd: new Date("2026-12-08T00:00:00Z"), thresholds: [80] };
    observer.observe({ budgetId: "b1", entityType: "team", entityId: "t1", entityName: "platform", window: "1d", limitUsd: 10, usedUsd: 2.5, usedTokens: 0, ...window });
    observer.observe({ budgetId: "b2", entityType: "virtual_key", entityId: "vk1", window: "1h", limitTokens: 1000, usedUsd: 0, usedTokens: 1200, ...window });
    const { body } = await metrics.scrape();
    expect(sampleValue(body, `switchyard_budget_remaining_usd{budget_id="b1",entity_type="team",entity="platform",window="1d"}`)).toBe(7.5);
    // Overspent by requests in flight: reported as nothing left, never negative.
    expect(sampleValue(body, `switchyard_budget_remaining_tokens{budget_id="b2",entity_type="virtual_key",entity="vk1",window="1h"}`)).toBe(0);
    expect(seen).toEqual(["b1", "b2"]);
  });

  it("reports whether each provider key is usable, read at scrape time", async () => {
    let cooling = false;
    const metrics = metricsFor(() => 0, () => [{ provider: "openai", key: "main", usable: !cooling }, { provider: "openai", key: "backup", usable: true }]);
    expect(sampleValue((await metrics.scrape()).body, `switchyard_provider_key_usable{provider="openai",key="main"}`)).toBe(1);
    cooling = true;
    const { body } = await metrics.scrape();
    expect(sampleValue(body, `switchyard_provider_key_usable{provider="openai",key="main"}`)).toBe(0);
    expect(sampleValue(body, `switchyard_provider_key_usable{provider="openai",key="backup"}`)).toBe(1);
  });
});
