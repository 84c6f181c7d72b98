import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { GatewayError } from "../../errors";
import type { CanonicalResponse } from "../../formats/canonical";
import { geminiCodec, geminiJsonArrayCodec } from "./gemini-codec";

type Json = Record<string, unknown>;
const fixture = (name: string): Json => JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), "utf8")) as Json;
const ctx = { pathModel: "gemini-2.5-flash", pathStream: false };

function decodeError(body: unknown, context = ctx): GatewayError {
  try {
    geminiCodec.decodeRequest(body as Json, context);
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error("decoded without an error");
}

describe("geminiCodec.decodeRequest", () => {
  it("decodes a function-calling conversation, pairing responses with calls by name and order", () => {
    const request = geminiCodec.decodeRequest(fixture("function-calling-request.json"), ctx);
    const [user, model, results] = request.messages;
    expect(request).toMatchObject({ model: "gemini-2.5-flash", stream: false, system: [{ type: "text", text: "You are a weather assistant." }] });
    expect(user).toEqual({ role: "user", content: [{ type: "text", text: "What is the weather in Paris, and the time there?" }] });
    expect(model!.role).toBe("assistant");
    expect(model!.content).toEqual([
      { type: "thinking", thinking: "Checking both.", signature: "CtwBAVSoXO6J7s9kQe3kzC1eHpQm" },
      { type: "tool_use", id: expect.stringMatching(/^call_/), name: "get_weather", input: { city: "Paris" } },
      { type: "tool_use", id: expect.stringMatching(/^call_/), name: "get_time", input: { timezone: "Europe/Paris" } },
    ]);
    const [weatherId, timeId] = model!.content.flatMap((b) => (b.type === "tool_use" ? [b.id] : []));
    expect(weatherId).not.toBe(timeId);
    // The responses came in the other order: each is paired by name.
    expect(results!.content).toEqual([
      { type: "tool_result", toolUseId: timeId, content: [{ type: "text", text: "14:05" }] },
      { type: "tool_result", toolUseId: weatherId, content: [{ type: "text", text: '{"temperature":21,"sky":"clear"}' }] },
    ]);
    // Re-sending the same conversation gives the same ids (the gateway keeps no state).
    const again = geminiCodec.decodeRequest(fixture("function-calling-request.json"), ctx);
    expect(again.messages[1]!.content).toEqual(model!.content);
  });

  it("converts Google's OpenAPI schemas to JSON Schema and keeps the rest of the request", () => {
    const request = geminiCodec.decodeRequest(fixture("function-calling-request.json"), ctx);
    expect(request.tools).toEqual([
      {
        name: "get_weather",
        description: "Current weather for a city",
        parameters: { type: "object", properties: { city: { type: "string", description: "City name" }, unit: { type: ["string", "null"], enum: ["C", "F"] } }, required: ["city"] },
      },
      { name: "get_time", parameters: { type: "object", properties: { timezone: { type: "string" } }, additionalProperties: false } },
    ]);
    expect(request).toMatchObject({
      toolChoice: { type: "auto" },
      temperature: 0.4, topP: 0.9, topK: 40, maxTokens: 2048, stop: ["END"], seed: 7,
      reasoning: { mode: "enabled", budgetTokens: 1024, display: "summarized" },
      extensions: { gemini: { tools: [{ googleSearch: {} }], safetySettings: [{ category: "HARM_CATEGORY_HARASSMENT", threshold: "BLOCK_ONLY_HIGH" }] } },
    });
  });

  it("reads snake_case field names, structured output and thinking levels", () => {
    const request = geminiCodec.decodeRequest(fixture("structured-output-request.json"), { pathModel: "gemini-3-flash-preview", pathStream: true });
    expect(request).toMatchObject({
      stream: true,
      messages: [{ role: "user", content: [{ type: "text", text: "List two cookie recipes." }] }],
      responseFormat: {
        type: "json_schema",
        name: "response",
        schema: { type: "array", items: { type: "object", properties: { recipeName: { type: "string" }, ingredients: { type: "array", items: { type: "string" } } } } },
      },
      reasoning: { mode: "adaptive", effort: "low", display: "omitted" },
    });
  });

  it("maps function-calling modes to tool choices", () => {
    const tools = [{ functionDeclarations: [{ name: "a" }, { name: "b" }, { name: "c" }] }];
    const decode = (functionCallingConfig: Json) => geminiCodec.decodeRequest({ contents: [{ parts: [{ text: "x" }] }], tools, toolConfig: { functionCallingConfig } }, ctx);
    expect(decode({ mode: "NONE" }).toolChoice).toEqual({ type: "none" });
    expect(decode({ mode: "ANY" }).toolChoice).toEqual({ type: "any" });
    expect(decode({ mode: "ANY", allowedFunctionNames: ["b"] }).toolChoice).toEqual({ type: "tool", name: "b" });
    const narrowed = decode({ mode: "ANY", allowedFunctionNames: ["a", "c"] });
    expect([narrowed.toolChoice, narrowed.tools.map((t) => t.name)]).toEqual([{ type: "any" }, ["a", "c"]]);
  });

  it("pairs a functionResponse with the call its id names", () => {
    const request = geminiCodec.decodeRequest({
      contents: [
        { role: "user", parts: [{ text: "x" }] },
        { role: "model", parts: [{ functionCall: { id: "c1", name: "f", args: {} } }, { functionCall: { id: "c2", name: "f", args: {} } }] },
        { role: "user", parts: [{ functionResponse: { id: "c2", name: "f", response: { output: "two" } } }, { functionResponse: { id: "c1", name: "f", response: { error: "nope" } } }] },
      ],
    }, ctx);
    expect(request.messages[2]!.content).toEqual([
      { type: "tool_result", toolUseId: "c2", content: [{ type: "text", text: "two" }] },
      { type: "tool_result", toolUseId: "c1", content: [{ type: "text", text: "nope" }], isError: true },
    ]);
  });

  it("refuses what Google refuses, with 400 INVALID_ARGUMENT in Google's words", () => {
    const ok = { contents: [{ parts: [{ text: "x" }] }] };
    const cases: Array<[unknown, string]> = [
      [{ ...ok, bogus: 1 }, `Unknown name "bogus": Cannot find field.`],
      [{ ...ok, generationConfig: { max_tokens: 5 } }, `Unknown name "max_tokens" at 'generation_config': Cannot find field.`],
      [{ ...ok, generationConfig: { temperature: "hot" } }, `Invalid value at 'generation_config.temperature' (TYPE_FLOAT), "hot"`],
      [{ contents: [] }, "contents is not specified"],
      [{ contents: [{ role: "assistant", parts: [{ text: "x" }] }] }, "Please use a valid role: user, model."],
      [{ contents: [{ parts: [] }] }, "contents.parts must not be empty"],
      [{ contents: [{ parts: [{ text: "x", inlineData: { mimeType: "image/png", data: "AA" } }] }] }, "oneof field 'data' is already set"],
      [{ contents: [{ parts: [{ functionResponse: { name: "f", response: {} } }] }] }, `no earlier function call named "f"`],
      [{ ...ok, generationConfig: { thinkingConfig: { thinkingBudget: 10, thinkingLevel: "low" } } }, "only one of thinking budget and thinking level"],
      [{ ...ok, tools: [{ functionDeclarations: [{ name: "f" }] }], toolConfig: { functionCallingConfig: { mode: "AUTO", allowedFunctionNames: ["f"] } } }, "ANY or VALIDATED"],
      [{ contents: [{ parts: [{ inlineData: { mimeType: "application/pdf", data: "JVBER" } }] }] }, "application/pdf"],
      [{ contents: [{ parts: [{ text: "x" }] }], systemInstruction: "be brief" }, "Invalid value at 'system_instruction'"],
    ];
    for (const [body, fragment] of cases) {
      const error = decodeError(body);
      expect(error.status).toBe(400);
      expect(error.message).toContain(fragment);
      expect(geminiCodec.encodeError(error).body).toMatchObject({ error: { code: 400, status: "INVALID_ARGUMENT", message: error.message } });
    }
    expect(decodeError(ok, { pathModel: undefined, pathStream: false } as never).message).toContain("names no model");
  });
});

const RESPONSE: CanonicalResponse = {
  id: "resp-1",
  model: "gpt-mock-1",
  content: [
    { type: "thinking", thinking: "Let me call it.", signature: "sig-1" },
    { type: "text", text: "Calling." },
    { type: "tool_use", id: "call_abc", name: "get_weather", input: { city: "Paris" } },
    { type: "redacted_thinking", data: "opaque" },
  ],
  stopReason: "tool_use",
  usage: { input: 20, output: 15, cacheRead: 5, cacheWrite: 0, reasoning: 6 },
  created: 0,
};

describe("geminiCodec.encodeResponse", () => {
  it("writes a GenerateContentResponse, the signature on the part after the thinking", () => {
    expect(geminiCodec.encodeResponse(RESPONSE, "mockai/gpt-mock-1")).toEqual({
      candidates: [
        {
          content: {
            role: "model",
            parts: [{ text: "Let me call it.", thought: true }, { text: "Calling.", thoughtSignature: "sig-1" }, { functionCall: { id: "call_abc", name: "get_weather", args: { city: "Paris" } } }],
          },
          finishReason: "STOP",
          index: 0,
        },
      ],
      usageMetadata: { promptTokenCount: 20, candidatesTokenCount: 9, totalTokenCount: 35, cachedContentTokenCount: 5, thoughtsTokenCount: 6 },
      modelVersion: "mockai/gpt-mock-1",
      responseId: "resp-1",
    });
  });

  it("round-trips a model turn: decoding what it encoded gives the same blocks", () => {
    const encoded = geminiCodec.encodeResponse(RESPONSE, "m") as { candidates: Array<{ content: { parts: unknown[] } }> };
    const decoded = geminiCodec.decodeRequest({ contents: [{ role: "user", parts: [{ text: "q" }] }, { role: "model", parts: encoded.candidates[0]!.content.parts }] }, ctx);
    expect(decoded.messages[1]!.content).toEqual(RESPONSE.content.filter((b) => b.type !== "redacted_thinking"));
  });

  it("maps stop reasons to finish reasons", () => {
    const finish = (stopReason: CanonicalResponse["stopReason"]) => (geminiCodec.encodeResponse({ ...RESPONSE, stopReason }, "m") as { candidates: Array<{ finishReason: string }> }).candidates[0]!.finishReason;
    expect(["end_turn", "max_tokens", "stop_sequence", "content_filter", "refusal", "error"].map((r) => finish(r as CanonicalResponse["stopReason"]))).toEqual(["STOP", "MAX_TOKENS", "STOP", "SAFETY", "SAFETY", "OTHER"]);
  });
});

describe("errors in Google's shape", () => {
  const upstream = new GatewayError({ status: 429, type: "rate_limit_error", code: "RESOURCE_EXHAUSTED", message: "gemini: quota", source: "upstream", provider: "gemini", retryable: true });

  it("answers JSON errors with code, message and status", () => {
    const encoded = geminiCodec.encodeError(upstream);
    expect(encoded.status).toBe(429);
    expect(encoded.body).toMatchObject({ error: { code: 429, status: "RESOURCE_EXHAUSTED", message: "gemini: quota (upstream: gemini)", details: [{ reason: "RESOURCE_EXHAUSTED", metadata: { source: "upstream", provider: "gemini" } }] } });
    expect(encoded.headers).toEqual({ "x-switchyard-error-source": "upstream" });
  });

  it("wraps errors in an array on the JSON-array streaming method, and sends stream errors as a data event", () => {
    expect(geminiJsonArrayCodec.encodeError(upstream).body).toEqual([geminiCodec.encodeError(upstream).body]);
    expect(geminiJsonArrayCodec.encodeResponse(RESPONSE, "m")).toEqual([geminiCodec.encodeResponse(RESPONSE, "m")]);
    const [frame] = geminiCodec.encodeStreamError(upstream);
    expect(frame!.event).toBeUndefined();
    expect(JSON.parse(frame!.data)).toMatchObject({ error: { code: 429, status: "RESOURCE_EXHAUSTED" } });
  });
});
