import { describe, expect, it } from "vitest";
import { GatewayError } from "../../errors";
import { createTransformLog, type CanonicalRequest, type ParamTransformation } from "../../formats/canonical";
import { validateGeminiRequest } from "../../testing/mock-gemini-upstream";
import { buildGeminiBody } from "./gemini-request";
import { SKIP_THOUGHT_SIGNATURE, type Json } from "./gemini-wire";

const OPTIONS = { providerId: "gemini", vertex: false };
const SIGNATURE = "CtwBAVSoXO6J7s9kQe3kzC1eHpQm";

function request(overrides: Partial<CanonicalRequest> = {}): CanonicalRequest {
  return { model: "client-model", system: [], messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }], tools: [], stream: false, extensions: {}, ...overrides };
}

function build(req: CanonicalRequest, model = "gemini-2.5-flash"): { body: Json; changes: readonly ParamTransformation[] } {
  const transforms = createTransformLog();
  const body = buildGeminiBody(req, model, transforms, OPTIONS);
  return { body, changes: transforms.changes };
}

/** What Claude Code sends on a tool round trip with thinking on. */
const TOOL_ROUND_TRIP = request({
  system: [{ type: "text", text: "You are terse.", cacheControl: { type: "ephemeral" } }],
  messages: [
    { role: "user", content: [{ type: "text", text: "Weather in Paris?" }] },
    {
      role: "assistant",
      content: [
        { type: "thinking", thinking: "Use the tool.", signature: SIGNATURE },
        { type: "tool_use", id: "toolu_01A", name: "get_weather", input: { city: "Paris" } },
      ],
    },
    { role: "system", content: [{ type: "text", text: "Answer in French." }] },
    {
      role: "user",
      content: [
        { type: "tool_result", toolUseId: "toolu_01A", content: [{ type: "text", text: "sunny, 21°C" }] },
        { type: "text", text: "Thanks" },
      ],
    },
  ],
  tools: [{ name: "get_weather", description: "Weather", parameters: { type: "object", properties: { city: { type: "string", const: "Paris" } }, additionalProperties: false } }],
  toolChoice: { type: "tool", name: "get_weather", disableParallel: true },
  maxTokens: 4096,
  reasoning: { mode: "enabled", budgetTokens: 2048 },
});

describe("buildGeminiBody", () => {
  it("maps a tool round trip with thinking losslessly, recording what changed", () => {
    const { body, changes } = build(TOOL_ROUND_TRIP);
    expect(body).toEqual({
      contents: [
        { role: "user", parts: [{ text: "Weather in Paris?" }] },
        { role: "model", parts: [{ text: "Use the tool.", thought: true }, { functionCall: { name: "get_weather", args: { city: "Paris" } }, thoughtSignature: SIGNATURE }] },
        { role: "user", parts: [{ functionResponse: { name: "get_weather", response: { output: "sunny, 21°C" } } }, { text: "Thanks" }] },
      ],
      systemInstruction: { parts: [{ text: "You are terse.\n\nAnswer in French." }] },
      tools: [{ functionDeclarations: [{ name: "get_weather", description: "Weather", parametersJsonSchema: { type: "object", properties: { city: { type: "string", const: "Paris" } }, additionalProperties: false } }] }],
      toolConfig: { functionCallingConfig: { mode: "ANY", allowedFunctionNames: ["get_weather"] } },
      generationConfig: { maxOutputTokens: 4096, thinkingConfig: { thinkingBudget: 2048, includeThoughts: true } },
    });
    expect(changes).toEqual(expect.arrayContaining([
      expect.objectContaining({ param: "messages[2]", action: "merged", to: "systemInstruction" }),
      expect.objectContaining({ param: "tool_choice.disable_parallel_tool_use", action: "dropped" }),
      expect.objectContaining({ param: "cache_control", action: "dropped" }),
    ]));
    // Function-call ids never go upstream (Vertex rejects them): names pair calls and responses.
    expect(JSON.stringify(body)).not.toContain("toolu_01A");
  });

  it("builds bodies the strict mock accepts", () => {
    const { body } = build(TOOL_ROUND_TRIP);
    expect(validateGeminiRequest(body, { vertex: false, model: "gemini-2.5-flash", issuedSignatures: new Set([SIGNATURE]) })).toBeNull();
    expect(validateGeminiRequest(body, { vertex: false, model: "gemini-2.5-flash", issuedSignatures: new Set() })).toMatchObject({ status: 400 });
  });

  it("sends tool results as Google's output / error convention, JSON objects as themselves", () => {
    const { body } = build(request({
      messages: [
        { role: "assistant", content: [{ type: "tool_use", id: "a", name: "f", input: {} }, { type: "tool_use", id: "b", name: "g", input: {} }, { type: "tool_use", id: "c", name: "h", input: {} }] },
        {
          role: "user",
          content: [
            { type: "tool_result", toolUseId: "a", content: [{ type: "text", text: '{"temperature":21}' }] },
            { type: "tool_result", toolUseId: "b", content: [{ type: "text", text: "boom" }], isError: true },
            { type: "tool_result", toolUseId: "c", content: [{ type: "text", text: "[1,2]" }] },
          ],
        },
      ],
    }));
    const responses = ((body.contents as Json[])[1]!.parts as Json[]).map((p) => p.functionResponse);
    expect(responses).toEqual([
      { name: "f", response: { temperature: 21 } },
      { name: "g", response: { error: "boom" } },
      { name: "h", response: { output: "[1,2]" } },
    ]);
  });

  it("refuses a tool result that answers no call: Gemini needs the call's name", () => {
    const bad = request({ messages: [{ role: "user", content: [{ type: "tool_result", toolUseId: "ghost", content: [] }] }] });
    expect(() => build(bad)).toThrow(GatewayError);
    expect(() => build(bad)).toThrow(/ghost/);
  });

  it("sends images inline (base64, data: URLs) or by URI, with a media type when the URL tells it", () => {
    const { body } = build(request({
      messages: [{
        role: "user",
        content: [
          { type: "image", source: { kind: "base64", mediaType: "image/png", data: "iVBORw0" } },
          { type: "image", source: { kind: "url", url: "data:image/jpeg;base64,/9j/4AAQ" } },
          { type: "image", source: { kind: "url", url: "https://example.com/cat.webp?size=2" } },
          { type: "image", source: { kind: "url", url: "gs://bucket/object" } },
        ],
      }],
    }));
    expect((body.contents as Json[])[0]!.parts).toEqual([
      { inlineData: { mimeType: "image/png", data: "iVBORw0" } },
      { inlineData: { mimeType: "image/jpeg", data: "/9j/4AAQ" } },
      { fileData: { fileUri: "https://example.com/cat.webp?size=2", mimeType: "image/webp" } },
      { fileData: { fileUri: "gs://bucket/object" } },
    ]);
  });

  it("keeps a signature without thought text on the part after it, and a trailing one on an empty text part", () => {
    const { body } = build(request({
      messages: [
        { role: "user", content: [{ type: "text", text: "q" }] },
        { role: "assistant", content: [{ type: "thinking", thinking: "", signature: "S1" }, { type: "text", text: "answer" }, { type: "thinking", thinking: "", signature: "S2" }] },
        { role: "user", content: [{ type: "text", text: "more" }] },
      ],
    }));
    expect((body.contents as Json[])[1]!.parts).toEqual([{ text: "answer", thoughtSignature: "S1" }, { text: "", thoughtSignature: "S2" }]);
  });

  it("gives Gemini 3 function calls without a signature Google's documented sentinel, recorded", () => {
    const history = request({
      messages: [
        { role: "user", content: [{ type: "text", text: "q" }] },
        { role: "assistant", content: [{ type: "tool_use", id: "call_1", name: "f", input: { a: 1 } }, { type: "tool_use", id: "call_2", name: "f", input: { a: 2 } }] },
        { role: "user", content: [{ type: "tool_result", toolUseId: "call_1", content: [{ type: "text", text: "1" }] }, { type: "tool_result", toolUseId: "call_2", content: [{ type: "text", text: "2" }] }] },
      ],
    });
    const three = build(history, "gemini-3-pro-preview");
    const parts = (three.body.contents as Json[])[1]!.parts as Json[];
    expect(parts[0]).toMatchObject({ thoughtSignature: SKIP_THOUGHT_SIGNATURE });
    expect(parts[1]).not.toHaveProperty("thoughtSignature");
    expect(three.changes).toEqual(expect.arrayContaining([expect.objectContaining({ param: "messages[1].thinking.signature", action: "changed", to: SKIP_THOUGHT_SIGNATURE })]));
    expect(validateGeminiRequest(three.body, { vertex: false, model: "gemini-3-pro-preview", issuedSignatures: new Set() })).toBeNull();
    // The mock refuses the same history without the sentinel, as Gemini 3 does.
    const twoFive = build(history, "gemini-2.5-flash");
    expect(validateGeminiRequest(twoFive.body, { vertex: false, model: "gemini-3-pro-preview", issuedSignatures: new Set() })).toMatchObject({ status: 400 });
  });

  it("drops what Gemini cannot carry, and restores a Gemini client's own parameters", () => {
    const { body, changes } = build(request({
      messages: [
        { role: "user", content: [{ type: "text", text: "q" }], name: "ann" },
        { role: "assistant", content: [{ type: "redacted_thinking", data: "xyz" }] },
        { role: "user", content: [{ type: "text", text: "again" }] },
      ],
      stop: ["a", "b", "c", "d", "e", "f"],
      user: "u-1",
      responseFormat: { type: "json_schema", name: "r", schema: { type: "object" }, strict: true },
      extensions: {
        anthropic_messages: { service_tier: "auto" },
        gemini: { safetySettings: [{ category: "HARM_CATEGORY_HARASSMENT", threshold: "BLOCK_NONE" }], cachedContent: "cachedContents/abc", tools: [{ googleSearch: {} }], "generationConfig.responseModalities": ["TEXT"], labels: { team: "x" } },
      },
    }));
    expect((body.contents as Json[]).map((c) => c.role)).toEqual(["user", "user"]);
    expect(body.generationConfig).toEqual({ stopSequences: ["a", "b", "c", "d", "e"], responseMimeType: "application/json", responseJsonSchema: { type: "object" }, responseModalities: ["TEXT"] });
    expect(body).toMatchObject({ safetySettings: [{ category: "HARM_CATEGORY_HARASSMENT", threshold: "BLOCK_NONE" }], cachedContent: "cachedContents/abc", tools: [{ googleSearch: {} }] });
    expect(body).not.toHaveProperty("labels");
    const params = changes.map((c) => `${c.param}:${c.action}`);
    expect(params).toEqual(expect.arrayContaining([
      "messages[0].name:dropped", "messages[1]:dropped", "messages.content.redacted_thinking:dropped", "stop:changed", "user:dropped",
      "response_format.json_schema.strict:dropped", "service_tier:dropped", "labels:dropped",
    ]));
    expect(validateGeminiRequest(body, { vertex: false, model: "gemini-2.5-flash", issuedSignatures: new Set() })).toBeNull();
  });
});

describe("thinking capability rule", () => {
  const thinking = (reasoning: CanonicalRequest["reasoning"], model: string) => {
    const { body, changes } = build(request({ reasoning }), model);
    return { config: (body.generationConfig as Json | undefined)?.thinkingConfig, changes: changes.map((c) => `${c.param}:${c.action}:${String(c.to)}`) };
  };

  it("gives 2.5 models a budget within their range", () => {
    expect(thinking({ mode: "enabled", budgetTokens: 100_000 }, "gemini-2.5-flash")).toEqual({ config: { thinkingBudget: 24_576, includeThoughts: true }, changes: ["thinking.budget_tokens:changed:24576"] });
    expect(thinking({ mode: "enabled", budgetTokens: 50 }, "gemini-2.5-pro").config).toEqual({ thinkingBudget: 128, includeThoughts: true });
    expect(thinking({ mode: "adaptive" }, "gemini-2.5-flash").config).toEqual({ thinkingBudget: -1, includeThoughts: true });
    expect(thinking({ effort: "medium" }, "gemini-2.5-flash")).toEqual({ config: { thinkingBudget: 8_192, includeThoughts: true }, changes: ["reasoning_effort:changed:thinkingBudget=8192"] });
    expect(thinking({ mode: "disabled" }, "gemini-2.5-flash")).toEqual({ config: { thinkingBudget: 0 }, changes: [] });
    expect(thinking({ mode: "disabled" }, "gemini-2.5-pro")).toEqual({ config: { thinkingBudget: 128 }, changes: ["thinking:changed:thinkingBudget=128"] });
  });

  it("gives Gemini 3 a level, never a budget", () => {
    expect(thinking({ mode: "enabled", budgetTokens: 2048 }, "gemini-3-pro-preview")).toEqual({ config: { thinkingLevel: "high", includeThoughts: true }, changes: ["thinking:changed:thinkingLevel=high"] });
    expect(thinking({ effort: "medium" }, "gemini-3-flash-preview")).toEqual({ config: { thinkingLevel: "medium", includeThoughts: true }, changes: [] });
    expect(thinking({ effort: "minimal" }, "gemini-3-pro-preview").config).toEqual({ thinkingLevel: "low", includeThoughts: true });
    expect(thinking({ mode: "disabled" }, "gemini-3-flash-preview")).toEqual({ config: { thinkingLevel: "minimal" }, changes: ["thinking:changed:thinkingLevel=minimal"] });
  });

  it("drops thinking for models without it, and hides summaries when the client asked to omit them", () => {
    expect(thinking({ mode: "enabled", budgetTokens: 2048 }, "gemini-2.0-flash")).toEqual({ config: undefined, changes: ["thinking:dropped:undefined"] });
    expect(thinking({ mode: "enabled", budgetTokens: 2048, display: "omitted" }, "gemini-2.5-flash").config).toEqual({ thinkingBudget: 2048 });
  });
});
