import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { CanonicalStreamEvent } from "../../formats/canonical";
import { createGeminiStreamDecoder, createGeminiUsageWatcher } from "./gemini-stream";

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url));

/** Feeds the bytes in small pieces: events, lines and UTF-8 characters split across chunks. */
function decode(bytes: Uint8Array, pieceSize = 7): CanonicalStreamEvent[] {
  const decoder = createGeminiStreamDecoder("gemini");
  const events: CanonicalStreamEvent[] = [];
  for (let i = 0; i < bytes.length; i += pieceSize) events.push(...decoder.push(bytes.subarray(i, i + pieceSize)));
  events.push(...decoder.end());
  return events;
}

describe("createGeminiStreamDecoder", () => {
  it("turns thought pieces, the signature on the first text part, and the final usage into canonical events", () => {
    const events = decode(fixture("stream-thinking-text.sse"));
    expect(events.map((e) => e.type)).toEqual([
      "message_start", "block_start", "thinking_delta", "usage", "thinking_delta", "usage",
      "signature_delta", "block_stop", "block_start", "text_delta", "usage", "text_delta", "usage", "block_stop", "message_stop",
    ]);
    expect(events[0]).toMatchObject({ type: "message_start", id: "0n3jaNHVL8yX1dkP8eGz8Ao", model: "gemini-2.5-flash" });
    expect(events[6]).toEqual({ type: "signature_delta", index: 0, signature: "CiIBVKhc7uFzOp1m2QeE3rXyS8q9vZs0pNfYkQaJt2bV6cUo" });
    const text = events.flatMap((e) => (e.type === "text_delta" ? [e.text] : [])).join("");
    expect(text).toBe("Red leaves drift and fall,\ncool wind hums a quiet tune,\nthe year breathes out slow.");
    expect(events.filter((e) => e.type === "usage").at(-1)).toEqual({ type: "usage", usage: { input: 8, output: 117, cacheRead: 0, cacheWrite: 0, reasoning: 97 } });
    expect(events.at(-1)).toEqual({ type: "message_stop", stopReason: "end_turn" });
  });

  it("gives a signed function call an empty signed thinking block first, and stops with tool_use", () => {
    const events = decode(fixture("stream-function-call.sse"), 3);
    expect(events.filter((e) => e.type !== "usage")).toEqual([
      expect.objectContaining({ type: "message_start" }),
      { type: "block_start", index: 0, block: { type: "thinking" } },
      { type: "signature_delta", index: 0, signature: "CrsBAVSoXO5TqZ7xY1m9d3e8Q0vB2nH4kL6pR8sU0wC2eG4iK6mO8qS0uW2y" },
      { type: "block_stop", index: 0 },
      { type: "block_start", index: 1, block: { type: "tool_use", id: expect.stringMatching(/^call_/), name: "get_weather" } },
      { type: "tool_args_delta", index: 1, partialJson: '{"city":"Paris"}' },
      { type: "block_stop", index: 1 },
      { type: "message_stop", stopReason: "tool_use" },
    ]);
  });

  it("reports a stream cut before its finishReason, and an error event inside the stream", () => {
    const whole = fixture("stream-thinking-text.sse").toString("utf8");
    const cut = whole.slice(0, whole.lastIndexOf("data:"));
    const cutEvents = decode(Buffer.from(cut));
    expect(cutEvents.at(-1)).toMatchObject({ type: "error", error: { status: 502, code: "upstream_bad_response" } });

    const failing = `data: {"candidates":[{"content":{"parts":[{"text":"Hi"}],"role":"model"},"index":0}],"responseId":"r1"}\r\n\r\ndata: {"error":{"code":503,"message":"The model is overloaded.","status":"UNAVAILABLE"}}\r\n\r\n`;
    const events = decode(Buffer.from(failing));
    expect(events.map((e) => e.type)).toEqual(["message_start", "block_start", "text_delta", "error"]);
    expect(events[3]).toMatchObject({ error: { status: 503, retryable: true, source: "upstream", message: "gemini: The model is overloaded." } });
  });
});

describe("createGeminiUsageWatcher", () => {
  it("reads the running usage and output size of a relayed stream", () => {
    const watcher = createGeminiUsageWatcher();
    const bytes = fixture("stream-thinking-text.sse");
    for (let i = 0; i < bytes.length; i += 11) watcher.push(bytes.subarray(i, i + 11));
    expect(watcher.finish()).toEqual({ input: 8, output: 117, cacheRead: 0, cacheWrite: 0, reasoning: 97 });
    expect(watcher.outputChars).toBeGreaterThan(80);
  });
});
