import { describe, expect, it } from "vitest";
import thinkingText from "./__fixtures__/chat-response-thinking-text.json";
import toolCall from "./__fixtures__/chat-response-tool-call.json";
import { cohereAdapter } from "./adapter";

describe("cohereAdapter.parseResponse", () => {
  it("keeps thinking before text and bills billed_units", () => {
    const response = cohereAdapter.parseResponse(thinkingText);
    expect(response).toMatchObject({ id: "c14c80c3-18eb-4519-9460-6c92edd8cfb4", stopReason: "end_turn" });
    expect(response.content).toEqual([
      { type: "thinking", thinking: "Paris in spring is mild." },
      { type: "text", text: "Il fait doux à Paris." },
    ]);
    expect(response.usage).toEqual({ input: 17, output: 21, cacheRead: 0, cacheWrite: 0, reasoning: 0 });
  });

  it("turns the tool plan into text ahead of the tool calls, keeping ids and bad JSON as text", () => {
    const response = cohereAdapter.parseResponse(toolCall);
    expect(response.stopReason).toBe("tool_use");
    expect(response.content).toEqual([
      { type: "text", text: "I will search the weather for Paris." },
      { type: "tool_use", id: "get_weather_9b5tmf2rgd0k", name: "get_weather", input: { city: "Paris" } },
      { type: "tool_use", id: "get_weather_0bp47n7n5bkt", name: "get_weather", input: {}, inputJson: "{\"city\":\"Lyon\"" },
    ]);
  });

  it("maps finish reasons and falls back to tokens when billed units are missing", () => {
    const reasons = ["COMPLETE", "STOP_SEQUENCE", "MAX_TOKENS", "TOOL_CALL", "ERROR", "TIMEOUT"].map((finish_reason) => cohereAdapter.parseResponse({ ...thinkingText, finish_reason }).stopReason);
    expect(reasons).toEqual(["end_turn", "stop_sequence", "max_tokens", "tool_use", "error", "error"]);
    expect(cohereAdapter.parseResponse({ ...thinkingText, usage: { tokens: { input_tokens: 5, output_tokens: 6 } } }).usage).toMatchObject({ input: 5, output: 6 });
  });

  it("rejects a body without a message", () => {
    expect(() => cohereAdapter.parseResponse({ id: "x" })).toThrow(expect.objectContaining({ code: "upstream_bad_response" }));
  });
});
