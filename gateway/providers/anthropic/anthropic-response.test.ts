import { describe, expect, it } from "vitest";
import { GatewayError } from "../../errors";
import { fixtureJson } from "./anthropic-fixtures.test-helpers";
import { anthropicStopReason, parseAnthropicResponse, tokenUsageFromAnthropic } from "./anthropic-response";

describe("parseAnthropicResponse (recorded responses)", () => {
  it("reads text and counts cached prompt tokens into input", () => {
    const response = parseAnthropicResponse("anthropic", fixtureJson("response-text.json"));
    expect(response).toMatchObject({ id: "msg_01XFDUDYJgAACzvnptvVoYEL", model: "claude-sonnet-4-5-20250929", stopReason: "end_turn", content: [{ type: "text", text: "Bonjour — ça va? 👋" }] });
    expect(response.usage).toEqual({ input: 12 + 2048 + 4096, output: 9, cacheRead: 4096, cacheWrite: 2048, reasoning: 0 });
    expect(response).not.toHaveProperty("stopSequence");
  });

  it("reads text and tool_use blocks in order", () => {
    const response = parseAnthropicResponse("anthropic", fixtureJson("response-tool-use.json"));
    expect(response.stopReason).toBe("tool_use");
    expect(response.content).toEqual([
      { type: "text", text: "I'll check the weather in Paris." },
      { type: "tool_use", id: "toolu_01A09q90qw90lq917835lq9", name: "get_weather", input: { city: "Paris", unit: "celsius" } },
    ]);
    expect(response.usage.input).toBe(472);
  });

  it("keeps thinking with its signature and redacted thinking byte for byte", () => {
    const raw = fixtureJson("response-thinking.json") as { content: Array<Record<string, string>> };
    const response = parseAnthropicResponse("anthropic", raw);
    expect(response.stopReason).toBe("max_tokens");
    expect(response.content).toEqual([
      { type: "thinking", thinking: raw.content[0]!.thinking, signature: raw.content[0]!.signature },
      { type: "redacted_thinking", data: raw.content[1]!.data },
      { type: "text", text: "27 × 453 = 12,231" },
    ]);
    expect(response.usage).toEqual({ input: 40, output: 312, cacheRead: 0, cacheWrite: 0, reasoning: 280 });
  });

  it("skips server-tool blocks the canonical model has no form for, keeping the text and the stop sequence", () => {
    const response = parseAnthropicResponse("anthropic", fixtureJson("response-web-search.json"));
    expect(response.content).toEqual([{ type: "text", text: "Claude Shannon was born on April 30, 1916." }]);
    expect(response).toMatchObject({ stopReason: "stop_sequence", stopSequence: "\n\nHuman:" });
  });

  it("throws upstream_bad_response for a body that is not a message", () => {
    for (const body of [null, { type: "error", error: {} }, { type: "message" }, "text"]) {
      expect(() => parseAnthropicResponse("anthropic", body)).toThrow(GatewayError);
    }
    try {
      parseAnthropicResponse("anthropic", { id: "x", content: "nope" });
    } catch (error) {
      expect(error).toMatchObject({ status: 502, code: "upstream_bad_response", source: "upstream" });
    }
  });
});

describe("stop reasons and usage", () => {
  it("maps every documented stop reason", () => {
    expect(["end_turn", "max_tokens", "stop_sequence", "tool_use", "pause_turn", "refusal"].map(anthropicStopReason)).toEqual(["end_turn", "max_tokens", "stop_sequence", "tool_use", "pause_turn", "refusal"]);
    expect(anthropicStopReason("model_context_window_exceeded")).toBe("max_tokens");
    expect(anthropicStopReason(null)).toBe("end_turn");
  });

  it("reads passthrough usage with cached tokens included in input", () => {
    expect(tokenUsageFromAnthropic({ input_tokens: 3, cache_read_input_tokens: 10, cache_creation_input_tokens: 5, output_tokens: 7 })).toEqual({ input: 18, output: 7, cacheRead: 10, cacheWrite: 5, reasoning: 0 });
    expect(tokenUsageFromAnthropic(undefined)).toBeNull();
  });
});
