// The adapter against the strict Bedrock mock over real HTTP (undici, as the pipeline sends):
// signatures verified for real, unknown fields rejected, reasoning signatures round-tripped,
// ConverseStream decoded from the mock's event-stream frames.
import { request as undiciRequest } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProviderConfig } from "../../config/snapshot";
import { createTransformLog, type CanonicalRequest, type CanonicalStreamEvent, type ContentBlock } from "../../formats/canonical";
import { BEDROCK_SIGNATURE_MISMATCH_MESSAGE, BEDROCK_STREAM_EXCEPTION_TRIGGER, startMockBedrockUpstream, type MockBedrockUpstream } from "../../testing/mock-bedrock-upstream";
import { MOCK_TOOL_ARGUMENTS, REASONING_TOKENS } from "../../testing/mock-scenarios";
import type { UpstreamHttpRequest, UpstreamTarget } from "../types";
import { bedrockAdapter } from "./adapter";
import { signSigV4 } from "./signing";

const CLAUDE = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
const AKID = "AKIAMOCKCONFORMANCE";
const SECRET = "conformance/secret+key";
const API_KEY = "ABSKbW9jay1iZWRyb2NrLWtleQ==";
const WEATHER = { name: "get_weather", description: "Weather for a city", parameters: { type: "object", properties: { city: { type: "string" } } } };
let mock: MockBedrockUpstream;

beforeAll(async () => {
  mock = await startMockBedrockUpstream({ accessKeyId: AKID, secretAccessKey: SECRET, region: "eu-central-1", apiKey: API_KEY, models: [CLAUDE, "meta.llama3-70b-instruct-v1:0"] });
});
afterAll(async () => {
  await mock?.close();
});

function target(secret = `${AKID}:${SECRET}`, region = "eu-central-1", model = CLAUDE): UpstreamTarget {
  const provider = { id: "p", name: "aws", type: "bedrock", baseUrl: mock.url, requestTypes: [], headers: {}, models: [], enabled: true, keys: [], timeouts: {}, adapterSettings: { region } } as unknown as ProviderConfig;
  return { provider, key: { id: "k", name: "main", secret, weight: 1, models: [] }, model, now: new Date() };
}

function userText(text: string): CanonicalRequest["messages"][number] {
  return { role: "user", content: [{ type: "text", text }] };
}

function canonical(overrides: Partial<CanonicalRequest> = {}): CanonicalRequest {
  return { model: "claude", system: [], messages: [userText("hello there")], tools: [], maxTokens: 4096, stream: false, extensions: {}, ...overrides };
}

/** Another body, signed as the adapter signs (to get past authentication to validation). */
function signedWithBody(built: UpstreamHttpRequest, body: string): UpstreamHttpRequest {
  const headers = Object.fromEntries(Object.entries(built.headers).filter(([name]) => !["authorization", "host", "x-amz-date"].includes(name)));
  return { ...built, body, headers: signSigV4({ method: "POST", url: built.url, headers, body, accessKeyId: AKID, secretAccessKey: SECRET, region: "eu-central-1", service: "bedrock", now: new Date() }) };
}

async function send(built: UpstreamHttpRequest): Promise<{ status: number; text: string; bytes: Buffer }> {
  const response = await undiciRequest(built.url, { method: built.method, headers: { ...built.headers }, body: built.body });
  const bytes = Buffer.from(await response.body.arrayBuffer());
  return { status: response.statusCode, text: bytes.toString("utf8"), bytes };
}

async function converse(request: CanonicalRequest, t = target()) {
  const result = await send(bedrockAdapter.buildRequest(request, t, createTransformLog()));
  if (result.status >= 400) throw bedrockAdapter.parseError(result.status, result.text, null);
  return bedrockAdapter.parseResponse(JSON.parse(result.text));
}

async function converseStream(request: CanonicalRequest): Promise<CanonicalStreamEvent[]> {
  const built = bedrockAdapter.buildRequest({ ...request, stream: true }, target(), createTransformLog());
  const response = await undiciRequest(built.url, { method: "POST", headers: { ...built.headers }, body: built.body });
  expect(response.statusCode).toBe(200);
  expect(response.headers["content-type"]).toBe("application/vnd.amazon.eventstream");
  const decoder = bedrockAdapter.createStreamDecoder();
  const events: CanonicalStreamEvent[] = [];
  for await (const chunk of response.body as AsyncIterable<Buffer>) events.push(...decoder.push(chunk));
  events.push(...decoder.end());
  return events;
}

describe("Bedrock adapter ⇄ strict mock: authentication", () => {
  it("answers a SigV4-signed request and a bearer API key", async () => {
    expect((await converse(canonical())).content).toEqual([{ type: "text", text: "Echo: hello there" }]);
    expect((await converse(canonical(), target(API_KEY))).content).toEqual([{ type: "text", text: "Echo: hello there" }]);
    expect(mock.requests.slice(-2).map((r) => r.auth)).toEqual(["sigv4", "api_key"]);
    expect(mock.requests[mock.requests.length - 2]!.rawPath).toBe(`/model/${encodeURIComponent(CLAUDE)}/converse`);
  });

  it("rejects a wrong secret, a tampered body, a wrong region and a wrong API key with 403", async () => {
    await expect(converse(canonical(), target(`${AKID}:wrong-secret`))).rejects.toMatchObject({ status: 403, code: "InvalidSignatureException", type: "authentication_error", message: `bedrock: ${BEDROCK_SIGNATURE_MISMATCH_MESSAGE}` });
    const built = bedrockAdapter.buildRequest(canonical(), target(), createTransformLog());
    const tampered = await send({ ...built, body: built.body!.replace("hello there", "hello thera") });
    expect(tampered.status).toBe(403);
    expect(JSON.parse(tampered.text)).toEqual({ message: BEDROCK_SIGNATURE_MISMATCH_MESSAGE });
    await expect(converse(canonical(), target(`${AKID}:${SECRET}`, "us-east-1"))).rejects.toMatchObject({ status: 403, code: "InvalidSignatureException" });
    await expect(converse(canonical(), target("ABSKwrong"))).rejects.toMatchObject({ status: 403 });
  });
});

describe("Bedrock adapter ⇄ strict mock: validation", () => {
  it("rejects unknown members the way Bedrock reports them", async () => {
    const built = bedrockAdapter.buildRequest(canonical(), target(), createTransformLog());
    const rejected = await send(signedWithBody(built, JSON.stringify({ ...JSON.parse(built.body!), temperatureX: 1 })));
    expect(rejected.status).toBe(400);
    expect(JSON.parse(rejected.text).message).toBe("Malformed input request: #: extraneous key [temperatureX] is not permitted, please reformat your input and try again.");
    const nested = JSON.parse(built.body!) as { messages: Array<{ content: unknown[] }> };
    nested.messages[0]!.content = [{ text: "hi", type: "text" }];
    const rejectedNested = await send(signedWithBody(built, JSON.stringify(nested)));
    expect(JSON.parse(rejectedNested.text).message).toBe("Malformed input request: #/messages/0/content/0: extraneous key [type] is not permitted, please reformat your input and try again.");
  });

  it("rejects Claude-only fields for other families and an unknown model id", async () => {
    await expect(converse(canonical({ reasoning: { mode: "enabled", budgetTokens: 2048 }, topK: 3 }), target(undefined, undefined, "meta.llama3-70b-instruct-v1:0"))).resolves.toMatchObject({ content: [{ type: "text" }] });
    await expect(converse(canonical(), target(undefined, undefined, "anthropic.claude-v9"))).rejects.toMatchObject({ status: 400, code: "ValidationException", message: "bedrock: The provided model identifier is invalid." });
    // Claude's minimum budget is 1024: the adapter raises a smaller one rather than getting a 400.
    await expect(converse(canonical({ reasoning: { mode: "enabled", budgetTokens: 100 } }))).resolves.toMatchObject({ content: [{ type: "thinking" }, { type: "text" }] });
    expect((mock.requests[mock.requests.length - 1]!.body as Record<string, unknown>).additionalModelRequestFields).toEqual({ thinking: { type: "enabled", budget_tokens: 1024 } });
    const built = bedrockAdapter.buildRequest(canonical(), target(), createTransformLog());
    const small = await send(signedWithBody(built, JSON.stringify({ ...JSON.parse(built.body!), additionalModelRequestFields: { thinking: { type: "enabled", budget_tokens: 100 } } })));
    expect(JSON.parse(small.text).message).toBe("thinking.enabled.budget_tokens: Input should be greater than or equal to 1024");
  });

  it("accepts the merged shape of a mid-conversation system prompt and consecutive user turns", async () => {
    const response = await converse(canonical({ system: [{ type: "text", text: "be brief", cacheControl: { type: "ephemeral" } }], messages: [userText("one"), { role: "system", content: [{ type: "text", text: "now in French" }] }, userText("two")] }));
    expect(response.content).toEqual([{ type: "text", text: "Echo: one two" }]);
    const sent = mock.requests[mock.requests.length - 1]!.body as { system: unknown[]; messages: unknown[] };
    expect(sent.system).toEqual([{ text: "be brief" }, { cachePoint: { type: "default" } }, { text: "now in French" }]);
    expect(sent.messages).toHaveLength(1);
  });
});

describe("Bedrock adapter ⇄ strict mock: conversations", () => {
  it("round-trips thinking with its signature through a two-turn tool call", async () => {
    const thinking = { reasoning: { mode: "enabled" as const, budgetTokens: 2048 }, tools: [WEATHER] };
    const first = await converse(canonical({ ...thinking, messages: [userText("please use the tool")] }));
    expect(first.stopReason).toBe("tool_use");
    const [reasoning, call] = first.content as [Extract<ContentBlock, { type: "thinking" }>, Extract<ContentBlock, { type: "tool_use" }>];
    expect(reasoning).toMatchObject({ type: "thinking", thinking: "Thinking about: please use the tool", signature: expect.any(String) });
    expect(call).toMatchObject({ type: "tool_use", name: "get_weather", input: MOCK_TOOL_ARGUMENTS, id: expect.stringMatching(/^tooluse_/) });
    expect(first.usage.output).toBe(8 + REASONING_TOKENS);

    const history = (assistant: ContentBlock[]): CanonicalRequest["messages"] => [
      userText("please use the tool"),
      { role: "assistant", content: assistant },
      { role: "user", content: [{ type: "tool_result", toolUseId: call.id, content: [{ type: "text", text: "sunny" }] }] },
    ];
    const second = await converse(canonical({ ...thinking, messages: history(first.content as ContentBlock[]) }));
    expect(second.content[second.content.length - 1]).toEqual({ type: "text", text: "Tool result: sunny" });

    await expect(converse(canonical({ ...thinking, messages: history([{ ...reasoning, signature: "forged" }, call]) }))).rejects.toMatchObject({ status: 400, message: expect.stringContaining("Invalid `signature`") });
    // A client that cannot send the thinking back (OpenAI chat): thinking is off for that turn…
    const withoutThinking = await converse(canonical({ ...thinking, messages: history([call]) }));
    expect(withoutThinking.content).toEqual([{ type: "text", text: "Tool result: sunny" }]);
    expect(mock.requests[mock.requests.length - 1]!.body).not.toHaveProperty("additionalModelRequestFields");
    // …because Claude (and the mock) reject such a turn with thinking on.
    const built = bedrockAdapter.buildRequest(canonical({ ...thinking, messages: history([call]) }), target(), createTransformLog());
    const raw = JSON.parse(built.body!) as Record<string, unknown>;
    const rejected = await send(signedWithBody(built, JSON.stringify({ ...raw, additionalModelRequestFields: { thinking: { type: "enabled", budget_tokens: 2048 } } })));
    expect(rejected.status).toBe(400);
    expect(JSON.parse(rejected.text).message).toContain("a final `assistant` message must start with a thinking block");
  });

  it("reports cache writes, then cache reads, for a cachePoint prefix", async () => {
    const request = canonical({ system: [{ type: "text", text: "A long and stable system prompt that is worth caching for a while.", cacheControl: { type: "ephemeral" } }], messages: [userText("cache test")] });
    const first = await converse(request);
    const second = await converse(request);
    expect(first.usage.cacheWrite).toBeGreaterThan(0);
    expect(first.usage.cacheRead).toBe(0);
    expect(second.usage).toMatchObject({ cacheRead: first.usage.cacheWrite, cacheWrite: 0, input: first.usage.input });
  });

  it("streams reasoning with its signature, then text, then usage, from real event-stream frames", async () => {
    const events = await converseStream(canonical({ reasoning: { mode: "enabled", budgetTokens: 2048 }, messages: [userText("stream this please")] }));
    const types = events.map((e) => e.type);
    expect(types[0]).toBe("message_start");
    expect(types.slice(-2)).toEqual(["usage", "message_stop"]);
    const thinking = events.filter((e) => e.type === "thinking_delta").map((e) => (e as { thinking: string }).thinking).join("");
    const text = events.filter((e) => e.type === "text_delta").map((e) => (e as { text: string }).text).join("");
    expect(thinking).toBe("Thinking about: stream this please");
    expect(text).toBe("Echo: stream this please");
    expect(events.filter((e) => e.type === "signature_delta")).toHaveLength(1);
    expect(events.filter((e) => e.type === "block_start").map((e) => (e as { index: number }).index)).toEqual([0, 1]);
  });

  it("streams a tool call and surfaces a mid-stream exception as an error event", async () => {
    const tool = await converseStream(canonical({ tools: [WEATHER], messages: [userText("use the tool")] }));
    const args = tool.filter((e) => e.type === "tool_args_delta").map((e) => (e as { partialJson: string }).partialJson).join("");
    expect(JSON.parse(args)).toEqual(MOCK_TOOL_ARGUMENTS);
    expect(tool[tool.length - 1]).toEqual({ type: "message_stop", stopReason: "tool_use" });

    const failed = await converseStream(canonical({ messages: [userText(`${BEDROCK_STREAM_EXCEPTION_TRIGGER} now`)] }));
    expect(failed.some((e) => e.type === "text_delta")).toBe(true);
    expect(failed[failed.length - 1]).toMatchObject({ type: "error", error: { code: "ModelStreamErrorException", retryable: true } });
  });
});
