// The OpenAI chat adapter over recorded wire samples (__fixtures__/, written from OpenAI's API
// reference and the shapes of the `openai` SDK's types): a tool-call answer with cached and
// reasoning tokens, a stream of two tool calls with argument deltas split mid-token, an error
// inside a 200 stream, and a rate-limit error body.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { CanonicalStreamEvent } from "../../formats/canonical";
import toolCall from "./__fixtures__/chat-response-tool-call.json";
import { createOpenAIChatAdapter } from "./openai-chat-adapter";

const adapter = createOpenAIChatAdapter({ id: "openai", defaultBaseUrl: "https://api.openai.com/v1" });
const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url));

/** Decodes a stream fed in pieces of `size` bytes (upstream chunks never align with events). */
function decode(bytes: Buffer, size: number): CanonicalStreamEvent[] {
  const decoder = adapter.createStreamDecoder();
  const events: CanonicalStreamEvent[] = [];
  for (let i = 0; i < bytes.length; i += size) events.push(...decoder.push(bytes.subarray(i, i + size)));
  events.push(...decoder.end());
  return events;
}

describe("OpenAI chat adapter over recorded fixtures", () => {
  it("parses tool calls (invalid JSON kept as text), the stop reason and usage with cached and reasoning tokens", () => {
    const response = adapter.parseResponse(toolCall);
    expect(response.stopReason).toBe("tool_use");
    expect(response.content).toEqual([
      { type: "tool_use", id: "call_Xy7pQ2mN4bV9kL3s", name: "get_weather", input: { city: "Paris" } },
      { type: "tool_use", id: "call_Ab1cD2eF3gH4iJ5k", name: "get_weather", input: {}, inputJson: '{"city":"Lyon"' },
    ]);
    expect(response.usage).toEqual({ input: 82, output: 41, cacheRead: 64, cacheWrite: 0, reasoning: 12 });
  });

  it.each([1, 7, 64, 4096])("decodes a two-tool stream split every %i bytes into the same events", (size) => {
    const events = decode(fixture("chat-stream-tool-calls.sse"), size);
    expect(events.map((e) => e.type)).toEqual(["message_start", "block_start", "tool_args_delta", "tool_args_delta", "block_stop", "block_start", "tool_args_delta", "usage", "block_stop", "message_stop"]);
    const args = events.flatMap((e) => (e.type === "tool_args_delta" && e.index === 0 ? [e.partialJson] : [])).join("");
    expect(JSON.parse(args)).toEqual({ city: "Paris" });
    expect(events.filter((e) => e.type === "block_start").map((e) => (e.type === "block_start" ? e.block : null))).toEqual([
      { type: "tool_use", id: "call_Qq1", name: "get_weather" },
      { type: "tool_use", id: "call_Qq2", name: "get_time" },
    ]);
    expect(events.at(-1)).toEqual({ type: "message_stop", stopReason: "tool_use" });
  });

  it("turns an error inside a 200 stream into an upstream error event", () => {
    const events = decode(fixture("chat-stream-error.sse"), 13);
    const error = events.find((e) => e.type === "error");
    expect(error?.type === "error" && error.error).toMatchObject({ type: "server_error", source: "upstream", retryable: true });
  });

  it("maps a 429 body to a retryable rate-limit error keeping the provider's message", () => {
    const error = adapter.parseError(429, fixture("error-rate-limit.json").toString("utf8"), 1);
    expect(error).toMatchObject({ status: 429, code: "rate_limit_exceeded", source: "upstream", retryable: true, retryAfterSeconds: 1 });
    expect(error.message).toContain("Rate limit reached for gpt-4.1");
  });
});
