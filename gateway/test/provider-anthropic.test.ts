// The Anthropic provider end to end: the real @anthropic-ai/sdk (create and the .stream()
// helper) → the gateway's /anthropic surface → the `anthropic` provider → the strict
// Anthropic mock. Same family on both sides, so the gateway passes the body through (PRODUCT
// §3.4) with only the model replaced, and reads usage with the adapter's JSON reader and
// stream watcher. Nothing may be lost on the way: text, a two-turn tool call with the
// upstream's tool ids, thinking whose signature the mock verifies when it comes back,
// prompt-cache and thinking usage, and upstream failures (529 before the stream, an error
// event inside it) reaching the client as Anthropic errors marked upstream. The translating
// half of the adapter (canonical ↔ Anthropic) is driven through the gateway by the real
// `openai` client on the Responses surface, and against the mock directly in
// gateway/providers/anthropic/anthropic-mock.test.ts.
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MOCK_ANTHROPIC_MODELS, mockThinkingSignature, startMockAnthropicUpstream, type MockAnthropicUpstream } from "../testing/mock-anthropic-upstream";
import { MOCK_TOOL_ARGUMENTS, REASONING_TOKENS } from "../testing/mock-scenarios";
import { findLog, startGatewayHarness, type GatewayHarness, type LogRow } from "./support/gateway-harness";
import { insertProvider } from "./support/seed";
import { waitFor } from "./support/wait-for";

const ANTHROPIC_SECRET = "sk-ant-upstream-secret-0001";
const UPSTREAM_MODEL = "claude-sonnet-4-5";
const MODEL = `anthropic/${UPSTREAM_MODEL}`;
let h: GatewayHarness;
let mock: MockAnthropicUpstream;
let client: Anthropic;

const WEATHER_TOOL = { name: "get_weather", description: "Weather for a city", input_schema: { type: "object" as const, properties: { city: { type: "string" } }, required: ["city"] } };

beforeAll(async () => {
  mock = await startMockAnthropicUpstream({ apiKey: ANTHROPIC_SECRET });
  h = await startGatewayHarness({
    seed: async (db) => {
      await insertProvider(db, {
        name: "anthropic",
        type: "anthropic",
        baseUrl: mock.url,
        models: [UPSTREAM_MODEL, MOCK_ANTHROPIC_MODELS.overloaded, MOCK_ANTHROPIC_MODELS.streamError],
        keys: [{ name: "main", secret: ANTHROPIC_SECRET }],
      });
    },
  });
  client = new Anthropic({ baseURL: `${h.gatewayUrl}/anthropic`, apiKey: h.virtualKey, maxRetries: 0 });
}, 60_000);

afterAll(async () => {
  await h?.close();
  await mock?.close();
});

function lastUpstream(): { headers: Record<string, unknown>; body: Record<string, unknown> } {
  const last = mock.requests[mock.requests.length - 1]!;
  return { headers: last.headers, body: last.body as Record<string, unknown> };
}

type LogWithExtras = LogRow & { client_api: string; cache_write_tokens: number; param_transformations: Array<{ param: string; action: string }> };

async function logOf(requestId: string): Promise<LogWithExtras> {
  return (await waitFor(() => findLog(h.db, requestId), (row) => row !== undefined, { what: `log row ${requestId}` })) as LogWithExtras;
}

describe("Anthropic SDK → gateway → anthropic provider (strict mock)", () => {
  it("answers text, sending the client's body with the upstream model, key and version, and logs the request", async () => {
    const request = { model: MODEL, max_tokens: 256, system: "be brief", metadata: { user_id: "u-1" }, messages: [{ role: "user" as const, content: "hello there" }] };
    const { data: message, response } = await client.messages.create(request).withResponse();
    expect(message).toMatchObject({ type: "message", role: "assistant", stop_reason: "end_turn", content: [{ type: "text", text: "Echo: hello there" }] });
    expect(message.id).toMatch(/^msg_/);
    expect(message.usage.output_tokens).toBe(3);
    const upstream = lastUpstream();
    expect(upstream.headers).toMatchObject({ "x-api-key": ANTHROPIC_SECRET, "anthropic-version": "2023-06-01" });
    expect(upstream.body).toEqual({ ...request, model: UPSTREAM_MODEL });
    const log = await logOf(response.headers.get("x-request-id")!);
    expect(log).toMatchObject({ status: 200, provider: "anthropic", model: UPSTREAM_MODEL, client_api: "anthropic_messages", request_type: "messages", output_tokens: 3 });
    expect(log.input_tokens).toBe(message.usage.input_tokens);
  });

  it("completes a two-turn tool call with the upstream's tool id unchanged, is_error included", async () => {
    const first = await client.messages.create({ model: MODEL, max_tokens: 256, tools: [WEATHER_TOOL], messages: [{ role: "user", content: "Please use the tool for Paris" }] });
    expect(first.stop_reason).toBe("tool_use");
    const call = first.content.find((b) => b.type === "tool_use");
    expect(call).toMatchObject({ type: "tool_use", name: "get_weather", input: MOCK_TOOL_ARGUMENTS, id: expect.stringMatching(/^toolu_/) });
    const id = (call as { id: string }).id;
    // The mock answers 400 unless the tool_result names a tool_use of the previous turn.
    const messages: Anthropic.MessageParam[] = [
      { role: "user", content: "Please use the tool for Paris" },
      { role: "assistant", content: first.content },
      { role: "user", content: [{ type: "tool_result", tool_use_id: id, content: "sunny, 21°C", is_error: true }] },
    ];
    const second = await client.messages.create({ model: MODEL, max_tokens: 256, tools: [WEATHER_TOOL], messages });
    expect(second.content).toEqual([{ type: "text", text: "Tool result: sunny, 21°C" }]);
    const sent = lastUpstream().body.messages as Array<{ content: Array<Record<string, unknown>> }>;
    expect(sent[1]!.content).toContainEqual({ type: "tool_use", id, name: "get_weather", input: MOCK_TOOL_ARGUMENTS });
    expect(sent[2]).toEqual(messages[2]);
  });

  it("round-trips thinking with its signature (the mock rejects an altered one)", async () => {
    const thinking = { type: "enabled" as const, budget_tokens: 1024 };
    const first = await client.messages.create({ model: MODEL, max_tokens: 2048, thinking, messages: [{ role: "user", content: "think about cats" }] });
    const block = first.content[0];
    expect(block).toEqual({ type: "thinking", thinking: "Thinking about: think about cats", signature: mockThinkingSignature("Thinking about: think about cats") });
    expect(first.content[1]).toEqual({ type: "text", text: "Echo: think about cats" });
    expect(first.usage.output_tokens).toBe(4 + REASONING_TOKENS);

    const second = await client.messages.create({
      model: MODEL,
      max_tokens: 2048,
      thinking,
      messages: [{ role: "user", content: "think about cats" }, { role: "assistant", content: first.content }, { role: "user", content: "and dogs?" }],
    });
    expect(second.content[1]).toEqual({ type: "text", text: "Echo: and dogs?" });
    expect((lastUpstream().body.messages as Array<{ content: unknown[] }>)[1]!.content[0]).toEqual(block);

    const tampered = client.messages.create({
      model: MODEL,
      max_tokens: 2048,
      thinking,
      messages: [{ role: "user", content: "think about cats" }, { role: "assistant", content: [{ ...(block as Anthropic.ThinkingBlock), thinking: "something else" }, first.content[1]!] }, { role: "user", content: "x" }],
    });
    await expect(tampered).rejects.toMatchObject({ status: 400 });
  });

  it("streams thinking and text through the .stream() helper in Anthropic's event order", async () => {
    const stream = client.messages.stream({ model: MODEL, max_tokens: 2048, thinking: { type: "adaptive" }, messages: [{ role: "user", content: "stream some thoughts" }] } as Parameters<typeof client.messages.stream>[0]);
    const events: string[] = [];
    stream.on("streamEvent", (event) => events.push(event.type));
    const final = await stream.finalMessage();
    expect(final.content[0]).toEqual({ type: "thinking", thinking: "Thinking about: stream some thoughts", signature: mockThinkingSignature("Thinking about: stream some thoughts") });
    expect(final.content[1]).toMatchObject({ type: "text", text: "Echo: stream some thoughts" });
    expect(final.usage.output_tokens).toBe(4 + REASONING_TOKENS);
    expect(events[0]).toBe("message_start");
    expect(events.slice(-2)).toEqual(["message_delta", "message_stop"]);
    expect(lastUpstream().body).toMatchObject({ stream: true, thinking: { type: "adaptive" } });
    const log = await logOf((await stream.withResponse()).response.headers.get("x-request-id")!);
    expect(log).toMatchObject({ is_stream: true, request_type: "messages_stream", output_tokens: 4 + REASONING_TOKENS, reasoning_tokens: REASONING_TOKENS });
  });

  it("streams a tool call with its arguments reassembled from input_json_delta pieces", async () => {
    const final = await client.messages.stream({ model: MODEL, max_tokens: 256, tools: [WEATHER_TOOL], messages: [{ role: "user", content: "use the tool now" }] }).finalMessage();
    expect(final.stop_reason).toBe("tool_use");
    expect(final.content.find((b) => b.type === "tool_use")).toMatchObject({ name: "get_weather", input: MOCK_TOOL_ARGUMENTS, id: expect.stringMatching(/^toolu_/) });
  });

  it("reports prompt-cache writes then reads, JSON and stream, and logs input including cached tokens", async () => {
    const system = [{ type: "text" as const, text: "A long, stable system prompt worth caching for the session.", cache_control: { type: "ephemeral" as const } }];
    const first = await client.messages.create({ model: MODEL, max_tokens: 64, system, messages: [{ role: "user", content: "cached question one" }] });
    expect(first.usage.cache_creation_input_tokens).toBeGreaterThan(0);
    expect(first.usage.cache_read_input_tokens).toBe(0);
    expect((lastUpstream().body.system as unknown[])[0]).toEqual(system[0]);

    const stream = client.messages.stream({ model: MODEL, max_tokens: 64, system, messages: [{ role: "user", content: "cached question two" }] });
    const second = await stream.finalMessage();
    expect(second.usage).toMatchObject({ cache_creation_input_tokens: 0, cache_read_input_tokens: first.usage.cache_creation_input_tokens, input_tokens: first.usage.input_tokens });
    const log = await logOf((await stream.withResponse()).response.headers.get("x-request-id")!);
    expect(log).toMatchObject({ cache_read_tokens: second.usage.cache_read_input_tokens, input_tokens: second.usage.input_tokens + (second.usage.cache_read_input_tokens ?? 0) });
  });
});

describe("upstream failures reach the Anthropic client in its own error shape", () => {
  it("a 529 overloaded_error, after the gateway's retries, keeps status and type and says it came from upstream", async () => {
    const before = mock.requests.length;
    const response = await fetch(`${h.gatewayUrl}/anthropic/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": h.virtualKey, "content-type": "application/json", "anthropic-version": "2023-06-01" },
      body: JSON.stringify({ model: `anthropic/${MOCK_ANTHROPIC_MODELS.overloaded}`, max_tokens: 16, messages: [{ role: "user", content: "x" }] }),
    });
    expect(response.status).toBe(529);
    expect(response.headers.get("x-switchyard-error-source")).toBe("upstream");
    const body = (await response.json()) as { type: string; error: { type: string; message: string } };
    expect(body).toMatchObject({ type: "error", error: { type: "overloaded_error" } });
    expect(body.error.message).toContain("Overloaded");
    expect(body.error.message).toContain("(upstream: anthropic)");
    // Overload is retryable: the gateway tried more than once before giving up.
    expect(mock.requests.length - before).toBeGreaterThan(1);
    const log = await logOf(response.headers.get("x-request-id")!);
    expect(log).toMatchObject({ status: 529, error_source: "upstream", error_type: "overloaded_error" });

    await expect(client.messages.create({ model: `anthropic/${MOCK_ANTHROPIC_MODELS.overloaded}`, max_tokens: 16, messages: [{ role: "user", content: "y" }] })).rejects.toMatchObject({ status: 529 });
  });

  it("an error event inside a started stream ends the client's stream with an Anthropic error", async () => {
    const stream = client.messages.stream({ model: `anthropic/${MOCK_ANTHROPIC_MODELS.streamError}`, max_tokens: 64, messages: [{ role: "user", content: "tell me a long story" }] });
    const texts: string[] = [];
    stream.on("text", (text) => texts.push(text));
    await expect(stream.finalMessage()).rejects.toThrow(/overloaded|Overloaded/);
    expect(texts.join("")).toBe("Echo: tell ");
  });
});

describe("translated: OpenAI Responses client → anthropic provider", () => {
  const openai = () => new OpenAI({ baseURL: `${h.gatewayUrl}/v1`, apiKey: h.virtualKey, maxRetries: 0 });

  it("answers JSON and streams, with the Anthropic request built by the adapter and its changes logged", async () => {
    const { data: response, response: raw } = await openai().responses.create({ model: MODEL, instructions: "be brief", input: "translate me" }).withResponse();
    expect(response.output_text).toBe("Echo: translate me");
    // Anthropic requires max_tokens; the client sent none.
    expect(lastUpstream().body).toEqual({ model: UPSTREAM_MODEL, max_tokens: 4096, system: "be brief", messages: [{ role: "user", content: [{ type: "text", text: "translate me" }] }] });
    const log = await logOf(raw.headers.get("x-request-id")!);
    expect(log).toMatchObject({ status: 200, provider: "anthropic", client_api: "openai_responses" });
    expect(log.param_transformations).toContainEqual(expect.objectContaining({ param: "max_tokens", action: "changed" }));

    const streamed = await openai().responses.stream({ model: MODEL, input: "stream me too", max_output_tokens: 100 }).finalResponse();
    expect(streamed.output_text).toBe("Echo: stream me too");
    expect(lastUpstream().body).toMatchObject({ stream: true, max_tokens: 100 });
    expect(streamed.usage?.output_tokens).toBe(4);
  });
});
