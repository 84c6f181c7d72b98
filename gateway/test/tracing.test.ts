// OpenTelemetry export (issue 6 §6, PRODUCT §7.5): with an OTLP endpoint configured, every
// request becomes one GenAI-convention span, exported over OTLP/HTTP JSON to a collector —
// here a minimal receiver that records what it is sent.
import http from "node:http";
import type { AddressInfo } from "node:net";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tracingConfigFromEnv } from "../metrics/request-tracing";
import { CATALOG_MODEL, PROVIDER_NAME, startGatewayHarness, type GatewayHarness } from "./support/gateway-harness";
import { insertPrice } from "./support/seed";
import { waitFor } from "./support/wait-for";

interface OtlpValue { stringValue?: string; intValue?: string | number; doubleValue?: number; boolValue?: boolean }
interface OtlpSpan { name: string; kind: number; attributes: Array<{ key: string; value: OtlpValue }>; events?: Array<{ name: string; attributes: Array<{ key: string; value: OtlpValue }> }>; status?: { code?: number }; startTimeUnixNano: string; endTimeUnixNano: string }
interface OtlpExport { resourceSpans: Array<{ resource: { attributes: Array<{ key: string; value: OtlpValue }> }; scopeSpans: Array<{ spans: OtlpSpan[] }> }> }

const received: OtlpExport[] = [];
const contentTypes: string[] = [];
let collector: http.Server;
let h: GatewayHarness;

function valueOf(value: OtlpValue | undefined): unknown {
  if (!value) return undefined;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  return value.boolValue;
}

function attributesOf(list: Array<{ key: string; value: OtlpValue }>): Record<string, unknown> {
  return Object.fromEntries(list.map((a) => [a.key, valueOf(a.value)]));
}

function spans(): OtlpSpan[] {
  return received.flatMap((e) => e.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)));
}

beforeAll(async () => {
  collector = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      if (req.url === "/v1/traces") {
        contentTypes.push(req.headers["content-type"] ?? "");
        received.push(JSON.parse(body) as OtlpExport);
      }
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}/v1/traces`;
  h = await startGatewayHarness({
    gateway: { tracing: { endpoint, serviceName: "switchyard-test", exportDelayMs: 50 } },
    seed: (db) => insertPrice(db, `${PROVIDER_NAME}/*`, 10, 20),
  });
});

afterAll(async () => {
  await h?.close();
  await new Promise((resolve) => collector?.close(resolve));
});

describe("OpenTelemetry traces", () => {
  it("exports one GenAI span per request with usage, cost and the attempt trail", async () => {
    const client = new OpenAI({ baseURL: `${h.gatewayUrl}/v1`, apiKey: h.virtualKey, maxRetries: 0 });
    const { response } = await client.chat.completions.create({ model: CATALOG_MODEL, messages: [{ role: "user", content: "trace me" }] }).withResponse();
    const id = response.headers.get("x-request-id");
    await expect(client.chat.completions.create({ model: "no-such-model", messages: [{ role: "user", content: "x" }] })).rejects.toThrow();

    const found = await waitFor(async () => spans().filter((s) => attributesOf(s.attributes)["switchyard.request_id"] === id), (list) => list.length > 0, { what: "the exported span" });
    expect(found).toHaveLength(1);
    const span = found[0]!;
    expect(span.name).toBe(`chat ${CATALOG_MODEL}`);
    expect(span.kind).toBe(3); // SPAN_KIND_CLIENT in OTLP
    expect(attributesOf(span.attributes)).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": PROVIDER_NAME,
      "gen_ai.request.model": CATALOG_MODEL,
      "gen_ai.response.model": CATALOG_MODEL,
      "switchyard.virtual_key": "ci-bot",
      "switchyard.team": "platform",
      "switchyard.status": 200,
      "switchyard.attempts": 1,
    });
    expect(attributesOf(span.attributes)["gen_ai.usage.input_tokens"]).toBeGreaterThan(0);
    expect(attributesOf(span.attributes)["switchyard.cost_usd"]).toBeGreaterThan(0);
    expect(BigInt(span.endTimeUnixNano)).toBeGreaterThan(BigInt(span.startTimeUnixNano));
    expect(span.events?.map((e) => e.name)).toEqual(["switchyard.attempt"]);
    expect(attributesOf(span.events![0]!.attributes)).toMatchObject({ "gen_ai.provider.name": PROVIDER_NAME, "switchyard.provider_key": "main", "switchyard.status": 200 });
    const resource = attributesOf(received[0]!.resourceSpans[0]!.resource.attributes);
    expect(resource["service.name"]).toBe("switchyard-test");
    expect(contentTypes[0]).toContain("application/json");

    const failed = await waitFor(async () => spans().filter((s) => attributesOf(s.attributes)["gen_ai.request.model"] === "no-such-model"), (list) => list.length > 0, { what: "the failed request's span" });
    expect(failed[0]!.status?.code).toBe(2); // STATUS_CODE_ERROR
    expect(attributesOf(failed[0]!.attributes)["error.type"]).toBeTruthy();
  });

  it("reads the standard OTLP variables", () => {
    expect(tracingConfigFromEnv({})).toBeNull();
    expect(tracingConfigFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318/" })).toEqual({ endpoint: "http://collector:4318/v1/traces", serviceName: "switchyard-gateway" });
    expect(tracingConfigFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://a:4318", OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://b:4318/custom", OTEL_SERVICE_NAME: "gw-eu" })).toEqual({ endpoint: "http://b:4318/custom", serviceName: "gw-eu" });
  });
});
