import { describe, expect, it } from "vitest";
import { GatewayError } from "../../errors";
import { fixtureJson } from "./fixtures.test-helpers";
import { parseResponsesResponse } from "./response";

describe("parseResponsesResponse", () => {
  it("parses a text response with cached usage", () => {
    expect(parseResponsesResponse("openai", fixtureJson("response-text.json"))).toEqual({
      id: "resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b",
      model: "gpt-4.1-2025-04-14",
      content: [{ type: "text", text: "In a peaceful grove beneath a silver moon, a unicorn named Lumina discovered a hidden pool." }],
      stopReason: "end_turn",
      usage: { input: 36, output: 87, cacheRead: 12, cacheWrite: 0, reasoning: 0 },
      created: 1741476542,
    });
  });

  it("turns reasoning into thinking signed with encrypted_content, and calls into tool_use", () => {
    const response = parseResponsesResponse("openai", fixtureJson("response-reasoning-tool-call.json"));
    expect(response.content).toEqual([
      { type: "thinking", thinking: "**Checking the weather**\n\nThe user wants Paris.\n\nI should call get_weather.", signature: "gAAAAABor0AzQ2vK1mJr0n7Q3lXyZkXbq9fVv0r1Y6b2w3x4y5z6A7B8C9D0E1F2G3H4" },
      { type: "tool_use", id: "call_4gHs0vKx0vGbP2Y6qfBq0k5T", name: "get_weather", input: { city: "Paris" } },
    ]);
    expect(response.stopReason).toBe("tool_use");
    expect(response.usage).toEqual({ input: 67, output: 150, cacheRead: 0, cacheWrite: 0, reasoning: 128 });
  });

  it("maps incomplete (max_output_tokens) to max_tokens and a refusal to refusal", () => {
    expect(parseResponsesResponse("openai", fixtureJson("response-incomplete.json")).stopReason).toBe("max_tokens");
    const refusal = parseResponsesResponse("openai", fixtureJson("response-refusal.json"));
    expect(refusal).toMatchObject({ stopReason: "refusal", content: [{ type: "text", text: "I'm sorry, I can't help with that." }] });
  });

  it("throws an upstream error for a failed response and a bad-response error for something else", () => {
    const failed = (() => {
      try {
        parseResponsesResponse("openai", fixtureJson("response-failed.json"));
      } catch (error) {
        return error as GatewayError;
      }
      return null;
    })();
    expect(failed).toMatchObject({ status: 502, code: "server_error", source: "upstream", provider: "openai", retryable: true });
    expect(failed?.message).toContain("The server had an error processing your request");
    expect(() => parseResponsesResponse("openai", { choices: [] })).toThrow(/not a Responses API response object/);
  });
});
