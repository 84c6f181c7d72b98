// The strict Responses mock (gateway/testing/mock-openai-responses-upstream.ts) must be as
// strict as the real API, or tests against it prove nothing: it is checked here with raw HTTP,
// with the real openai SDK (whose stream accumulator rejects events out of order), and with
// this adapter's own requests decoded by this adapter — two-turn tool calls and reasoning
// sent back as encrypted_content included.
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProviderConfig } from "../../config/snapshot";
import { createTransformLog, type CanonicalRequest, type CanonicalResponse, type CanonicalStreamEvent } from "../../formats/canonical";
import { MOCK_MODELS } from "../../testing/mock-openai-behaviours";
import { MOCK_RESPONSES_MODELS, startMockOpenAIResponsesUpstream, type MockResponsesUpstream } from "../../testing/mock-openai-responses-upstream";
import { MOCK_TOOL_ARGUMENTS, REASONING_TOKENS } from "../../testing/mock-scenarios";
import { DEFAULT_PROVIDER_TIMEOUTS } from "../../upstream/provider-timeouts";
import type { UpstreamTarget } from "../types";
import { openaiResponsesAdapter } from "./adapter";

type Json = Record<string, unknown>;

const SECRET = "sk-responses-mock-secret";
const WEATHER = { type: "function" as const, name: "get_weather", description: "Weather for a city", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] }, strict: false };
let mock: MockResponsesUpstream;
let sdk: OpenAI;

beforeAll(async () => {
  mock = await startMockOpenAIResponsesUpstream({ apiKey: SECRET });
  sdk = new OpenAI({ baseURL: mock.url, apiKey: SECRET, maxRetries: 0 });
});

afterAll(async () => {
  await mock?.close();
});

async function post(body: unknown, key = SECRET): Promise<{ status: number; json: { error: { message: string; type: string; param: string | null; code: string | null } } & Json }> {
  const response = await fetch(`${mock.url}/responses`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${key}` }, body: typeof body === "string" ? body : JSON.stringify(body) });
  return { status: response.status, json: await response.json() };
}

const OK = { model: "gpt-5", input: "hello" };

describe("mock Responses upstream: strict like the real API", () => {
  it("answers a wrong or missing key with 401 invalid_api_key", async () => {
    expect(await post(OK, "sk-wrong-key-1234")).toMatchObject({ status: 401, json: { error: { type: "invalid_request_error", code: "invalid_api_key", message: expect.stringMatching(/^Incorrect API key provided: sk-\*\*\*1234/) } } });
    const none = await fetch(`${mock.url}/responses`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(OK) });
    expect(none.status).toBe(401);
  });

  it("rejects unknown fields with unknown_parameter naming them, at every level", async () => {
    const cases: Array<[Json, string]> = [
      [{ ...OK, messages: [] }, "messages"],
      [{ ...OK, input: [{ role: "user", content: "x", name: "bob" }] }, "input[0].name"],
      [{ ...OK, input: [{ role: "user", content: [{ type: "input_text", text: "x", cache_control: {} }] }] }, "input[0].content[0].cache_control"],
      [{ ...OK, tools: [{ type: "function", function: { name: "f" } }] }, "tools[0].function"],
      [{ ...OK, reasoning: { effort: "low", budget_tokens: 100 } }, "reasoning.budget_tokens"],
      [{ ...OK, text: { format: { type: "json_schema", name: "n", schema: {}, json_schema: {} } } }, "text.format.json_schema"],
    ];
    for (const [body, param] of cases) {
      expect(await post(body)).toEqual({ status: 400, json: { error: { message: `Unknown parameter: '${param}'.`, type: "invalid_request_error", param, code: "unknown_parameter" } } });
    }
  });

  it("rejects what a stateless caller gets wrong: previous ids, orphan tool outputs, unverifiable reasoning", async () => {
    expect((await post({ ...OK, previous_response_id: "resp_1" })).json.error).toMatchObject({ code: "previous_response_not_found", param: "previous_response_id" });
    expect((await post({ ...OK, input: [{ type: "function_call_output", call_id: "call_1", output: "x" }] })).json.error.message).toBe("No tool call found for function call output with call_id call_1.");
    const unstored = await post({ ...OK, store: false, input: [{ role: "user", content: "q" }, { type: "reasoning", id: "rs_1", summary: [] }] });
    expect(unstored.status).toBe(404);
    expect(unstored.json.error.message).toMatch(/Items are not persisted when `store` is set to false/);
    const forged = await post({ ...OK, input: [{ role: "user", content: "q" }, { type: "reasoning", id: "rs_1", summary: [], encrypted_content: "forged" }] });
    expect(forged.json.error).toMatchObject({ code: "invalid_encrypted_content" });
    expect((await post({ ...OK, max_output_tokens: 8 })).json.error).toMatchObject({ code: "integer_below_min_value", param: "max_output_tokens" });
    expect((await post({ ...OK, reasoning: { effort: "maximum" } })).json.error).toMatchObject({ code: "invalid_value", param: "reasoning.effort" });
    expect((await post({ ...OK, input: [{ role: "assistant", content: [{ type: "input_text", text: "x" }] }] })).json.error).toMatchObject({ param: "input[0].content[0].type" });
    expect((await post({ ...OK, tools: [WEATHER], tool_choice: { type: "function", name: "other" } })).json.error.message).toMatch(/not found in 'tools'/);
  });

  it("triggers failures by model name", async () => {
    const limited = await fetch(`${mock.url}/responses`, { method: "POST", headers: { authorization: `Bearer ${SECRET}` }, body: JSON.stringify({ ...OK, model: MOCK_MODELS.rateLimit }) });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("20");
    expect(((await limited.json()) as Json).error).toMatchObject({ code: "rate_limit_exceeded" });
    expect((await post({ ...OK, model: MOCK_MODELS.serverError })).status).toBe(500);
  });
});

describe("mock Responses upstream through the real SDK", () => {
  it("answers create() with the scenario's text and usage", async () => {
    const response = await sdk.responses.create({ model: "gpt-5", instructions: "be brief", input: "hello there" });
    expect(response).toMatchObject({ object: "response", status: "completed", output_text: "Echo: hello there", usage: { output_tokens: 3, output_tokens_details: { reasoning_tokens: 0 } } });
  });

  it("streams reasoning, text and a terminal event that the SDK's accumulator takes in order", async () => {
    const stream = sdk.responses.stream({ model: "gpt-5", input: "think it over", reasoning: { effort: "low", summary: "auto" }, include: ["reasoning.encrypted_content"] });
    const events: Array<{ type: string; sequence_number: number }> = [];
    stream.on("event", (event) => events.push(event));
    const final = await stream.finalResponse();
    expect(final.output[0]).toMatchObject({ type: "reasoning", summary: [{ type: "summary_text", text: "Thinking about: think it over" }], encrypted_content: expect.stringMatching(/^gAAAA/) });
    expect(final.output_text).toBe("Echo: think it over");
    expect(final.usage?.output_tokens_details.reasoning_tokens).toBe(REASONING_TOKENS);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    expect(events.slice(0, 4).map((e) => e.type)).toEqual(["response.created", "response.in_progress", "response.output_item.added", "response.reasoning_summary_part.added"]);
    expect(events[events.length - 1]!.type).toBe("response.completed");
  });

  it("writes `event:` lines equal to each data type, with no [DONE]", async () => {
    const response = await fetch(`${mock.url}/responses`, { method: "POST", headers: { authorization: `Bearer ${SECRET}`, "content-type": "application/json" }, body: JSON.stringify({ ...OK, stream: true, tools: [WEATHER], input: "use the tool" }) });
    const frames = (await response.text()).split("\n\n").filter(Boolean);
    const types = frames.map((frame) => {
      const [eventLine, dataLine] = frame.split("\n");
      const data = JSON.parse(dataLine!.replace(/^data: /, "")) as { type: string };
      expect(eventLine).toBe(`event: ${data.type}`);
      return data.type;
    });
    expect(types.filter((t, i) => t !== types[i - 1])).toEqual([
      "response.created", "response.in_progress", "response.output_item.added", "response.function_call_arguments.delta",
      "response.function_call_arguments.done", "response.output_item.done", "response.completed",
    ]);
  });

  it("cuts an answer longer than max_output_tokens: status incomplete", async () => {
    const long = Array.from({ length: 30 }, (_, i) => `word${i}`).join(" ");
    const response = await sdk.responses.create({ model: "gpt-5", input: long, max_output_tokens: 16 });
    expect(response).toMatchObject({ status: "incomplete", incomplete_details: { reason: "max_output_tokens" }, usage: { output_tokens: 16 } });
  });
});

describe("the adapter's own requests against the mock", () => {
  const target: UpstreamTarget = {
    provider: { id: "p", name: "openai", type: "openai", baseUrl: null, requestTypes: [], headers: {}, models: [], enabled: true, keys: [], timeouts: DEFAULT_PROVIDER_TIMEOUTS } satisfies ProviderConfig,
    key: { id: "k", name: "main", secret: SECRET, weight: 1, models: [] },
    model: "gpt-5",
    now: new Date(0),
  };

  async function send(request: CanonicalRequest): Promise<Response> {
    const built = openaiResponsesAdapter.buildRequest(request, { ...target, provider: { ...target.provider, baseUrl: mock.url } }, createTransformLog());
    return fetch(built.url, { method: built.method, headers: built.headers, body: built.body });
  }

  async function complete(request: CanonicalRequest): Promise<CanonicalResponse> {
    const response = await send(request);
    const text = await response.text();
    if (response.status !== 200) throw openaiResponsesAdapter.parseError(response.status, text, null);
    return openaiResponsesAdapter.parseResponse(JSON.parse(text));
  }

  async function streamEvents(request: CanonicalRequest): Promise<CanonicalStreamEvent[]> {
    const response = await send({ ...request, stream: true });
    expect(response.status).toBe(200);
    const decoder = openaiResponsesAdapter.createStreamDecoder();
    const out: CanonicalStreamEvent[] = [];
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) out.push(...decoder.push(chunk));
    out.push(...decoder.end());
    return out;
  }

  const tools = [{ name: "get_weather", description: "Weather", parameters: WEATHER.parameters }];
  const question: CanonicalRequest = { model: "gpt-5", system: [{ type: "text", text: "be brief" }], messages: [{ role: "user", content: [{ type: "text", text: "Please use the tool for Paris" }] }], tools, stream: false, extensions: {} };

  it("completes a two-turn tool call, with Anthropic-style thinking sent back as encrypted_content", async () => {
    const first = await complete({ ...question, maxTokens: 2048, reasoning: { mode: "enabled", budgetTokens: 1024 } });
    expect(first.stopReason).toBe("tool_use");
    const [thinking, call] = first.content;
    expect(thinking).toMatchObject({ type: "thinking", thinking: "Thinking about: Please use the tool for Paris", signature: expect.stringMatching(/^gAAAA/) });
    expect(call).toMatchObject({ type: "tool_use", name: "get_weather", input: MOCK_TOOL_ARGUMENTS });
    const second = await complete({
      ...question,
      messages: [
        ...question.messages,
        { role: "assistant", content: first.content },
        { role: "user", content: [{ type: "tool_result", toolUseId: call!.type === "tool_use" ? call!.id : "", content: [{ type: "text", text: "sunny, 21°C" }] }] },
      ],
      reasoning: { mode: "enabled", budgetTokens: 1024 },
    });
    expect(second.content[second.content.length - 1]).toEqual({ type: "text", text: "Tool result: sunny, 21°C" });
    const sent = mock.requests[mock.requests.length - 1]!.body as Json;
    expect((sent.input as Json[]).map((item) => item.type ?? item.role)).toEqual(["message", "reasoning", "function_call", "function_call_output"]);
  });

  it("decodes its own stream: reasoning, text, usage and stop reason", async () => {
    const events = await streamEvents({ ...question, messages: [{ role: "user", content: [{ type: "text", text: "think it over" }] }], reasoning: { effort: "low", summary: "auto" } });
    expect(events[0]).toMatchObject({ type: "message_start", model: "gpt-5" });
    const text = (kind: "thinking_delta" | "text_delta") => events.map((e) => (e.type === kind ? (kind === "text_delta" ? (e as { text: string }).text : (e as { thinking: string }).thinking) : "")).join("");
    expect(text("thinking_delta")).toBe("Thinking about: think it over");
    expect(text("text_delta")).toBe("Echo: think it over");
    expect(events.find((e) => e.type === "signature_delta")).toMatchObject({ signature: expect.stringMatching(/^gAAAA/) });
    expect(events.find((e) => e.type === "usage")).toMatchObject({ usage: { reasoning: REASONING_TOKENS } });
    expect(events[events.length - 1]).toEqual({ type: "message_stop", stopReason: "end_turn" });
  });

  it("streams a tool call and an incomplete answer", async () => {
    const call = await streamEvents(question);
    expect(call.filter((e) => e.type === "tool_args_delta").map((e) => (e as { partialJson: string }).partialJson).join("")).toBe(JSON.stringify(MOCK_TOOL_ARGUMENTS));
    expect(call[call.length - 1]).toEqual({ type: "message_stop", stopReason: "tool_use" });
    const long = Array.from({ length: 30 }, (_, i) => `w${i}`).join(" ");
    const cut = await streamEvents({ ...question, tools: [], maxTokens: 1, messages: [{ role: "user", content: [{ type: "text", text: long }] }] });
    expect(cut[cut.length - 1]).toEqual({ type: "message_stop", stopReason: "max_tokens" });
  });

  it("maps the mock's failures: HTTP errors, response.failed and the error event", async () => {
    const hello: CanonicalRequest = { ...question, tools: [], messages: [{ role: "user", content: [{ type: "text", text: "hello there friend" }] }], stream: true };
    const failing = (model: string) => openaiResponsesAdapter.buildRequest(hello, { ...target, model, provider: { ...target.provider, baseUrl: mock.url } }, createTransformLog());
    const limited = failing(MOCK_MODELS.rateLimit);
    const response = await fetch(limited.url, { method: "POST", headers: limited.headers, body: limited.body });
    expect(openaiResponsesAdapter.parseError(response.status, await response.text(), 20)).toMatchObject({ status: 429, code: "rate_limit_exceeded", retryable: true, retryAfterSeconds: 20 });
    for (const model of [MOCK_RESPONSES_MODELS.streamFailed, MOCK_RESPONSES_MODELS.streamError]) {
      const built = failing(model);
      const streamed = await fetch(built.url, { method: "POST", headers: built.headers, body: built.body });
      const decoder = openaiResponsesAdapter.createStreamDecoder();
      const events = [...decoder.push(new Uint8Array(await streamed.arrayBuffer())), ...decoder.end()];
      expect(events.map((e) => e.type)).toEqual(["message_start", "block_start", "text_delta", "error"]);
      expect(events[3]).toMatchObject({ error: { source: "upstream", code: "server_error", retryable: true } });
    }
  });
});
