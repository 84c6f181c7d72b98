import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { GatewayError } from "../../errors";
import { parseGeminiResponse } from "./gemini-response";

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), "utf8"));

describe("parseGeminiResponse", () => {
  it("reads thought summaries, the signature and usage (thoughts billed as output, cached inside input)", () => {
    const response = parseGeminiResponse("gemini", fixture("text-response.json"));
    expect(response).toMatchObject({
      id: "mAitaLmkHPPlz7IPvtfUqQ4",
      model: "gemini-2.5-flash",
      stopReason: "end_turn",
      usage: { input: 12, output: 49, cacheRead: 4, cacheWrite: 0, reasoning: 33 },
    });
    expect(response.content).toEqual([
      { type: "thinking", thinking: "The user asks about the sky. Rayleigh scattering explains it.", signature: "CiQBjz1rX3Vd2sT0kWq8yJmYfJtnZ3lTgHcX9b1k0Nw3Zk8oE1QKXwGPPWtf" },
      { type: "text", text: "The sky is blue because air scatters short wavelengths more than long ones." },
    ]);
  });

  it("reads parallel function calls as tool_use with stable ids, and STOP as tool_use", () => {
    const first = parseGeminiResponse("gemini", fixture("function-call-response.json"));
    const again = parseGeminiResponse("gemini", fixture("function-call-response.json"));
    expect(first.stopReason).toBe("tool_use");
    expect(first.content).toEqual([
      { type: "thinking", thinking: "I should check the weather tool for Paris.", signature: "CtwBAVSoXO6J7s9kQe3kzC1eHpQmA8wQv0nN2k3Hh9f1cS0l8wq9YtZf6TG0dMB" },
      { type: "tool_use", id: expect.stringMatching(/^call_[0-9a-f]{24}$/), name: "get_weather", input: { city: "Paris" } },
      { type: "tool_use", id: expect.stringMatching(/^call_[0-9a-f]{24}$/), name: "get_time", input: { timezone: "Europe/Paris" } },
    ]);
    const ids = first.content.flatMap((b) => (b.type === "tool_use" ? [b.id] : []));
    expect(new Set(ids).size).toBe(2);
    expect(again.content.flatMap((b) => (b.type === "tool_use" ? [b.id] : []))).toEqual(ids);
  });

  it("answers a blocked prompt as an empty content_filter response", () => {
    const response = parseGeminiResponse("gemini", fixture("blocked-prompt-response.json"));
    expect(response).toMatchObject({ content: [], stopReason: "content_filter", usage: { input: 9, output: 0 } });
  });

  it("maps finish reasons and keeps a function call's own id", () => {
    const one = (finishReason: string) =>
      parseGeminiResponse("gemini", { candidates: [{ content: { role: "model", parts: [{ text: "x" }] }, finishReason }], responseId: "r" }).stopReason;
    expect(["STOP", "MAX_TOKENS", "SAFETY", "RECITATION", "MALFORMED_FUNCTION_CALL", "OTHER"].map(one)).toEqual(["end_turn", "max_tokens", "content_filter", "content_filter", "error", "end_turn"]);
    const withId = parseGeminiResponse("vertex", { candidates: [{ content: { parts: [{ functionCall: { id: "fc-1", name: "f", args: { a: 1 } } }] }, finishReason: "STOP" }] });
    expect(withId.content).toEqual([{ type: "tool_use", id: "fc-1", name: "f", input: { a: 1 } }]);
  });

  it("refuses bodies without candidates as a bad upstream response", () => {
    expect(() => parseGeminiResponse("gemini", { usageMetadata: {} })).toThrow(GatewayError);
    expect(() => parseGeminiResponse("gemini", [])).toThrow(/not a JSON object/);
  });
});
