import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { CanonicalStreamEvent } from "../../formats/canonical";
import { cohereAdapter } from "./adapter";

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url)));

function decode(bytes: Uint8Array, size: number): CanonicalStreamEvent[] {
  const decoder = cohereAdapter.createStreamDecoder();
  const events: CanonicalStreamEvent[] = [];
  for (let i = 0; i < bytes.length; i += size) events.push(...decoder.push(bytes.subarray(i, i + size)));
  events.push(...decoder.end());
  return events;
}

describe("cohereAdapter stream decoding", () => {
  // Cut everywhere, including inside "event:" lines and multi-byte characters.
  it.each([[1 << 20], [1], [7], [64]])("decodes thinking then text with usage, cut every %i bytes", (size) => {
    expect(decode(fixture("chat-stream-thinking-text.sse"), size)).toEqual([
      { type: "message_start", id: "29f14a5a-11de-4cae-9800-25e4747408ea", model: "", created: expect.any(Number) },
      { type: "block_start", index: 0, block: { type: "thinking" } },
      { type: "thinking_delta", index: 0, thinking: "Paris in " },
      { type: "thinking_delta", index: 0, thinking: "spring." },
      { type: "block_stop", index: 0 },
      { type: "block_start", index: 1, block: { type: "text" } },
      { type: "text_delta", index: 1, text: "Il fait " },
      { type: "text_delta", index: 1, text: "doux. é€😀" },
      { type: "block_stop", index: 1 },
      { type: "usage", usage: { input: 17, output: 21, cacheRead: 0, cacheWrite: 0, reasoning: 0 } },
      { type: "message_stop", stopReason: "end_turn" },
    ]);
  });

  it("decodes the tool plan as text and parallel tool calls as separate blocks", () => {
    const events = decode(fixture("chat-stream-tool-calls.sse"), 13).filter((e) => e.type !== "message_start");
    expect(events).toEqual([
      { type: "block_start", index: 0, block: { type: "text" } },
      { type: "text_delta", index: 0, text: "I will " },
      { type: "text_delta", index: 0, text: "check." },
      { type: "block_stop", index: 0 },
      { type: "block_start", index: 1, block: { type: "tool_use", id: "get_weather_nsz5zm3w56q3", name: "get_weather" } },
      { type: "tool_args_delta", index: 1, partialJson: "{\"city\"" },
      { type: "tool_args_delta", index: 1, partialJson: ": \"Paris\"}" },
      { type: "block_stop", index: 1 },
      { type: "block_start", index: 2, block: { type: "tool_use", id: "get_weather_0bp47n7n5bkt", name: "get_weather" } },
      { type: "tool_args_delta", index: 2, partialJson: "{\"city\": \"Lyon\"}" },
      { type: "block_stop", index: 2 },
      { type: "usage", usage: { input: 37, output: 28, cacheRead: 0, cacheWrite: 0, reasoning: 0 } },
      { type: "message_stop", stopReason: "tool_use" },
    ]);
  });

  it("turns finish_reason ERROR into a canonical error event", () => {
    const events = decode(fixture("chat-stream-error.sse"), 50);
    expect(events.map((e) => e.type)).toEqual(["message_start", "block_start", "text_delta", "block_stop", "error"]);
    expect(events[4]).toMatchObject({ error: { source: "upstream", provider: "cohere", retryable: true, message: "cohere: internal server error, this has been reported to our developers" } });
  });

  it("fails a stream cut before message-end", () => {
    const bytes = fixture("chat-stream-thinking-text.sse");
    const text = Buffer.from(bytes).toString("utf8");
    const events = decode(new Uint8Array(Buffer.from(text.slice(0, text.indexOf("event: message-end")))), 40);
    expect(events[events.length - 1]).toMatchObject({ type: "error", error: { code: "upstream_bad_response" } });
    expect(events.some((e) => e.type === "message_stop")).toBe(false);
  });
});
