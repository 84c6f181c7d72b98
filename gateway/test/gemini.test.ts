// The Gemini surface and the Gemini / Vertex providers end to end (PRODUCT §2, §3.1):
//   - a Gemini client (plain fetch in Gemini's wire format: @google/genai is not a dependency)
//     through /genai to the strict OpenAI mock — text, a two-turn function call, SSE streaming,
//     the JSON-array stream, ?key= and x-goog-api-key, errors in Google's shape, models.list;
//   - a Gemini client to a Gemini provider: the body passes through untouched;
//   - the real @anthropic-ai/sdk through /anthropic to the strict Gemini mock (AI Studio and
//     Vertex paths): text, a tool round trip with its thoughtSignature preserved, thinking,
//     streaming through .stream(), and upstream errors.
import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSseDecoder } from "../transport/sse";
import { MOCK_TOOL_ARGUMENTS, REASONING_TOKENS } from "../testing/mock-scenarios";
import { MOCK_GEMINI_MODELS, startMockGeminiUpstream, type MockGeminiUpstream } from "../testing/mock-gemini-upstream";
import { CATALOG_MODEL, findLog, PROVIDER_NAME, startGatewayHarness, type GatewayHarness } from "./support/gateway-harness";
import { setProviderSettings } from "./support/routing-seed";
import { insertProvider } from "./support/seed";
import { waitFor } from "./support/wait-for";

type Json = Record<string, unknown>;
const GEMINI_KEY = "AIza-gemini-upstream-0001";
const VERTEX_TOKEN = "ya29.vertex-access-token";
const GEMINI_MODEL = "gemini-2.5-flash";
const OPENAI_TARGET = `${PROVIDER_NAME}/${CATALOG_MODEL}`;

let h: GatewayHarness;
let gemini: MockGeminiUpstream;
let anthropic: Anthropic;

const WEATHER_TOOL = { name: "get_weather", description: "Weather for a city", input_schema: { type: "object" as const, properties: { city: { type: "string" } }, required: ["city"] } };

beforeAll(async () => {
  gemini = await startMockGeminiUpstream({ apiKey: GEMINI_KEY, accessToken: VERTEX_TOKEN });
  h = await startGatewayHarness({
    seed: async (db) => {
      await insertProvider(db, { name: "gemini", type: "gemini", baseUrl: gemini.url, models: [GEMINI_MODEL, MOCK_GEMINI_MODELS.streamError], keys: [{ name: "main", secret: GEMINI_KEY }] });
      // Its own provider: a 429 cools the key down, which must not starve the other tests.
      await insertProvider(db, { name: "gemini-limited", type: "gemini", baseUrl: gemini.url, models: [MOCK_GEMINI_MODELS.rateLimit], keys: [{ name: "main", secret: GEMINI_KEY }] });
      await insertProvider(db, { name: "vertex", type: "vertex", baseUrl: gemini.url, models: ["gemini-2.5-pro"], keys: [{ name: "token", secret: VERTEX_TOKEN }] });
      await setProviderSettings(db, "vertex", { project_id: "acme-prod", location: "europe-west4" });
    },
  });
  anthropic = new Anthropic({ baseURL: `${h.gatewayUrl}/anthropic`, apiKey: h.virtualKey, maxRetries: 0 });
}, 60_000);

afterAll(async () => {
  await h?.close();
  await gemini?.close();
});

function genai(model: string, method: string, body: unknown, auth: Record<string, string> = { "x-goog-api-key": h.virtualKey }, query = ""): Promise<Response> {
  return fetch(`${h.gatewayUrl}/genai/v1beta/models/${model}:${method}${query}`, { method: "POST", headers: { "content-type": "application/json", ...auth }, body: JSON.stringify(body) });
}

function lastOpenAIBody(): Json {
  return h.upstream.requests[h.upstream.requests.length - 1]!.body as Json;
}

function lastGeminiRequest() {
  return gemini.requests[gemini.requests.length - 1]!;
}

function sseChunks(text: string): Json[] {
  const events = createSseDecoder().push(text);
  expect(events.every((e) => e.event === undefined)).toBe(true);
  return events.map((e) => JSON.parse(e.data) as Json);
}

function partsOf(chunk: Json): Json[] {
  return ((chunk.candidates as Json[])[0]!.content as { parts: Json[] }).parts;
}

describe("Gemini client → OpenAI provider (strict mock)", () => {
  it("answers text in Gemini's shape, with usage, logged as a gemini chat request", async () => {
    const response = await genai(OPENAI_TARGET, "generateContent", {
      systemInstruction: { parts: [{ text: "be brief" }] },
      contents: [{ role: "user", parts: [{ text: "hello there" }] }],
      generationConfig: { maxOutputTokens: 64, temperature: 0.2 },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Json;
    expect(body).toMatchObject({
      candidates: [{ content: { role: "model", parts: [{ text: "Echo: hello there" }] }, finishReason: "STOP", index: 0 }],
      usageMetadata: { promptTokenCount: expect.any(Number), candidatesTokenCount: 3 },
      modelVersion: OPENAI_TARGET,
      responseId: expect.any(String),
    });
    expect(lastOpenAIBody()).toMatchObject({ model: CATALOG_MODEL, max_completion_tokens: 64, temperature: 0.2, messages: [{ role: "system", content: "be brief" }, { role: "user", content: "hello there" }] });
    const requestId = response.headers.get("x-request-id")!;
    const log = await waitFor(() => findLog(h.db, requestId), (row) => row !== undefined, { what: "log row" });
    expect(log).toMatchObject({ status: 200, provider: PROVIDER_NAME, model: CATALOG_MODEL, client_api: "gemini", request_type: "chat", is_stream: false });
  });

  it("completes a two-turn function call: ids generated for Gemini's id-less calls pair call and response upstream", async () => {
    const tools = [{ functionDeclarations: [{ name: "get_weather", description: "Weather", parameters: { type: "OBJECT", properties: { city: { type: "STRING" } }, required: ["city"] } }] }];
    const question = { role: "user", parts: [{ text: "Please use the tool for Paris" }] };
    const first = await genai(OPENAI_TARGET, "generateContent", { contents: [question], tools, toolConfig: { functionCallingConfig: { mode: "ANY", allowedFunctionNames: ["get_weather"] } } });
    expect(first.status).toBe(200);
    const firstBody = (await first.json()) as Json;
    const [callPart] = partsOf(firstBody);
    expect(callPart).toEqual({ functionCall: { id: expect.any(String), name: "get_weather", args: MOCK_TOOL_ARGUMENTS } });
    expect((firstBody.candidates as Json[])[0]).toMatchObject({ finishReason: "STOP" });
    expect(lastOpenAIBody()).toMatchObject({
      tools: [{ type: "function", function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } } }],
      tool_choice: { type: "function", function: { name: "get_weather" } },
    });

    const second = await genai(OPENAI_TARGET, "generateContent", {
      // Sent back as Gemini clients do: the call without an id (the gateway pairs it by name).
      contents: [
        question,
        { role: "model", parts: [{ functionCall: { name: "get_weather", args: MOCK_TOOL_ARGUMENTS } }] },
        { role: "user", parts: [{ functionResponse: { name: "get_weather", response: { output: "sunny, 21°C" } } }] },
      ],
      tools,
    });
    expect(second.status).toBe(200);
    expect(partsOf((await second.json()) as Json)).toEqual([{ text: "Tool result: sunny, 21°C" }]);
    const sent = lastOpenAIBody().messages as Json[];
    const call = (sent[1]!.tool_calls as Array<{ id: string; function: { name: string; arguments: string } }>)[0]!;
    expect(call.id).toMatch(/^call_/);
    expect(call.function).toEqual({ name: "get_weather", arguments: '{"city":"Paris"}' });
    expect(sent[2]).toEqual({ role: "tool", tool_call_id: call.id, content: "sunny, 21°C" });
  });

  it("streams with ?alt=sse as data-only events, logged as chat_stream", async () => {
    const response = await genai(OPENAI_TARGET, "streamGenerateContent", { contents: [{ parts: [{ text: "stream these words" }] }] }, { "x-goog-api-key": h.virtualKey }, "?alt=sse");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const chunks = sseChunks(await response.text());
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks.map((c) => partsOf(c).map((p) => p.text ?? "").join("")).join("")).toBe("Echo: stream these words");
    expect(chunks.at(-1)).toMatchObject({ candidates: [{ finishReason: "STOP" }], usageMetadata: { candidatesTokenCount: 4 } });
    const log = await waitFor(() => findLog(h.db, response.headers.get("x-request-id")!), (row) => row !== undefined, { what: "log row" });
    expect(log).toMatchObject({ request_type: "chat_stream", is_stream: true, client_api: "gemini" });
  });

  it("answers streamGenerateContent without alt=sse with one JSON array, and takes the key from ?key=", async () => {
    const response = await genai(OPENAI_TARGET, "streamGenerateContent", { contents: [{ parts: [{ text: "array please" }] }] }, {}, `?key=${h.virtualKey}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Json[];
    expect(Array.isArray(body)).toBe(true);
    expect(partsOf(body[0]!)).toEqual([{ text: "Echo: array please" }]);
  });

  it("accepts a URL-encoded model, and answers bad input and bad keys in Google's error shape", async () => {
    const encoded = await genai(encodeURIComponent(OPENAI_TARGET), "generateContent", { contents: [{ parts: [{ text: "x" }] }] });
    expect(encoded.status).toBe(200);
    for (const [body, fragment] of [
      [{ contents: [{ parts: [{ text: "x" }] }], generation_config: { max_tokens: 5 } }, `Unknown name "max_tokens" at 'generation_config'`],
      [{ contents: [] }, "contents is not specified"],
    ] as const) {
      const response = await genai(OPENAI_TARGET, "generateContent", body);
      expect(response.status).toBe(400);
      const error = ((await response.json()) as { error: { code: number; status: string; message: string } }).error;
      expect(error).toMatchObject({ code: 400, status: "INVALID_ARGUMENT" });
      expect(error.message).toContain(fragment);
    }
    const notJson = await fetch(`${h.gatewayUrl}/genai/v1beta/models/${OPENAI_TARGET}:generateContent`, { method: "POST", headers: { "x-goog-api-key": h.virtualKey }, body: "{nope" });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: { status: string } }).error.status).toBe("INVALID_ARGUMENT");
    const unauthorized = await genai(OPENAI_TARGET, "generateContent", { contents: [{ parts: [{ text: "x" }] }] }, { "x-goog-api-key": "sk-sy-wrong" });
    expect(unauthorized.status).toBe(401);
    expect(((await unauthorized.json()) as { error: { status: string } }).error.status).toBe("UNAUTHENTICATED");
  });

  it("estimates countTokens, and answers unknown Gemini endpoints with a 404 in Google's shape", async () => {
    const count = await genai(OPENAI_TARGET, "countTokens", { contents: [{ parts: [{ text: "count these words please" }] }] });
    expect(count.status).toBe(200);
    expect(((await count.json()) as { totalTokens: number }).totalTokens).toBe(6);
    const wrapped = await genai(OPENAI_TARGET, "countTokens", { generateContentRequest: { model: `models/${OPENAI_TARGET}`, contents: [{ parts: [{ text: "abcd" }] }] } });
    expect(((await wrapped.json()) as { totalTokens: number }).totalTokens).toBe(1);
    const unknown = await genai(OPENAI_TARGET, "embedContent", { content: { parts: [{ text: "x" }] } });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { status: string } }).error.status).toBe("NOT_FOUND");
  });

  it("lists the key's models in Google's shape, and gets one", async () => {
    const list = await fetch(`${h.gatewayUrl}/genai/v1beta/models?key=${h.virtualKey}`);
    const names = ((await list.json()) as { models: Array<{ name: string; supportedGenerationMethods: string[] }> }).models.map((m) => m.name);
    expect(names).toEqual(expect.arrayContaining([`models/${OPENAI_TARGET}`, `models/gemini/${GEMINI_MODEL}`, "models/vertex/gemini-2.5-pro"]));
    const one = await fetch(`${h.gatewayUrl}/genai/v1beta/models/${GEMINI_MODEL}`, { headers: { "x-goog-api-key": h.virtualKey } });
    expect(await one.json()).toMatchObject({ name: `models/gemini/${GEMINI_MODEL}`, supportedGenerationMethods: ["generateContent", "streamGenerateContent"] });
    const missing = await fetch(`${h.gatewayUrl}/genai/v1beta/models/no-such-model`, { headers: { "x-goog-api-key": h.virtualKey } });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { status: string } }).error.status).toBe("NOT_FOUND");
  });
});

describe("Gemini client → Gemini provider", () => {
  it("passes the client's body through unchanged, with the provider's key and routing's model", async () => {
    const body = {
      contents: [{ role: "user", parts: [{ text: "please use the tool" }] }],
      tools: [{ functionDeclarations: [{ name: "get_weather", parameters: { type: "OBJECT", properties: { city: { type: "STRING" } } } }] }],
      safetySettings: [{ category: "HARM_CATEGORY_HARASSMENT", threshold: "BLOCK_ONLY_HIGH" }],
      generationConfig: { thinkingConfig: { includeThoughts: true } },
    };
    const response = await genai(`gemini/${GEMINI_MODEL}`, "generateContent", body);
    expect(response.status).toBe(200);
    const parts = partsOf((await response.json()) as Json);
    expect(parts[1]).toMatchObject({ functionCall: { name: "get_weather", args: MOCK_TOOL_ARGUMENTS }, thoughtSignature: expect.any(String) });
    const upstream = lastGeminiRequest();
    expect(upstream.path).toBe(`/v1beta/models/${GEMINI_MODEL}:generateContent`);
    expect(upstream.headers["x-goog-api-key"]).toBe(GEMINI_KEY);
    expect(upstream.body).toEqual(body);
  });
});

describe("Anthropic client → Gemini provider (strict mock)", () => {
  it("answers text, sending the system prompt and limits in Gemini's terms", async () => {
    const message = await anthropic.messages.create({ model: `gemini/${GEMINI_MODEL}`, max_tokens: 256, system: "be brief", messages: [{ role: "user", content: "hello gemini" }] });
    expect(message.content).toEqual([{ type: "text", text: "Echo: hello gemini" }]);
    expect(message).toMatchObject({ stop_reason: "end_turn", usage: { output_tokens: 3 } });
    const upstream = lastGeminiRequest();
    expect(upstream.headers["x-goog-api-key"]).toBe(GEMINI_KEY);
    expect(upstream.body).toEqual({ contents: [{ role: "user", parts: [{ text: "hello gemini" }] }], systemInstruction: { parts: [{ text: "be brief" }] }, generationConfig: { maxOutputTokens: 256 } });
  });

  it("round-trips a tool call with thinking, the thoughtSignature returned on the functionCall part", async () => {
    const first = await anthropic.messages.create({
      model: `gemini/${GEMINI_MODEL}`,
      max_tokens: 2048,
      thinking: { type: "enabled", budget_tokens: 1024 },
      tools: [WEATHER_TOOL],
      messages: [{ role: "user", content: "Please use the tool for Paris" }],
    });
    expect(first.stop_reason).toBe("tool_use");
    const thinking = first.content[0];
    expect(thinking).toMatchObject({ type: "thinking", thinking: "Thinking about: Please use the tool for Paris", signature: expect.any(String) });
    const signature = (thinking as { signature: string }).signature;
    expect(gemini.issuedSignatures.has(signature)).toBe(true);
    const call = first.content.find((b) => b.type === "tool_use")!;
    expect(call).toMatchObject({ name: "get_weather", input: MOCK_TOOL_ARGUMENTS, id: expect.stringMatching(/^call_/) });
    expect(first.usage.output_tokens).toBe(8 + REASONING_TOKENS);
    expect(lastGeminiRequest().body).toMatchObject({ generationConfig: { thinkingConfig: { thinkingBudget: 1024, includeThoughts: true } }, tools: [{ functionDeclarations: [{ name: "get_weather", parametersJsonSchema: WEATHER_TOOL.input_schema }] }] });

    const second = await anthropic.messages.create({
      model: `gemini/${GEMINI_MODEL}`,
      max_tokens: 2048,
      thinking: { type: "enabled", budget_tokens: 1024 },
      tools: [WEATHER_TOOL],
      messages: [
        { role: "user", content: "Please use the tool for Paris" },
        { role: "assistant", content: first.content },
        { role: "user", content: [{ type: "tool_result", tool_use_id: (call as { id: string }).id, content: "sunny, 21°C" }] },
      ],
    });
    expect(second.content.find((b) => b.type === "text")).toEqual({ type: "text", text: "Tool result: sunny, 21°C" });
    const contents = (lastGeminiRequest().body as { contents: Json[] }).contents;
    expect(contents[1]).toEqual({
      role: "model",
      parts: [{ text: "Thinking about: Please use the tool for Paris", thought: true }, { functionCall: { name: "get_weather", args: MOCK_TOOL_ARGUMENTS }, thoughtSignature: signature }],
    });
    expect(contents[2]).toEqual({ role: "user", parts: [{ functionResponse: { name: "get_weather", response: { output: "sunny, 21°C" } } }] });
  });

  it("streams thinking, its signature and the answer through .stream(), with usage", async () => {
    const stream = anthropic.messages.stream({ model: `gemini/${GEMINI_MODEL}`, max_tokens: 2048, thinking: { type: "enabled", budget_tokens: 2048 }, messages: [{ role: "user", content: "think about it" }] });
    const events: string[] = [];
    stream.on("streamEvent", (event) => events.push(event.type === "content_block_delta" ? `delta:${event.delta.type}` : event.type));
    const final = await stream.finalMessage();
    expect(final.content[0]).toMatchObject({ type: "thinking", thinking: "Thinking about: think about it", signature: expect.any(String) });
    expect(final.content[1]).toEqual({ type: "text", text: "Echo: think about it" });
    expect(final.usage.output_tokens).toBe(4 + REASONING_TOKENS);
    expect(events[0]).toBe("message_start");
    expect(events).toContain("delta:signature_delta");
    expect(events.slice(-2)).toEqual(["message_delta", "message_stop"]);
    const upstream = lastGeminiRequest();
    expect(upstream.path).toBe(`/v1beta/models/${GEMINI_MODEL}:streamGenerateContent`);
    expect(upstream.query).toEqual({ alt: "sse" });
  });

  it("streams a tool call through .stream() with its arguments intact", async () => {
    const final = await anthropic.messages.stream({ model: `gemini/${GEMINI_MODEL}`, max_tokens: 256, tools: [WEATHER_TOOL], messages: [{ role: "user", content: "use the tool now" }] }).finalMessage();
    expect(final.stop_reason).toBe("tool_use");
    expect(final.content.find((b) => b.type === "tool_use")).toMatchObject({ name: "get_weather", input: MOCK_TOOL_ARGUMENTS });
  });

  it("reaches Vertex AI at the project and location, with the Bearer token", async () => {
    const message = await anthropic.messages.create({ model: "vertex/gemini-2.5-pro", max_tokens: 128, messages: [{ role: "user", content: "hello vertex" }] });
    expect(message.content).toEqual([{ type: "text", text: "Echo: hello vertex" }]);
    const upstream = lastGeminiRequest();
    expect(upstream.path).toBe("/v1/projects/acme-prod/locations/europe-west4/publishers/google/models/gemini-2.5-pro:generateContent");
    expect(upstream.headers.authorization).toBe(`Bearer ${VERTEX_TOKEN}`);
    expect(upstream.headers["x-goog-api-key"]).toBeUndefined();
  });

  it("maps upstream failures: RESOURCE_EXHAUSTED as a rate limit, an error mid-stream as an error event", async () => {
    const limited = await anthropic.messages.create({ model: `gemini-limited/${MOCK_GEMINI_MODELS.rateLimit}`, max_tokens: 16, messages: [{ role: "user", content: "x" }] }).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(Anthropic.RateLimitError);
    expect((limited as InstanceType<typeof Anthropic.RateLimitError>).message).toContain("You exceeded your current quota");

    const stream = anthropic.messages.stream({ model: `gemini/${MOCK_GEMINI_MODELS.streamError}`, max_tokens: 16, messages: [{ role: "user", content: "a b c d e f" }] });
    await expect(stream.finalMessage()).rejects.toThrow(/internal error/i);
  });
});
