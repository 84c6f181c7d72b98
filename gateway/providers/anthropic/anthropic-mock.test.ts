// The strict Anthropic mock (gateway/testing/mock-anthropic-upstream.ts) must be as strict as
// the real API, or the end-to-end tests prove nothing: it is checked here with raw HTTP, with
// the real @anthropic-ai/sdk, and with this adapter's own requests decoded by this adapter.
import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProviderConfig } from "../../config/snapshot";
import { createTransformLog, type CanonicalRequest, type CanonicalStreamEvent } from "../../formats/canonical";
import { MOCK_TOOL_ARGUMENTS, REASONING_TOKENS } from "../../testing/mock-scenarios";
import { MOCK_ANTHROPIC_MODELS, mockThinkingSignature, startMockAnthropicUpstream, type MockAnthropicUpstream } from "../../testing/mock-anthropic-upstream";
import { DEFAULT_PROVIDER_TIMEOUTS } from "../../upstream/provider-timeouts";
import type { UpstreamTarget } from "../types";
import { anthropicAdapter } from "./anthropic-adapter";

const SECRET = "sk-ant-mock-secret";
let mock: MockAnthropicUpstream;
let sdk: Anthropic;

beforeAll(async () => {
  mock = await startMockAnthropicUpstream({ apiKey: SECRET });
  sdk = new Anthropic({ baseURL: mock.url, apiKey: SECRET, maxRetries: 0 });
});

afterAll(async () => {
  await mock?.close();
});

async function post(body: unknown, headers: Record<string, string> = {}, path = "/v1/messages"): Promise<{ status: number; json: { type: string; error: { type: string; message: string } } & Record<string, unknown> }> {
  const response = await fetch(`${mock.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": SECRET, "anthropic-version": "2023-06-01", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

const OK = { model: "claude-sonnet-4-5", max_tokens: 100, messages: [{ role: "user", content: "hello" }] };

describe("mock Anthropic upstream: strict like the real API", () => {
  it("answers a wrong or missing key with 401 authentication_error and a missing version with 400", async () => {
    expect(await post(OK, { "x-api-key": "sk-wrong" })).toMatchObject({ status: 401, json: { type: "error", error: { type: "authentication_error", message: "invalid x-api-key" } } });
    const noVersion = await fetch(`${mock.url}/v1/messages`, { method: "POST", headers: { "x-api-key": SECRET, "content-type": "application/json" }, body: JSON.stringify(OK) });
    expect(noVersion.status).toBe(400);
    expect(await noVersion.json()).toMatchObject({ error: { type: "invalid_request_error", message: "anthropic-version: header is required" } });
  });

  it("rejects unknown fields with the real paths", async () => {
    const cases: Array<[unknown, string]> = [
      [{ ...OK, response_format: { type: "json_object" } }, "response_format: Extra inputs are not permitted"],
      [{ ...OK, messages: [{ role: "user", content: "x", name: "bob" }] }, "messages.0.name: Extra inputs are not permitted"],
      [{ ...OK, messages: [{ role: "user", content: [{ type: "text", text: "x", detail: "high" }] }] }, "messages.0.content.0.text.detail: Extra inputs are not permitted"],
      [{ ...OK, system: [{ type: "text", text: "s", cache_control: { type: "ephemeral", scope: "org" } }] }, "system.0.text.cache_control.ephemeral.scope: Extra inputs are not permitted"],
      [{ ...OK, tools: [{ name: "t", input_schema: { type: "object" }, parameters: { type: "object" } }] }, "tools.0.custom.parameters: Extra inputs are not permitted"],
      [{ ...OK, thinking: { type: "enabled", budget_tokens: 2000, extra: 1 }, max_tokens: 4000 }, "thinking.enabled.extra: Extra inputs are not permitted"],
      [{ ...OK, tool_choice: { type: "auto", parallel: false } }, "tool_choice.auto.parallel: Extra inputs are not permitted"],
      [{ ...OK, metadata: { user_id: "u", session: "s" } }, "metadata.session: Extra inputs are not permitted"],
    ];
    for (const [body, message] of cases) {
      const { status, json } = await post(body);
      expect({ status, type: json.error.type, message: json.error.message }).toEqual({ status: 400, type: "invalid_request_error", message });
      expect(json.request_id).toMatch(/^req_/);
    }
  });

  it("requires max_tokens, user-first alternating roles and known roles", async () => {
    const { max_tokens: _omit, ...noMax } = OK;
    expect((await post(noMax)).json.error.message).toBe("max_tokens: Field required");
    expect((await post({ ...OK, messages: [{ role: "assistant", content: "hi" }] })).json.error.message).toBe('messages: first message must use the "user" role');
    expect((await post({ ...OK, messages: [{ role: "user", content: "a" }, { role: "user", content: "b" }] })).json.error.message).toContain("roles must alternate");
    expect((await post({ ...OK, messages: [{ role: "system", content: "a" }] })).json.error.message).toBe("messages.0.role: Input should be 'user' or 'assistant'");
  });

  it("checks tool_result ids against the previous turn's tool_use, results first", async () => {
    const call = { role: "assistant", content: [{ type: "tool_use", id: "toolu_1", name: "t", input: {} }] };
    const tools = [{ name: "t", input_schema: { type: "object" } }];
    const wrongId = await post({ ...OK, tools, messages: [OK.messages[0], call, { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_2", content: "r" }] }] });
    expect(wrongId.json.error.message).toMatch(/^messages\.2\.content\.0: unexpected `tool_use_id` found in `tool_result` blocks: toolu_2/);
    const textFirst = await post({ ...OK, tools, messages: [OK.messages[0], call, { role: "user", content: [{ type: "text", text: "first" }, { type: "tool_result", tool_use_id: "toolu_1", content: "r" }] }] });
    expect(textFirst.json.error.message).toMatch(/^messages\.1: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_1/);
    const ok = await post({ ...OK, tools, messages: [OK.messages[0], call, { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: "r" }, { type: "text", text: "then" }] }] });
    expect(ok.status).toBe(200);
  });

  it("enforces 1024 <= budget_tokens < max_tokens and verifies thinking signatures", async () => {
    expect((await post({ ...OK, max_tokens: 4000, thinking: { type: "enabled", budget_tokens: 800 } })).json.error.message).toBe("thinking.enabled.budget_tokens: Input should be greater than or equal to 1024");
    expect((await post({ ...OK, max_tokens: 2000, thinking: { type: "enabled", budget_tokens: 2000 } })).json.error.message).toMatch(/^`max_tokens` must be greater than `thinking.budget_tokens`/);
    const replay = (signature: string) => post({ ...OK, messages: [OK.messages[0], { role: "assistant", content: [{ type: "thinking", thinking: "t", signature }, { type: "text", text: "a" }] }, { role: "user", content: "more" }] });
    expect((await replay("forged")).json.error.message).toBe("messages.1.content.0: Invalid `signature` in `thinking` block");
    expect((await replay(mockThinkingSignature("t"))).status).toBe(200);
  });

  it("answers 404 not_found_error for unknown routes and counts tokens", async () => {
    expect(await post(OK, {}, "/v1/complete")).toMatchObject({ status: 404, json: { error: { type: "not_found_error" } } });
    const { max_tokens: _omit, ...countBody } = OK;
    const count = await post(countBody, {}, "/v1/messages/count_tokens");
    expect(count.status).toBe(200);
    expect(count.json.input_tokens).toBeGreaterThan(0);
    expect((await post(OK, {}, "/v1/messages/count_tokens")).json.error.message).toBe("max_tokens: Extra inputs are not permitted");
  });

  it("triggers failures by model name", async () => {
    expect(await post({ ...OK, model: MOCK_ANTHROPIC_MODELS.overloaded })).toMatchObject({ status: 529, json: { type: "error", error: { type: "overloaded_error", message: "Overloaded" } } });
    const limited = await fetch(`${mock.url}/v1/messages`, { method: "POST", headers: { "x-api-key": SECRET, "anthropic-version": "2023-06-01" }, body: JSON.stringify({ ...OK, model: MOCK_ANTHROPIC_MODELS.rateLimit }) });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("7");
    expect((await post({ ...OK, model: MOCK_ANTHROPIC_MODELS.apiError })).status).toBe(500);
  });

  it("reports the prompt cache: written on first sight of a marked prefix, read afterwards", async () => {
    const body = { ...OK, system: [{ type: "text", text: "a long and stable system prompt", cache_control: { type: "ephemeral" } }], messages: [{ role: "user", content: "cache test one" }] };
    const first = (await post(body)).json.usage as Record<string, number>;
    const second = (await post({ ...body, messages: [{ role: "user", content: "cache test two words" }] })).json.usage as Record<string, number>;
    expect(first.cache_creation_input_tokens).toBeGreaterThan(0);
    expect(first.cache_read_input_tokens).toBe(0);
    expect(second).toMatchObject({ cache_creation_input_tokens: 0, cache_read_input_tokens: first.cache_creation_input_tokens });
  });
});

describe("mock Anthropic upstream through the real SDK", () => {
  it("streams thinking, signature and text in the SDK's expected event order", async () => {
    const stream = sdk.messages.stream({ model: "claude-sonnet-4-5", max_tokens: 2048, thinking: { type: "enabled", budget_tokens: 1024 }, messages: [{ role: "user", content: "think it over" }] });
    const events: string[] = [];
    stream.on("streamEvent", (event) => events.push(event.type));
    const final = await stream.finalMessage();
    expect(final.content).toEqual([
      { type: "thinking", thinking: "Thinking about: think it over", signature: mockThinkingSignature("Thinking about: think it over") },
      { type: "text", text: "Echo: think it over", citations: null },
    ].map((b) => (b.type === "text" ? expect.objectContaining({ type: "text", text: b.text }) : b)));
    expect(final.usage.output_tokens).toBe(4 + REASONING_TOKENS);
    // The SDK swallows ping; the raw order is checked below.
    expect(events.slice(0, 3)).toEqual(["message_start", "content_block_start", "content_block_delta"]);
    expect(events.slice(-2)).toEqual(["message_delta", "message_stop"]);
  });

  it("writes the exact wire order, with event: lines matching each data type", async () => {
    const response = await fetch(`${mock.url}/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": SECRET, "anthropic-version": "2023-06-01", "content-type": "application/json" },
      body: JSON.stringify({ ...OK, max_tokens: 2048, stream: true, thinking: { type: "enabled", budget_tokens: 1024 }, messages: [{ role: "user", content: "one two three" }] }),
    });
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const frames = (await response.text()).split("\n\n").filter(Boolean).map((frame) => {
      const [eventLine, dataLine] = frame.split("\n");
      const data = JSON.parse(dataLine!.replace(/^data: /, "")) as { type: string; delta?: { type: string } };
      expect(eventLine).toBe(`event: ${data.type}`);
      return data.delta?.type ? `${data.type}:${data.delta.type}` : data.type;
    });
    const collapsed = frames.filter((f, i) => f !== frames[i - 1]);
    expect(collapsed).toEqual([
      "message_start",
      "content_block_start", "ping", "content_block_delta:thinking_delta", "content_block_delta:signature_delta", "content_block_stop",
      "content_block_start", "content_block_delta:text_delta", "content_block_stop",
      "message_delta", "message_stop",
    ]);
  });

  it("streams tool arguments in pieces the SDK reassembles", async () => {
    const final = await sdk.messages
      .stream({ model: "claude-sonnet-4-5", max_tokens: 100, tools: [{ name: "get_weather", input_schema: { type: "object" } }], messages: [{ role: "user", content: "use the tool" }] })
      .finalMessage();
    expect(final.stop_reason).toBe("tool_use");
    expect(final.content[0]).toMatchObject({ type: "tool_use", name: "get_weather", input: MOCK_TOOL_ARGUMENTS, id: expect.stringMatching(/^toolu_/) });
  });

  it("fails a stream midway with an error event the SDK raises", async () => {
    const stream = sdk.messages.stream({ model: MOCK_ANTHROPIC_MODELS.streamError, max_tokens: 100, messages: [{ role: "user", content: "a long story please" }] });
    await expect(stream.finalMessage()).rejects.toThrow(/overloaded_error|Overloaded/);
  });
});

describe("the adapter's own requests against the mock", () => {
  const target: UpstreamTarget = {
    provider: { id: "p", name: "anthropic", type: "anthropic", baseUrl: null, requestTypes: [], headers: {}, models: [], enabled: true, keys: [], timeouts: DEFAULT_PROVIDER_TIMEOUTS } satisfies ProviderConfig,
    key: { id: "k", name: "main", secret: SECRET, weight: 1, models: [] },
    model: "claude-sonnet-4-5",
    now: new Date(0),
  };

  async function send(request: CanonicalRequest): Promise<Response> {
    const built = anthropicAdapter.buildRequest(request, { ...target, provider: { ...target.provider, baseUrl: mock.url } }, createTransformLog());
    return fetch(built.url, { method: built.method, headers: built.headers, body: built.body });
  }

  // An OpenAI-shaped conversation: no max_tokens, system in the middle, unsigned reasoning, a tool call then its result and more text.
  const conversation: CanonicalRequest = {
    model: "gpt-style",
    system: [{ type: "text", text: "be brief" }],
    messages: [
      { role: "user", content: [{ type: "text", text: "use the tool for Paris" }] },
      { role: "assistant", content: [{ type: "thinking", thinking: "unsigned" }, { type: "tool_use", id: "call_abc", name: "get_weather", input: { city: "Paris" } }] },
      { role: "user", content: [{ type: "tool_result", toolUseId: "call_abc", content: [{ type: "text", text: "sunny" }] }] },
      { role: "system", content: [{ type: "text", text: "answer in one line" }] },
    ],
    tools: [{ name: "get_weather", parameters: { type: "object" } }],
    seed: 1,
    stream: false,
    extensions: { openai_chat: { logprobs: true } },
  };

  it("a translated conversation is accepted and parsed", async () => {
    const response = await send(conversation);
    expect(response.status).toBe(200);
    expect(anthropicAdapter.parseResponse(await response.json()).content).toEqual([{ type: "text", text: "Tool result: sunny" }]);
  });

  it("a translated stream decodes to a complete canonical stream", async () => {
    const response = await send({ ...conversation, stream: true, maxTokens: 3000, reasoning: { mode: "enabled", budgetTokens: 500 } });
    expect(response.status).toBe(200);
    const decoder = anthropicAdapter.createStreamDecoder();
    const events: CanonicalStreamEvent[] = [];
    const reader = response.body!.getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) events.push(...decoder.push(read.value));
    events.push(...decoder.end());
    expect(events[0]?.type).toBe("message_start");
    expect(events[events.length - 1]).toEqual({ type: "message_stop", stopReason: "end_turn" });
    // The tool turn came back without signed thinking (as from an OpenAI chat client): thinking
    // is off for this request, since Claude rejects such a turn with thinking on.
    expect(events.filter((e) => e.type === "signature_delta")).toHaveLength(0);
    expect(events.flatMap((e) => (e.type === "text_delta" ? [e.text] : [])).join("")).toBe("Tool result: sunny");
  });
});
