// The adapter against the strict Cohere mock over real HTTP (undici, as the pipeline sends).
import { request as undiciRequest } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProviderConfig } from "../../config/snapshot";
import { createTransformLog, type CanonicalRequest, type CanonicalStreamEvent, type ContentBlock } from "../../formats/canonical";
import { COHERE_STREAM_ERROR_TRIGGER, COHERE_THROTTLE_TRIGGER, startMockCohereUpstream, type MockCohereUpstream } from "../../testing/mock-cohere-upstream";
import { MOCK_TOOL_ARGUMENTS, REASONING_TOKENS } from "../../testing/mock-scenarios";
import type { UpstreamTarget } from "../types";
import { cohereAdapter } from "./adapter";

const KEY = "co-mock-conformance-key";
const MODEL = "command-a-03-2025";
const REASONING = "command-a-reasoning-08-2025";
const WEATHER = { name: "get_weather", description: "Weather for a city", parameters: { type: "object", properties: { city: { type: "string" } } } };
let mock: MockCohereUpstream;

beforeAll(async () => {
  mock = await startMockCohereUpstream({ apiKey: KEY, models: [MODEL, REASONING] });
});
afterAll(async () => {
  await mock?.close();
});

function target(model = MODEL, secret = KEY): UpstreamTarget {
  const provider = { id: "p", name: "co", type: "cohere", baseUrl: mock.url, headers: {} } as unknown as ProviderConfig;
  return { provider, key: { id: "k", name: "main", secret, weight: 1, models: [] }, model, now: new Date() };
}

const user = (text: string): CanonicalRequest["messages"][number] => ({ role: "user", content: [{ type: "text", text }] });
const canonical = (overrides: Partial<CanonicalRequest> = {}): CanonicalRequest => ({ model: "x", system: [], messages: [user("hello there")], tools: [], maxTokens: 512, stream: false, extensions: {}, ...overrides });

async function post(url: URL, headers: Record<string, string>, body: string) {
  const response = await undiciRequest(url, { method: "POST", headers, body });
  return { status: response.statusCode, text: await response.body.text(), headers: response.headers };
}

async function chat(request: CanonicalRequest, t = target()) {
  const built = cohereAdapter.buildRequest(request, t, createTransformLog());
  const result = await post(built.url, { ...built.headers }, built.body!);
  if (result.status >= 400) throw cohereAdapter.parseError(result.status, result.text, null);
  return cohereAdapter.parseResponse(JSON.parse(result.text));
}

async function chatStream(request: CanonicalRequest): Promise<{ events: CanonicalStreamEvent[]; raw: string }> {
  const built = cohereAdapter.buildRequest({ ...request, stream: true }, target(request.reasoning ? REASONING : MODEL), createTransformLog());
  const response = await undiciRequest(built.url, { method: "POST", headers: { ...built.headers }, body: built.body });
  expect(response.statusCode).toBe(200);
  const decoder = cohereAdapter.createStreamDecoder();
  const events: CanonicalStreamEvent[] = [];
  let raw = "";
  for await (const chunk of response.body as AsyncIterable<Buffer>) {
    raw += chunk.toString("utf8");
    events.push(...decoder.push(chunk));
  }
  events.push(...decoder.end());
  return { events, raw };
}

describe("Cohere adapter ⇄ strict mock", () => {
  it("answers text with billed usage, and rejects a wrong key with 401", async () => {
    const response = await chat(canonical());
    expect(response.content).toEqual([{ type: "text", text: "Echo: hello there" }]);
    expect(response.usage.output).toBe(3);
    expect(mock.requests[mock.requests.length - 1]).toMatchObject({ path: "/v2/chat", headers: { authorization: `Bearer ${KEY}` } });
    await expect(chat(canonical(), target(MODEL, "wrong"))).rejects.toMatchObject({ status: 401, type: "authentication_error", message: "cohere: invalid api token" });
  });

  it("rejects unknown fields, out-of-range p and thinking on a non-reasoning model like Cohere", async () => {
    const built = cohereAdapter.buildRequest(canonical(), target(), createTransformLog());
    const unknown = await post(built.url, { ...built.headers }, JSON.stringify({ ...JSON.parse(built.body!), top_p: 0.5 }));
    expect(unknown.status).toBe(400);
    expect(JSON.parse(unknown.text)).toMatchObject({ message: "invalid request: unknown field: parameter top_p is not a valid field" });
    const nested = await post(built.url, { ...built.headers }, JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "x", name: "bob" }] }));
    expect(JSON.parse(nested.text).message).toBe("invalid request: unknown field: parameter messages[0].name is not a valid field");
    const p = await post(built.url, { ...built.headers }, JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "x" }], p: 1 }));
    expect(JSON.parse(p.text).message).toBe("invalid request: p must be between 0.01 and 0.99");
    const thinking = await post(built.url, { ...built.headers }, JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "x" }], thinking: { type: "enabled" } }));
    expect(thinking.status).toBe(400);
    // The adapter itself never sends what the mock rejects: top_p 1 is clamped, thinking dropped.
    await expect(chat(canonical({ topP: 1, reasoning: { mode: "enabled", budgetTokens: 1024 } }))).resolves.toMatchObject({ content: [{ type: "text", text: "Echo: hello there" }] });
  });

  it("completes a two-turn tool call, the tool plan coming back as text", async () => {
    const first = await chat(canonical({ tools: [WEATHER], messages: [user("please use the tool")] }));
    expect(first.stopReason).toBe("tool_use");
    expect(first.content[0]).toEqual({ type: "text", text: "I will use the get_weather tool to answer." });
    const call = first.content[1] as Extract<ContentBlock, { type: "tool_use" }>;
    expect(call).toMatchObject({ type: "tool_use", name: "get_weather", input: MOCK_TOOL_ARGUMENTS });
    const second = await chat(canonical({
      tools: [WEATHER],
      messages: [user("please use the tool"), { role: "assistant", content: first.content as ContentBlock[] }, { role: "user", content: [{ type: "tool_result", toolUseId: call.id, content: [{ type: "text", text: "sunny" }] }] }],
    }));
    expect(second.content).toEqual([{ type: "text", text: "Tool result: sunny" }]);
    const sent = mock.requests[mock.requests.length - 1]!.body as { messages: unknown[] };
    expect(sent.messages[1]).toEqual({ role: "assistant", tool_plan: "I will use the get_weather tool to answer.", tool_calls: [{ id: call.id, type: "function", function: { name: "get_weather", arguments: JSON.stringify(MOCK_TOOL_ARGUMENTS) } }] });
    await expect(chat(canonical({ tools: [WEATHER], messages: [user("x"), { role: "user", content: [{ type: "tool_result", toolUseId: "nope", content: [] }] }] }))).rejects.toMatchObject({ status: 400, message: expect.stringContaining("does not match any tool call") });
  });

  it("reasons when thinking is on, and answers 429 to the throttle trigger", async () => {
    const response = await chat(canonical({ reasoning: { mode: "enabled", budgetTokens: 2000 }, messages: [user("think")] }), target(REASONING));
    expect(response.content).toEqual([{ type: "thinking", thinking: "Thinking about: think" }, { type: "text", text: "Echo: think" }]);
    expect(response.usage.output).toBe(2 + REASONING_TOKENS);
    await expect(chat(canonical({ messages: [user(COHERE_THROTTLE_TRIGGER)] }))).rejects.toMatchObject({ status: 429, retryable: true, type: "rate_limit_error" });
  });

  it("streams in Cohere's exact event order", async () => {
    const { events, raw } = await chatStream(canonical({ reasoning: { mode: "enabled", budgetTokens: 2000 }, messages: [user("stream it")] }));
    const order = [...raw.matchAll(/^event: (.+)$/gm)].map((m) => m[1]);
    expect(order[0]).toBe("message-start");
    expect(order.slice(1, 2)).toEqual(["content-start"]);
    expect(order[order.length - 1]).toBe("message-end");
    expect(events.map((e) => e.type).filter((t, i, all) => t !== all[i - 1])).toEqual(["message_start", "block_start", "thinking_delta", "block_stop", "block_start", "text_delta", "block_stop", "usage", "message_stop"]);

    const tool = await chatStream(canonical({ tools: [WEATHER], messages: [user("use the tool")] }));
    expect([...tool.raw.matchAll(/^event: (.+)$/gm)].map((m) => m[1]).filter((t, i, all) => t !== all[i - 1])).toEqual(["message-start", "tool-plan-delta", "tool-call-start", "tool-call-delta", "tool-call-end", "message-end"]);
    const args = tool.events.filter((e) => e.type === "tool_args_delta").map((e) => (e as { partialJson: string }).partialJson).join("");
    expect(JSON.parse(args)).toEqual(MOCK_TOOL_ARGUMENTS);

    const failed = await chatStream(canonical({ messages: [user(COHERE_STREAM_ERROR_TRIGGER)] }));
    expect(failed.events[failed.events.length - 1]).toMatchObject({ type: "error", error: { provider: "cohere" } });
  });
});
