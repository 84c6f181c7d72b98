// Amazon Bedrock (Converse) behind the gateway, end to end: the real @anthropic-ai/sdk (create
// and the .stream() helper) through /anthropic, and the real openai SDK through
// /v1/chat/completions, against the strict Bedrock mock — which verifies each request's SigV4
// signature for real. Text, a two-turn tool call, thinking with its signature round-tripped,
// streaming, usage (cache read/write included) and upstream errors in the client's format.
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BEDROCK_STREAM_EXCEPTION_TRIGGER, startMockBedrockUpstream, type MockBedrockUpstream } from "../testing/mock-bedrock-upstream";
import { MOCK_TOOL_ARGUMENTS, REASONING_TOKENS } from "../testing/mock-scenarios";
import { findLog, startGatewayHarness, type GatewayHarness } from "./support/gateway-harness";
import { insertRoutingRule, setProviderSettings } from "./support/routing-seed";
import { insertProvider } from "./support/seed";
import { waitFor } from "./support/wait-for";

const ACCESS_KEY_ID = "AKIAE2EBEDROCKTEST01";
const SECRET_ACCESS_KEY = "e2e/bedrock+secret/key";
const REGION = "eu-central-1";
const BEDROCK_MODEL = "eu.anthropic.claude-sonnet-4-5-20250929-v1:0";
/** Listed on the provider but not served by the mock: Bedrock answers 400 ValidationException. */
const RETIRED_MODEL = "anthropic.claude-v2:1";
const CLAUDE_MODEL = "claude-sonnet-4-5-20250929";
const WEATHER_TOOL = { name: "get_weather", description: "Weather for a city", input_schema: { type: "object" as const, properties: { city: { type: "string" } }, required: ["city"] } };

let h: GatewayHarness;
let bedrock: MockBedrockUpstream;
let anthropic: Anthropic;

beforeAll(async () => {
  bedrock = await startMockBedrockUpstream({ accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY, region: REGION, models: [BEDROCK_MODEL] });
  h = await startGatewayHarness({
    seed: async (db) => {
      await insertProvider(db, { name: "bedrock", type: "bedrock", baseUrl: bedrock.url, models: [BEDROCK_MODEL, RETIRED_MODEL], keys: [{ name: "main", secret: `${ACCESS_KEY_ID}:${SECRET_ACCESS_KEY}` }] });
      // The signing region comes from the provider's settings; a wrong one fails the signature.
      await setProviderSettings(db, "bedrock", { region: REGION });
      await insertRoutingRule(db, { name: "claude-to-bedrock", condition: 'model.startsWith("claude-")', targets: [{ provider: "bedrock", model: BEDROCK_MODEL }] });
    },
  });
  anthropic = new Anthropic({ baseURL: `${h.gatewayUrl}/anthropic`, apiKey: h.virtualKey, maxRetries: 0 });
}, 60_000);

afterAll(async () => {
  await h?.close();
  await bedrock?.close();
});

function lastBedrockRequest() {
  return bedrock.requests[bedrock.requests.length - 1]!;
}

describe("Anthropic Messages → Bedrock Converse (strict mock, SigV4)", () => {
  it("answers text with usage, signed for the configured region, and logs it", async () => {
    const { data: message, response } = await anthropic.messages.create({ model: CLAUDE_MODEL, max_tokens: 256, messages: [{ role: "user", content: "hello there" }] }).withResponse();
    expect(message.content).toEqual([{ type: "text", text: "Echo: hello there" }]);
    expect(message.model).toBe(CLAUDE_MODEL);
    expect(message.stop_reason).toBe("end_turn");
    expect(message.usage.input_tokens).toBeGreaterThan(0);
    expect(message.usage.output_tokens).toBe(3);
    const sent = lastBedrockRequest();
    expect(sent).toMatchObject({ auth: "sigv4", operation: "converse", modelId: BEDROCK_MODEL, rawPath: `/model/${encodeURIComponent(BEDROCK_MODEL)}/converse` });
    expect(String(sent.headers.authorization)).toContain(`/${REGION}/bedrock/aws4_request`);
    expect(sent.body).toEqual({ messages: [{ role: "user", content: [{ text: "hello there" }] }], inferenceConfig: { maxTokens: 256 } });
    const requestId = response.headers.get("x-request-id")!;
    const log = await waitFor(() => findLog(h.db, requestId), (row) => row !== undefined, { what: "log row" });
    expect(log).toMatchObject({ status: 200, provider: "bedrock", model: BEDROCK_MODEL, output_tokens: 3, request_type: "messages" });
  });

  it("completes a two-turn tool call, keeping the client's tool-use ids", async () => {
    const first = await anthropic.messages.create({ model: CLAUDE_MODEL, max_tokens: 256, tools: [WEATHER_TOOL], messages: [{ role: "user", content: "Please use the tool for Paris" }] });
    expect(first.stop_reason).toBe("tool_use");
    const call = first.content.find((b) => b.type === "tool_use");
    expect(call).toMatchObject({ type: "tool_use", name: "get_weather", input: MOCK_TOOL_ARGUMENTS, id: expect.stringMatching(/^tooluse_/) });
    const clientId = "toolu_01A09q90qw90lq917835lq9";
    const second = await anthropic.messages.create({
      model: CLAUDE_MODEL,
      max_tokens: 256,
      tools: [WEATHER_TOOL],
      messages: [
        { role: "user", content: "Please use the tool for Paris" },
        { role: "assistant", content: [{ type: "tool_use", id: clientId, name: "get_weather", input: MOCK_TOOL_ARGUMENTS }] },
        { role: "user", content: [{ type: "tool_result", tool_use_id: clientId, content: "sunny, 21°C" }] },
      ],
    });
    expect(second.content).toEqual([{ type: "text", text: "Tool result: sunny, 21°C" }]);
    const messages = (lastBedrockRequest().body as { messages: Array<{ content: Array<Record<string, { toolUseId?: string }>> }> }).messages;
    expect(messages[1]!.content[0]!.toolUse!.toolUseId).toBe(clientId);
    expect(messages[2]!.content[0]!.toolResult!.toolUseId).toBe(clientId);
  });

  it("round-trips thinking with its signature across a tool call, recording the mapping", async () => {
    const thinking = { type: "enabled" as const, budget_tokens: 2048 };
    const { data: first, response } = await anthropic.messages.create({ model: CLAUDE_MODEL, max_tokens: 4096, thinking, tools: [WEATHER_TOOL], messages: [{ role: "user", content: "use the tool, thoughtfully" }] }).withResponse();
    expect(first.content[0]).toMatchObject({ type: "thinking", thinking: "Thinking about: use the tool, thoughtfully", signature: expect.stringMatching(/.{20,}/) });
    expect(first.usage.output_tokens).toBe(8 + REASONING_TOKENS);
    expect((lastBedrockRequest().body as Record<string, unknown>).additionalModelRequestFields).toEqual({ thinking });
    const call = first.content.find((b) => b.type === "tool_use")!;
    // The mock verifies the signature it issued; a lost or altered one would be a 400.
    const second = await anthropic.messages.create({
      model: CLAUDE_MODEL,
      max_tokens: 4096,
      thinking,
      tools: [WEATHER_TOOL],
      messages: [
        { role: "user", content: "use the tool, thoughtfully" },
        { role: "assistant", content: first.content },
        { role: "user", content: [{ type: "tool_result", tool_use_id: call.type === "tool_use" ? call.id : "", content: "sunny" }] },
      ],
    });
    expect(second.content[second.content.length - 1]).toEqual({ type: "text", text: "Tool result: sunny" });
    const log = await waitFor(() => findLog(h.db, response.headers.get("x-request-id")!), (row) => row !== undefined, { what: "log row" });
    const changes = (log as unknown as { param_transformations: Array<{ param: string; action: string; to?: unknown }> }).param_transformations;
    expect(changes).toEqual(expect.arrayContaining([expect.objectContaining({ param: "thinking", action: "renamed", to: "additionalModelRequestFields.thinking" })]));
  });

  it("streams thinking, its signature and text through the .stream() helper, with usage", async () => {
    const stream = anthropic.messages.stream({ model: CLAUDE_MODEL, max_tokens: 4096, thinking: { type: "enabled", budget_tokens: 1024 }, messages: [{ role: "user", content: "think it over" }] });
    const events: string[] = [];
    stream.on("streamEvent", (event) => events.push(event.type));
    const final = await stream.finalMessage();
    expect(final.content).toEqual([
      { type: "thinking", thinking: "Thinking about: think it over", signature: expect.stringMatching(/.{20,}/) },
      expect.objectContaining({ type: "text", text: "Echo: think it over" }),
    ]);
    expect(final.usage.output_tokens).toBe(4 + REASONING_TOKENS);
    expect(events[0]).toBe("message_start");
    expect(events.slice(-2)).toEqual(["message_delta", "message_stop"]);
    expect(lastBedrockRequest().operation).toBe("converse-stream");
  });

  it("streams a tool call through the .stream() helper with its arguments intact", async () => {
    const final = await anthropic.messages.stream({ model: CLAUDE_MODEL, max_tokens: 256, tools: [WEATHER_TOOL], messages: [{ role: "user", content: "use the tool now" }] }).finalMessage();
    expect(final.stop_reason).toBe("tool_use");
    expect(final.content.find((b) => b.type === "tool_use")).toMatchObject({ name: "get_weather", input: MOCK_TOOL_ARGUMENTS });
  });

  it("reports prompt-cache writes, then reads, from cache_control marks", async () => {
    const request = {
      model: CLAUDE_MODEL,
      max_tokens: 64,
      system: [{ type: "text" as const, text: "You are a careful assistant with a long, stable system prompt worth caching.", cache_control: { type: "ephemeral" as const } }],
      messages: [{ role: "user" as const, content: "cache me" }],
    };
    const first = await anthropic.messages.create(request);
    const second = await anthropic.messages.create(request);
    expect((lastBedrockRequest().body as { system: unknown[] }).system).toEqual([{ text: request.system[0]!.text }, { cachePoint: { type: "default" } }]);
    expect(first.usage.cache_creation_input_tokens).toBeGreaterThan(0);
    expect(first.usage.cache_read_input_tokens).toBe(0);
    expect(second.usage.cache_read_input_tokens).toBe(first.usage.cache_creation_input_tokens);
    expect(second.usage.input_tokens).toBe(first.usage.input_tokens);
  });

  it("returns Bedrock's ValidationException in Anthropic's error shape, marked as upstream", async () => {
    const response = await fetch(`${h.gatewayUrl}/anthropic/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": h.virtualKey, "content-type": "application/json", "anthropic-version": "2023-06-01" },
      body: JSON.stringify({ model: `bedrock/${RETIRED_MODEL}`, max_tokens: 16, messages: [{ role: "user", content: "hi" }] }),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get("x-switchyard-error-source")).toBe("upstream");
    const body = (await response.json()) as { type: string; error: { type: string; message: string } };
    expect(body).toEqual({ type: "error", error: { type: "invalid_request_error", message: "bedrock: The provided model identifier is invalid. (upstream: bedrock)" } });

    const sdkError = await anthropic.messages.create({ model: `bedrock/${RETIRED_MODEL}`, max_tokens: 16, messages: [{ role: "user", content: "hi" }] }).catch((e: unknown) => e);
    expect(sdkError).toBeInstanceOf(Anthropic.BadRequestError);
    expect((sdkError as InstanceType<typeof Anthropic.BadRequestError>).message).toContain("The provided model identifier is invalid.");
  });

  it("ends a stream with an Anthropic error event when Bedrock sends an exception frame mid-stream", async () => {
    const stream = anthropic.messages.stream({ model: CLAUDE_MODEL, max_tokens: 64, messages: [{ role: "user", content: `${BEDROCK_STREAM_EXCEPTION_TRIGGER} please` }] });
    const texts: string[] = [];
    stream.on("text", (t) => texts.push(t));
    const error = await stream.finalMessage().catch((e: unknown) => e);
    expect(texts.join("")).not.toBe("");
    expect(error).toBeInstanceOf(Error);
    expect(String((error as Error).message)).toContain("The model stream was interrupted");
    expect(String((error as Error).message)).toContain("upstream: bedrock");
  });
});

describe("OpenAI chat completions → Bedrock Converse (strict mock, SigV4)", () => {
  let openai: OpenAI;
  beforeAll(() => {
    openai = new OpenAI({ baseURL: `${h.gatewayUrl}/v1`, apiKey: h.virtualKey, maxRetries: 0 });
  });
  const model = `bedrock/${BEDROCK_MODEL}`;

  it("answers text with usage", async () => {
    const completion = await openai.chat.completions.create({ model, max_tokens: 64, messages: [{ role: "system", content: "be brief" }, { role: "user", content: "hello there" }] });
    expect(completion.choices[0]!.message.content).toBe("Echo: hello there");
    expect(completion.choices[0]!.finish_reason).toBe("stop");
    expect(completion.usage).toMatchObject({ completion_tokens: 3 });
    expect((lastBedrockRequest().body as { system: unknown }).system).toEqual([{ text: "be brief" }]);
  });

  it("completes a two-turn tool call", async () => {
    const tools = [{ type: "function" as const, function: { name: "get_weather", parameters: WEATHER_TOOL.input_schema } }];
    const first = await openai.chat.completions.create({ model, tools, messages: [{ role: "user", content: "use the tool" }] });
    const call = first.choices[0]!.message.tool_calls![0]!;
    expect(first.choices[0]!.finish_reason).toBe("tool_calls");
    expect(call.type === "function" && JSON.parse(call.function.arguments)).toEqual(MOCK_TOOL_ARGUMENTS);
    const second = await openai.chat.completions.create({ model, tools, messages: [{ role: "user", content: "use the tool" }, first.choices[0]!.message, { role: "tool", tool_call_id: call.id, content: "sunny" }] });
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

  it("returns Bedrock's error in OpenAI's error shape, naming the provider", async () => {
    const error = await openai.chat.completions.create({ model: `bedrock/${RETIRED_MODEL}`, messages: [{ role: "user", content: "hi" }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    // The provider's own exception name and a "bedrock:" prefix say where it came from.
    expect(error).toMatchObject({ status: 400, code: "ValidationException", type: "invalid_request_error", message: expect.stringContaining("bedrock: The provided model identifier is invalid.") });
  });
});
