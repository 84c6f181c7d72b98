// The strict Gemini mock behaves like Google's API: auth failures, unknown names, conversation
// rules, thought signatures, and the exact stream framing. The adapter's own output is sent
// through it at the end (a converter and a mock that agree only with each other would pass
// the e2e tests while failing against Google).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTransformLog, type CanonicalRequest } from "../../formats/canonical";
import { MOCK_TOOL_ARGUMENTS, REASONING_TOKENS } from "../../testing/mock-scenarios";
import { MOCK_GEMINI_MODELS, startMockGeminiUpstream, type MockGeminiUpstream } from "../../testing/mock-gemini-upstream";
import { buildGeminiBody } from "./gemini-request";
import { parseGeminiResponse } from "./gemini-response";
import { createGeminiStreamDecoder } from "./gemini-stream";

type Json = Record<string, unknown>;
const KEY = "AIza-mock-key";
let mock: MockGeminiUpstream;

beforeAll(async () => {
  mock = await startMockGeminiUpstream({ apiKey: KEY, accessToken: "ya29.token" });
});
afterAll(() => mock.close());

const WEATHER = { functionDeclarations: [{ name: "get_weather", parametersJsonSchema: { type: "object", properties: { city: { type: "string" } } } }] };

function post(path: string, body: unknown, headers: Record<string, string> = { "x-goog-api-key": KEY }): Promise<Response> {
  return fetch(`${mock.url}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
}
const generate = (body: unknown, model = "gemini-2.5-flash", headers?: Record<string, string>) => post(`/v1beta/models/${model}:generateContent`, body, headers);

async function errorOf(response: Response): Promise<{ code: number; message: string; status: string }> {
  return ((await response.json()) as { error: { code: number; message: string; status: string } }).error;
}

describe("mock Gemini upstream: auth", () => {
  it("refuses a missing key with 403 and a wrong one with 400 API_KEY_INVALID, like AI Studio", async () => {
    const missing = await generate({ contents: [{ parts: [{ text: "x" }] }] }, "gemini-2.5-flash", {});
    expect(missing.status).toBe(403);
    expect(await errorOf(missing)).toMatchObject({ code: 403, status: "PERMISSION_DENIED" });
    const wrong = await post("/v1beta/models/gemini-2.5-flash:generateContent?key=AIza-wrong", { contents: [{ parts: [{ text: "x" }] }] }, {});
    expect(wrong.status).toBe(400);
    const body = (await wrong.json()) as { error: { message: string; details: Array<{ reason?: string }> } };
    expect(body.error.message).toBe("API key not valid. Please pass a valid API key.");
    expect(body.error.details[0]!.reason).toBe("API_KEY_INVALID");
    const viaQuery = await post(`/v1beta/models/gemini-2.5-flash:generateContent?key=${KEY}`, { contents: [{ parts: [{ text: "x" }] }] }, {});
    expect(viaQuery.status).toBe(200);
  });

  it("wants an OAuth Bearer token on the Vertex path", async () => {
    const path = "/v1/projects/p1/locations/us-central1/publishers/google/models/gemini-2.5-pro:generateContent";
    const wrong = await post(path, { contents: [{ role: "user", parts: [{ text: "x" }] }] }, { authorization: "Bearer nope" });
    expect(wrong.status).toBe(401);
    expect(await errorOf(wrong)).toMatchObject({ status: "UNAUTHENTICATED" });
    const ok = await post(path, { contents: [{ role: "user", parts: [{ text: "hello vertex" }] }], labels: { team: "a" } }, { authorization: "Bearer ya29.token" });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ candidates: [{ content: { parts: [{ text: "Echo: hello vertex" }] } }], createTime: expect.any(String) });
  });
});

describe("mock Gemini upstream: strictness", () => {
  it("answers unknown names with Google's message and location", async () => {
    for (const [body, message] of [
      [{ contents: [{ parts: [{ text: "x" }] }], max_tokens: 5 }, `Invalid JSON payload received. Unknown name "max_tokens": Cannot find field.`],
      [{ contents: [{ parts: [{ text: "x", cache_control: {} }] }] }, `Invalid JSON payload received. Unknown name "cache_control" at 'contents[0].parts[0]': Cannot find field.`],
      [{ contents: [{ parts: [{ text: "x" }] }], labels: { a: "b" } }, `Unknown name "labels"`],
      [{ contents: [{ parts: [{ text: "x" }] }], tools: [{ functionDeclarations: [{ name: "f", parameters: { type: "object", properties: { a: { type: "string", const: "x" } } } }] }] }, `Unknown name "const" at 'tools[0].function_declarations[0].parameters.properties[0].value'`],
      [{ contents: [{ parts: [{ text: "x" }] }], generationConfig: { thinkingConfig: { thinkingBudget: 99_999 } } }, "The thinking budget 99999 is invalid. Please choose a value between 1 and 24576."],
      [{ contents: [{ parts: [{ text: "x" }] }], generationConfig: { thinkingConfig: { thinkingLevel: "high" } } }, "Thinking level is not supported for this model."],
    ] as const) {
      const response = await generate(body);
      expect(response.status).toBe(400);
      const error = await errorOf(response);
      expect(error.status).toBe("INVALID_ARGUMENT");
      expect(error.message).toContain(message);
    }
    const pro = await generate({ contents: [{ parts: [{ text: "x" }] }], generationConfig: { thinkingConfig: { thinkingBudget: 0 } } }, "gemini-2.5-pro");
    expect((await errorOf(pro)).message).toBe("Budget 0 is invalid. This model only works in thinking mode.");
  });

  it("checks function responses against the call turn and signatures against what it issued", async () => {
    const call = { role: "model", parts: [{ functionCall: { name: "get_weather", args: { city: "Paris" } } }] };
    const mismatch = await generate({ contents: [{ role: "user", parts: [{ text: "q" }] }, call, { role: "user", parts: [{ functionResponse: { name: "get_weather", response: {} } }, { functionResponse: { name: "get_weather", response: {} } }] }], tools: [WEATHER] });
    expect((await errorOf(mismatch)).message).toContain("number of function response parts is equal to the number of function call parts");
    const forged = await generate({ contents: [{ role: "user", parts: [{ text: "q" }] }, { role: "model", parts: [{ text: "a", thoughtSignature: "Zm9yZ2Vk" }] }, { role: "user", parts: [{ text: "q2" }] }] });
    expect((await errorOf(forged)).message).toBe("Corrupted thought signature.");
    const unsigned = await generate({ contents: [{ role: "user", parts: [{ text: "q" }] }, call, { role: "user", parts: [{ functionResponse: { name: "get_weather", response: { output: "sunny" } } }] }], tools: [WEATHER] }, "gemini-3-pro-preview");
    expect(unsigned.status).toBe(400);
    expect((await errorOf(unsigned)).message).toContain("Function call is missing a thought_signature");
  });
});

describe("mock Gemini upstream: the shared scenario", () => {
  it("calls the first tool with a signature on the functionCall part, thinking first when asked", async () => {
    const response = await generate({ contents: [{ role: "user", parts: [{ text: "please use the tool" }] }], tools: [WEATHER], generationConfig: { thinkingConfig: { includeThoughts: true, thinkingBudget: 1024 } } });
    const body = (await response.json()) as Json;
    const candidate = (body.candidates as Json[])[0]!;
    const parts = (candidate.content as { parts: Json[] }).parts;
    expect(parts[0]).toEqual({ text: "Thinking about: please use the tool", thought: true });
    expect(parts[1]).toMatchObject({ functionCall: { name: "get_weather", args: MOCK_TOOL_ARGUMENTS }, thoughtSignature: expect.any(String) });
    expect(candidate.finishReason).toBe("STOP");
    expect(body.usageMetadata).toMatchObject({ thoughtsTokenCount: REASONING_TOKENS, candidatesTokenCount: 8 });
    expect(mock.issuedSignatures.has(String(parts[1]!.thoughtSignature))).toBe(true);

    // The second turn, signature returned: "Tool result: ...".
    const second = await generate({
      contents: [{ role: "user", parts: [{ text: "please use the tool" }] }, { role: "model", parts }, { role: "user", parts: [{ functionResponse: { name: "get_weather", response: { output: "sunny" } } }] }],
      tools: [WEATHER],
    }, "gemini-3-pro-preview");
    expect(second.status).toBe(200);
    expect(((await second.json()) as { candidates: Array<{ content: { parts: Json[] } }> }).candidates[0]!.content.parts[0]).toEqual({ text: "Tool result: sunny" });
  });

  it("streams data-only events framed with CRLF, and one JSON array without alt=sse", async () => {
    const sse = await post("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", { contents: [{ parts: [{ text: "one two three four five" }] }] });
    expect(sse.headers.get("content-type")).toBe("text/event-stream");
    const text = await sse.text();
    expect(text).not.toMatch(/^event:/m);
    const events = text.split("\r\n\r\n").filter(Boolean);
    expect(events.length).toBeGreaterThan(2);
    expect(events.every((e) => e.startsWith("data: "))).toBe(true);
    const chunks = events.map((e) => JSON.parse(e.slice(6)) as { candidates: Array<{ content: { parts: Array<{ text: string }> }; finishReason?: string }> });
    expect(chunks.map((c) => c.candidates[0]!.content.parts[0]!.text).join("")).toBe("Echo: one two three four five");
    expect(chunks.at(-1)!.candidates[0]!.finishReason).toBe("STOP");
    expect(chunks.slice(0, -1).every((c) => c.candidates[0]!.finishReason === undefined)).toBe(true);

    const array = await post("/v1beta/models/gemini-2.5-flash:streamGenerateContent", { contents: [{ parts: [{ text: "a b" }] }] });
    const parsed = (await array.json()) as unknown[];
    expect(Array.isArray(parsed)).toBe(true);
    expect(parsed.length).toBeGreaterThan(1);
  });

  it("fails on purpose for the error models", async () => {
    const limited = await generate({ contents: [{ parts: [{ text: "x" }] }] }, MOCK_GEMINI_MODELS.rateLimit);
    expect([limited.status, (await errorOf(limited)).status]).toEqual([429, "RESOURCE_EXHAUSTED"]);
    const busy = await generate({ contents: [{ parts: [{ text: "x" }] }] }, MOCK_GEMINI_MODELS.overloaded);
    expect([busy.status, (await errorOf(busy)).status]).toEqual([503, "UNAVAILABLE"]);
  });
});

describe("the adapter against the mock", () => {
  it("sends a body the mock accepts and reads its answers, JSON and streamed", async () => {
    const request: CanonicalRequest = {
      model: "m", system: [{ type: "text", text: "be brief" }], messages: [{ role: "user", content: [{ type: "text", text: "use the tool please" }] }],
      tools: [{ name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } }, additionalProperties: false } }],
      reasoning: { mode: "enabled", budgetTokens: 1024 }, maxTokens: 500, stream: false, extensions: {},
    };
    const body = buildGeminiBody(request, "gemini-2.5-flash", createTransformLog(), { providerId: "gemini", vertex: false });
    const json = await generate(body);
    expect(json.status).toBe(200);
    const parsed = parseGeminiResponse("gemini", await json.json());
    expect(parsed.stopReason).toBe("tool_use");
    expect(parsed.content.map((b) => b.type)).toEqual(["thinking", "tool_use"]);

    const streamed = await post("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", body);
    const decoder = createGeminiStreamDecoder("gemini");
    const events = [...decoder.push(new Uint8Array(await streamed.arrayBuffer())), ...decoder.end()];
    expect(events.at(-1)).toEqual({ type: "message_stop", stopReason: "tool_use" });
    expect(events.some((e) => e.type === "signature_delta")).toBe(true);
  });
});
