// Through the real `openai` SDK against the gateway and the strict mock upstream.
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CATALOG_MODEL, PROVIDER_NAME, UPSTREAM_SECRET, findLog, startGatewayHarness, type GatewayHarness, type LogRow } from "./support/gateway-harness";
import { notifyAndWaitForReload } from "./support/config-reload";
import { insertPrice } from "./support/seed";
import { waitFor } from "./support/wait-for";
import { MOCK_MODELS } from "../testing/mock-openai-behaviours";

let h: GatewayHarness;
let client: OpenAI;

beforeAll(async () => {
  h = await startGatewayHarness();
  client = new OpenAI({ baseURL: `${h.gatewayUrl}/v1`, apiKey: h.virtualKey, maxRetries: 0 });
});

afterAll(async () => {
  await h?.close();
});

function flushedLog(requestId: string): Promise<LogRow | undefined> {
  return waitFor(() => findLog(h.db, requestId), (row) => row !== undefined, { what: `request_logs row ${requestId}` });
}

function lastUpstreamBody(): Record<string, unknown> {
  const body = h.upstream.requests.at(-1)?.body;
  expect(body).toBeTypeOf("object");
  return body as Record<string, unknown>;
}

describe("POST /v1/chat/completions (JSON)", () => {
  it("relays a completion from the catalog model and logs it", async () => {
    const { data, response } = await client.chat.completions
      .create({ model: CATALOG_MODEL, messages: [{ role: "user", content: "hello gateway" }], temperature: 0.2 })
      .withResponse();

    expect(data.object).toBe("chat.completion");
    expect(data.choices[0]?.message.content).toBe("Echo: hello gateway");
    expect(data.usage).toMatchObject({ prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 });

    const requestId = response.headers.get("x-request-id") ?? "";
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get("x-switchyard-provider")).toBe(PROVIDER_NAME);
    expect(response.headers.get("x-switchyard-model")).toBe(CATALOG_MODEL);
    expect(response.headers.get("x-switchyard-attempts")).toBe("1");
    expect(response.headers.get("x-switchyard-cache")).toBe("none");
    expect(response.headers.get("x-switchyard-cost-usd")).toBe("0");

    // The upstream saw the decrypted provider key and the body unchanged but for model.
    const upstream = h.upstream.requests.at(-1);
    expect(upstream?.headers.authorization).toBe(`Bearer ${UPSTREAM_SECRET}`);
    expect(lastUpstreamBody()).toEqual({ model: CATALOG_MODEL, messages: [{ role: "user", content: "hello gateway" }], temperature: 0.2 });

    const log = await flushedLog(requestId);
    expect(log).toMatchObject({
      status: 200,
      provider: PROVIDER_NAME,
      model: CATALOG_MODEL,
      requested_model: CATALOG_MODEL,
      virtual_key_id: h.virtualKeyId,
      virtual_key_name: "ci-bot",
      team_name: "platform",
      customer_name: "acme",
      request_type: "chat",
      is_stream: false,
      input_tokens: 5,
      output_tokens: 3,
      attempt_count: 1,
      error_type: null,
    });
    expect(log?.latency_ms).toBeGreaterThanOrEqual(0);
    expect(log?.attempts).toEqual([expect.objectContaining({ provider: PROVIDER_NAME, model: CATALOG_MODEL, key: "main", status: 200 })]);
    expect(log?.search_text).toContain("ci-bot");
  });

  it("accepts provider/model and the /openai/v1 prefix, and strips the provider from the upstream model", async () => {
    const prefixed = new OpenAI({ baseURL: `${h.gatewayUrl}/openai/v1`, apiKey: h.virtualKey, maxRetries: 0 });
    const { data, response } = await prefixed.chat.completions
      .create({ model: `${PROVIDER_NAME}/any-model-name`, messages: [{ role: "user", content: "explicit" }] })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe("Echo: explicit");
    expect(response.headers.get("x-switchyard-model")).toBe("any-model-name");
    expect(lastUpstreamBody().model).toBe("any-model-name");
  });

  it("maps cached and reasoning tokens and prices the request from model_pricing", async () => {
    await insertPrice(h.db, `${PROVIDER_NAME}/${MOCK_MODELS.reasoningCached}`, 2, 8);
    await notifyAndWaitForReload(h.db, h.gatewayUrl);

    const { data, response } = await client.chat.completions
      .create({ model: `${PROVIDER_NAME}/${MOCK_MODELS.reasoningCached}`, messages: [{ role: "user", content: "think about it" }] })
      .withResponse();
    const usage = data.usage!;
    const expectedCost = (usage.prompt_tokens * 2 + usage.completion_tokens * 8) / 1_000_000;
    expect(Number(response.headers.get("x-switchyard-cost-usd"))).toBeCloseTo(expectedCost, 10);

    const log = await flushedLog(response.headers.get("x-request-id") ?? "");
    expect(log?.cache_read_tokens).toBe(usage.prompt_tokens_details?.cached_tokens);
    expect(log?.reasoning_tokens).toBe(7);
    expect(Number(log?.cost_usd)).toBeCloseTo(expectedCost, 10);
  });
});

describe("POST /v1/chat/completions (stream)", () => {
  it("relays SSE chunks and records usage when the client asks for it", async () => {
    const { data: stream, response } = await client.chat.completions
      .create({ model: CATALOG_MODEL, messages: [{ role: "user", content: "stream me please" }], stream: true, stream_options: { include_usage: true } })
      .withResponse();
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    expect(response.headers.get("x-switchyard-provider")).toBe(PROVIDER_NAME);

    let content = "";
    let usage: OpenAI.CompletionUsage | null | undefined;
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      content += chunk.choices[0]?.delta.content ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(content).toBe("Echo: stream me please");
    expect(finish).toBe("stop");
    expect(usage).toMatchObject({ prompt_tokens: 6, completion_tokens: 4 });
    expect(lastUpstreamBody().stream_options).toEqual({ include_usage: true });

    const log = await flushedLog(response.headers.get("x-request-id") ?? "");
    expect(log).toMatchObject({ status: 200, request_type: "chat_stream", is_stream: true, input_tokens: 6, output_tokens: 4 });
    expect(log?.ttft_ms).not.toBeNull();
    expect(log!.ttft_ms!).toBeLessThanOrEqual(log!.latency_ms);
  });

  it("does not add stream_options when the client did not send it", async () => {
    const { data: stream, response } = await client.chat.completions
      .create({ model: CATALOG_MODEL, messages: [{ role: "user", content: "no usage" }], stream: true })
      .withResponse();
    let content = "";
    for await (const chunk of stream) content += chunk.choices[0]?.delta.content ?? "";
    expect(content).toBe("Echo: no usage");
    expect(lastUpstreamBody()).not.toHaveProperty("stream_options");

    // Without a usage chunk the stream is still billed: tokens estimated from the text (PRODUCT §5.7).
    const log = await flushedLog(response.headers.get("x-request-id") ?? "");
    expect(log).toMatchObject({ status: 200, is_stream: true });
    expect(log?.input_tokens).toBeGreaterThan(0);
    expect(log?.output_tokens).toBe(Math.ceil("Echo: no usage".length / 4));
  });
});
