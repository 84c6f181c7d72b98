// GET /metrics scraped after real traffic and parsed with a Prometheus text-format parser
// (issue 6): request counts, errors by type, latency / TTFT / overhead histograms, tokens,
// queue depth and the dropped-logs counter.
import OpenAI from "openai";
import parsePrometheusTextFormat, { type ParsedFamily } from "parse-prometheus-text-format";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CATALOG_MODEL, PROVIDER_NAME, startGatewayHarness, type GatewayHarness } from "./support/gateway-harness";
import { insertBudget } from "./support/governance-seed";
import { sampleValue } from "./support/prometheus-text";
import { insertPrice } from "./support/seed";
import { waitFor } from "./support/wait-for";

let h: GatewayHarness;
let client: OpenAI;
let lastText = "";

function histogramCount(text: string, name: string, labels: string): number {
  return sampleValue(text, `${name}_count{${labels}}`);
}

let budgetId = "";

beforeAll(async () => {
  h = await startGatewayHarness({
    seed: async (db, _upstream, ids) => {
      await insertPrice(db, `${PROVIDER_NAME}/*`, 10, 20);
      budgetId = await insertBudget(db, { entityType: "virtual_key", entityId: ids.virtualKeyId, window: "1d", usd: 5 });
    },
  });
  client = new OpenAI({ baseURL: `${h.gatewayUrl}/v1`, apiKey: h.virtualKey, maxRetries: 0 });
});

afterAll(async () => {
  await h?.close();
});

async function scrape(): Promise<Map<string, ParsedFamily>> {
  const response = await fetch(`${h.gatewayUrl}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("text/plain");
  lastText = await response.text();
  const families = parsePrometheusTextFormat(lastText);
  return new Map(families.map((family) => [family.name, family]));
}

function family(metrics: Map<string, ParsedFamily>, name: string): ParsedFamily {
  const found = metrics.get(name);
  if (!found) throw new Error(`metric family ${name} missing from /metrics`);
  return found;
}

function sum(metrics: Map<string, ParsedFamily>, name: string, labels: Record<string, string> = {}): number {
  return family(metrics, name)
    .metrics.filter((sample) => Object.entries(labels).every(([k, v]) => sample.labels?.[k] === v))
    .reduce((total, sample) => total + Number(sample.value ?? sample.count ?? 0), 0);
}

describe("GET /metrics", () => {
  it("counts requests, tokens, errors and timings from real traffic", async () => {
    const before = await scrape();
    expect(family(before, "switchyard_requests_total").type).toBe("COUNTER");
    const requestsBefore = sum(before, "switchyard_requests_total", { provider: PROVIDER_NAME, status: "200" });

    await client.chat.completions.create({ model: CATALOG_MODEL, messages: [{ role: "user", content: "count me" }] });
    await client.chat.completions.create({ model: CATALOG_MODEL, messages: [{ role: "user", content: "count me too" }] });
    const stream = await client.chat.completions.create({ model: CATALOG_MODEL, messages: [{ role: "user", content: "stream" }], stream: true });
    for await (const _chunk of stream) {
      // drain
    }
    // A model nobody serves: a gateway-side error.
    await expect(client.chat.completions.create({ model: "no-such-model", messages: [{ role: "user", content: "x" }] })).rejects.toThrow();

    const after = await scrape();
    expect(sum(after, "switchyard_requests_total", { provider: PROVIDER_NAME, status: "200" }) - requestsBefore).toBe(3);
    expect(sum(after, "switchyard_requests_total", { client_api: "openai_chat", model: CATALOG_MODEL, cache: "none" })).toBeGreaterThanOrEqual(3);
    // The mock answers 5 prompt tokens and 3 completion tokens per call.
    expect(sum(after, "switchyard_tokens_total", { kind: "input" })).toBeGreaterThanOrEqual(10);
    expect(sum(after, "switchyard_tokens_total", { kind: "output" })).toBeGreaterThanOrEqual(6);
    const errors = family(after, "switchyard_request_errors_total").metrics;
    expect(errors.some((sample) => sample.labels?.source === "gateway" && Number(sample.value) >= 1)).toBe(true);

    // An unlabeled histogram comes back from the parser with its buckets, count and sum.
    const overhead = family(after, "switchyard_gateway_overhead_seconds");
    expect(overhead.type).toBe("HISTOGRAM");
    expect(Number(overhead.metrics[0]?.count)).toBeGreaterThanOrEqual(4);
    expect(Number(overhead.metrics[0]?.buckets?.["+Inf"])).toBe(Number(overhead.metrics[0]?.count));
    expect(Number(overhead.metrics[0]?.sum)).toBeGreaterThan(0);
    // The parser merges the series of a labeled histogram into one (a limitation of
    // parse-prometheus-text-format), so per-label counts are read from the _count lines.
    expect(family(after, "switchyard_request_duration_seconds").type).toBe("HISTOGRAM");
    expect(family(after, "switchyard_time_to_first_token_seconds").type).toBe("HISTOGRAM");
    expect(histogramCount(lastText, "switchyard_request_duration_seconds", `provider="${PROVIDER_NAME}",model="${CATALOG_MODEL}",stream="false"`)).toBe(2);
    expect(histogramCount(lastText, "switchyard_request_duration_seconds", `provider="${PROVIDER_NAME}",model="${CATALOG_MODEL}",stream="true"`)).toBe(1);
    expect(histogramCount(lastText, "switchyard_time_to_first_token_seconds", `provider="${PROVIDER_NAME}",model="${CATALOG_MODEL}"`)).toBe(1);
    expect(sum(after, "switchyard_upstream_attempts_total", { provider: PROVIDER_NAME, status: "200" })).toBeGreaterThanOrEqual(3);

    // The key's $5 daily budget, less what the three priced requests cost (from their log rows).
    const remaining = family(after, "switchyard_budget_remaining_usd").metrics.find((sample) => sample.labels?.budget_id === budgetId);
    expect(remaining?.labels).toMatchObject({ entity_type: "virtual_key", entity: "ci-bot", window: "1d" });
    const spent = await waitFor(
      async () => {
        const { rows } = await h.db.query<{ spent: string; n: number }>(`SELECT coalesce(sum(cost_usd), 0) AS spent, count(*)::int AS n FROM request_logs WHERE virtual_key_id = $1 AND status = 200`, [h.virtualKeyId]);
        return rows[0]!.n === 3 ? Number(rows[0]!.spent) : null;
      },
      (value) => value !== null,
      { what: "three logged requests" },
    );
    expect(spent).toBeGreaterThan(0);
    expect(Number(remaining?.value)).toBeCloseTo(5 - spent!, 9);
    expect(sum(after, "switchyard_provider_key_usable", { provider: PROVIDER_NAME, key: "main" })).toBe(1);
  });

  it("reports queue depth, in-flight requests, the config version and zero dropped logs", async () => {
    const metrics = await scrape();
    expect(family(metrics, "switchyard_log_queue_depth").type).toBe("GAUGE");
    expect(sum(metrics, "switchyard_log_queue_depth")).toBeGreaterThanOrEqual(0);
    // The scrape itself is in flight.
    expect(sum(metrics, "switchyard_requests_in_flight")).toBe(1);
    expect(sum(metrics, "switchyard_config_snapshot_version")).toBeGreaterThanOrEqual(1);
    expect(family(metrics, "switchyard_log_rows_dropped_total").metrics.map((sample) => sample.labels?.reason).sort()).toEqual(["queue_full", "write_failed", "writer_closed"]);
    expect(sum(metrics, "switchyard_log_rows_dropped_total")).toBe(0);
    expect(metrics.has("switchyard_process_resident_memory_bytes")).toBe(true);
  });
});
