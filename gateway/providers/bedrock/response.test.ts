import { describe, expect, it } from "vitest";
import { GatewayError } from "../../errors";
import guardrail from "./__fixtures__/converse-response-guardrail.json";
import reasoningCache from "./__fixtures__/converse-response-reasoning-cache.json";
import toolUse from "./__fixtures__/converse-response-tool-use.json";
import { bedrockAdapter } from "./adapter";

describe("bedrockAdapter.parseResponse", () => {
  it("keeps reasoning with its signature, redacted reasoning, the stop sequence and cache usage", () => {
    const response = bedrockAdapter.parseResponse(reasoningCache);
    expect(response.content).toEqual([
      { type: "thinking", thinking: "Paris is in France; weather is sunny.", signature: "ErcBCkgIAhABGAIiQAvNfW0o7xsig" },
      { type: "redacted_thinking", data: "EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP" },
      { type: "text", text: "Il fait beau à Paris." },
    ]);
    expect(response.stopReason).toBe("stop_sequence");
    expect(response.stopSequence).toBe("###");
    // Canonical input includes cached tokens (OpenAI semantics); Bedrock counts them apart.
    expect(response.usage).toEqual({ input: 1512, output: 30, cacheRead: 1200, cacheWrite: 300, reasoning: 0 });
    expect(response.id).toMatch(/^bedrock-[0-9a-f-]{36}$/);
  });

  it("keeps the toolUseId and the parsed input of a tool call", () => {
    const response = bedrockAdapter.parseResponse(toolUse);
    expect(response.content).toEqual([
      { type: "text", text: "I'll look that up." },
      { type: "tool_use", id: "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", name: "get_weather", input: { city: "Paris" } },
    ]);
    expect(response.stopReason).toBe("tool_use");
    expect(response.usage).toEqual({ input: 380, output: 62, cacheRead: 0, cacheWrite: 0, reasoning: 0 });
  });

  it("maps guardrail stops to content_filter", () => {
    expect(bedrockAdapter.parseResponse(guardrail).stopReason).toBe("content_filter");
    expect(bedrockAdapter.parseResponse({ ...guardrail, stopReason: "model_context_window_exceeded" }).stopReason).toBe("max_tokens");
  });

  it("rejects a body without output.message as a bad upstream response", () => {
    for (const body of [null, {}, { output: {} }, { output: { message: { content: "x" } } }]) {
      expect(() => bedrockAdapter.parseResponse(body)).toThrow(GatewayError);
    }
    try {
      bedrockAdapter.parseResponse({ output: {} });
    } catch (error) {
      expect(error).toMatchObject({ status: 502, code: "upstream_bad_response", source: "upstream", retryable: true });
    }
  });
});
