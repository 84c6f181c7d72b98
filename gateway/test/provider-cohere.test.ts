// Cohere (v2 Chat) behind the gateway, end to end: the real @anthropic-ai/sdk (create and the
// .stream() helper) through /anthropic, and the real openai SDK through /v1/chat/completions,
// against the strict Cohere mock. Text, a two-turn tool call (Cohere's tool plan coming back
// as text), thinking on a reasoning model, streaming, usage, and upstream errors in the
// client's format.
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COHERE_STREAM_ERROR_TRIGGER, startMockCohereUpstream, type MockCohereUpstream } from "../testing/mock-cohere-upstream";
import { MOCK_TOOL_ARGUMENTS, REASONING_TOKENS } from "../testing/mock-scenarios";
import { findLog, startGatewayHarness, type GatewayHarness } from "./support/gateway-harness";
import { insertRoutingRule } from "./support/routing-seed";
import { insertProvider } from "./support/seed";
import { waitFor } from "./support/wait-for";

const COHERE_KEY = "co-e2e-upstream-key-0001";
const COMMAND = "command-a-03-2025";
const REASONING = "command-a-reasoning-08-2025";
/** Listed on the provider but unknown to the mock: Cohere answers 404. */
const RETIRED = "command-light";
const CLAUDE_MODEL = "claude-sonnet-4-5-20250929";
const CLAUDE_THINKING_MODEL = "claude-opus-4-1-20250805";
const WEATHER_TOOL = { name: "get_weather", description: "Weather for a city", input_schema: { type: "object" as const, properties: { city: { type: "string" } }, required: ["city"] } };
const PLAN = "I will use the get_weather tool to answer.";

let h: GatewayHarness;
let cohere: MockCohereUpstream;
let anthropic: Anthropic;
let openai: OpenAI;

beforeAll(async () => {
  cohere = await startMockCohereUpstream({ apiKey: COHERE_KEY, models: [COMMAND, REASONING] });
  h = await startGatewayHarness({
    seed: async (db) => {
      await insertProvider(db, { name: "cohere", type: "cohere", baseUrl: cohere.url, models: [COMMAND, REASONING, RETIRED], keys: [{ name: "main", secret: COHERE_KEY }] });
      await insertRoutingRule(db, { name: "opus-to-command-reasoning", priority: 10, condition: 'model.startsWith("claude-opus")', targets: [{ provider: "cohere", model: REASONING }] });
      await insertRoutingRule(db, { name: "claude-to-command", condition: 'model.startsWith("claude-")', targets: [{ provider: "cohere", model: COMMAND }] });
    },
  });
  anthropic = new Anthropic({ baseURL: `${h.gatewayUrl}/anthropic`, apiKey: h.virtualKey, maxRetries: 0 });
  openai = new OpenAI({ baseURL: `${h.gatewayUrl}/v1`, apiKey: h.virtualKey, maxRetries: 0 });
}, 60_000);

afterAll(async () => {
  await h?.close();
  await cohere?.close();
});

function lastCohereBody(): Record<string, unknown> {
  return cohere.requests[cohere.requests.length - 1]!.body as Record<string, unknown>;
}

describe("Anthropic Messages → Cohere v2 chat (strict mock)", () => {
  it("answers text with usage and logs it", async () => {
    // Claude Code-era clients still send top_p; this SDK's types no longer list it.
    const params = { model: CLAUDE_MODEL, max_tokens: 256, top_p: 1, system: "be brief", messages: [{ role: "user", content: "hello there" }] } as Anthropic.MessageCreateParamsNonStreaming;
    const { data: message, response } = await anthropic.messages.create(params).withResponse();
    expect(message.content).toEqual([{ type: "text", text: "Echo: hello there" }]);
    expect(message.stop_reason).toBe("end_turn");
    expect(message.usage.output_tokens).toBe(3);
    // top_p 1 would be a 400 at Cohere: clamped, and recorded.
    expect(lastCohereBody()).toEqual({ model: COMMAND, messages: [{ role: "system", content: "be brief" }, { role: "user", content: "hello there" }], max_tokens: 256, p: 0.99 });
    expect(cohere.requests[cohere.requests.length - 1]!.headers.authorization).toBe(`Bearer ${COHERE_KEY}`);
    const log = await waitFor(() => findLog(h.db, response.headers.get("x-request-id")!), (row) => row !== undefined, { what: "log row" });
    expect(log).toMatchObject({ status: 200, provider: "cohere", model: COMMAND, output_tokens: 3, request_type: "messages" });
    const changes = (log as unknown as { param_transformations: Array<{ param: string; action: string }> }).param_transformations;
    expect(changes).toEqual([expect.objectContaining({ param: "top_p", action: "changed", to: 0.99 })]);
  });

  it("completes a two-turn tool call; the tool plan comes back as text and goes out as tool_plan", async () => {
    const first = await anthropic.messages.create({ model: CLAUDE_MODEL, max_tokens: 256, tools: [WEATHER_TOOL], messages: [{ role: "user", content: "Please use the tool for Paris" }] });
    expect(first.stop_reason).toBe("tool_use");
    expect(first.content[0]).toEqual(expect.objectContaining({ type: "text", text: PLAN }));
    const call = first.content.find((b) => b.type === "tool_use");
    expect(call).toMatchObject({ name: "get_weather", input: MOCK_TOOL_ARGUMENTS });
    const callId = call?.type === "tool_use" ? call.id : "";
    const second = await anthropic.messages.create({
      model: CLAUDE_MODEL,
      max_tokens: 256,
      tools: [WEATHER_TOOL],
      messages: [
        { role: "user", content: "Please use the tool for Paris" },
        { role: "assistant", content: first.content },
        { role: "user", content: [{ type: "tool_result", tool_use_id: callId, content: "sunny, 21°C" }] },
      ],
    });
    expect(second.content).toEqual([{ type: "text", text: "Tool result: sunny, 21°C" }]);
    const messages = lastCohereBody().messages as Array<Record<string, unknown>>;
    expect(messages[1]).toMatchObject({ role: "assistant", tool_plan: PLAN, tool_calls: [{ id: callId, type: "function", function: { name: "get_weather" } }] });
    expect(messages[2]).toEqual({ role: "tool", tool_call_id: callId, content: "sunny, 21°C" });
  });

  it("thinks on a reasoning model, with thinking mapped to Cohere's token budget", async () => {
    const message = await anthropic.messages.create({ model: CLAUDE_THINKING_MODEL, max_tokens: 4096, thinking: { type: "enabled", budget_tokens: 2048 }, messages: [{ role: "user", content: "think about it" }] });
    expect(message.content[0]).toMatchObject({ type: "thinking", thinking: "Thinking about: think about it" });
    expect(message.content[1]).toEqual({ type: "text", text: "Echo: think about it" });
    expect(message.usage.output_tokens).toBe(4 + REASONING_TOKENS);
    expect(lastCohereBody()).toMatchObject({ model: REASONING, thinking: { type: "enabled", token_budget: 2048 } });
  });

  it("streams thinking and text through the .stream() helper, with usage", async () => {
    const stream = anthropic.messages.stream({ model: CLAUDE_THINKING_MODEL, max_tokens: 4096, thinking: { type: "enabled", budget_tokens: 1024 }, messages: [{ role: "user", content: "stream your thoughts" }] });
    const events: string[] = [];
    stream.on("streamEvent", (event) => events.push(event.type));
    const final = await stream.finalMessage();
    expect(final.content[0]).toMatchObject({ type: "thinking", thinking: "Thinking about: stream your thoughts" });
    expect(final.content[1]).toMatchObject({ type: "text", text: "Echo: stream your thoughts" });
    expect(final.usage.output_tokens).toBe(4 + REASONING_TOKENS);
    expect(events[0]).toBe("message_start");
    expect(events.slice(-2)).toEqual(["message_delta", "message_stop"]);
  });

  it("streams a tool call through the .stream() helper with its arguments intact", async () => {
    const final = await anthropic.messages.stream({ model: CLAUDE_MODEL, max_tokens: 256, tools: [WEATHER_TOOL], messages: [{ role: "user", content: "use the tool now" }] }).finalMessage();
    expect(final.stop_reason).toBe("tool_use");
    expect(final.content.map((b) => b.type)).toEqual(["text", "tool_use"]);
    expect(final.content[1]).toMatchObject({ name: "get_weather", input: MOCK_TOOL_ARGUMENTS });
  });

  it("returns Cohere's 404 in Anthropic's error shape, marked as upstream", async () => {
    const response = await fetch(`${h.gatewayUrl}/anthropic/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": h.virtualKey, "content-type": "application/json", "anthropic-version": "2023-06-01" },
      body: JSON.stringify({ model: `cohere/${RETIRED}`, max_tokens: 16, messages: [{ role: "user", content: "hi" }] }),
    });
    expect(response.status).toBe(404);
    expect(response.headers.get("x-switchyard-error-source")).toBe("upstream");
    const body = (await response.json()) as { error: { type: string; message: string } };
    expect(body.error.type).toBe("not_found_error");
    expect(body.error.message).toBe(`cohere: model '${RETIRED}' not found, make sure the correct model ID was used and that you have access to the model. (upstream: cohere)`);
  });

  it("ends a stream with an Anthropic error event when Cohere's stream ends in ERROR", async () => {
    const stream = anthropic.messages.stream({ model: CLAUDE_MODEL, max_tokens: 64, messages: [{ role: "user", content: `${COHERE_STREAM_ERROR_TRIGGER} please` }] });
    const error = await stream.finalMessage().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(String((error as Error).message)).toContain("internal server error");
    expect(String((error as Error).message)).toContain("upstream: cohere");
  });
});

describe("OpenAI chat completions → Cohere v2 chat (strict mock)", () => {
  const model = `cohere/${COMMAND}`;

  it("answers text with usage", async () => {
    const completion = await openai.chat.completions.create({ model, max_tokens: 64, messages: [{ role: "user", content: "hello there" }] });
    expect(completion.choices[0]!.message.content).toBe("Echo: hello there");
    expect(completion.choices[0]!.finish_reason).toBe("stop");
    expect(completion.usage).toMatchObject({ completion_tokens: 3 });
  });

  it("completes a two-turn tool call", async () => {
    const tools = [{ type: "function" as const, function: { name: "get_weather", parameters: WEATHER_TOOL.input_schema } }];
    const first = await openai.chat.completions.create({ model, tools, messages: [{ role: "user", content: "use the tool" }] });
    const message = first.choices[0]!.message;
    expect(first.choices[0]!.finish_reason).toBe("tool_calls");
    const call = message.tool_calls![0]!;
    expect(call.type === "function" && JSON.parse(call.function.arguments)).toEqual(MOCK_TOOL_ARGUMENTS);
    const second = await openai.chat.completions.create({ model, tools, messages: [{ role: "user", content: "use the tool" }, message, { role: "tool", tool_call_id: call.id, content: "sunny" }] });
    expect(second.choices[0]!.message.content).toBe("Tool result: sunny");
  });

  it("streams text with usage in the last chunk", async () => {
    const stream = await openai.chat.completions.create({ model, stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: "stream please" }] });
    let text = "";
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe("Echo: stream please");
    expect(usage?.completion_tokens).toBe(3);
  });

  it("returns Cohere's error in OpenAI's error shape, naming the provider", async () => {
    const error = await openai.chat.completions.create({ model: `cohere/${RETIRED}`, messages: [{ role: "user", content: "hi" }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error).toMatchObject({ status: 404, type: "not_found_error", message: expect.stringContaining(`cohere: model '${RETIRED}' not found`) });
  });
});
