import { describe, expect, it } from "vitest";
import { GatewayError } from "../../errors";
import type { CanonicalStreamEvent } from "../../formats/canonical";
import { createSseDecoder } from "../../transport/sse";
import type { OutgoingSseFrame } from "../types";
import { createGeminiStreamEncoder } from "./gemini-stream-encoder";

type Json = Record<string, unknown>;

const EVENTS: CanonicalStreamEvent[] = [
  { type: "message_start", id: "msg_01", model: "claude-x", created: 0 },
  { type: "usage", usage: { input: 10 } },
  { type: "block_start", index: 0, block: { type: "thinking" } },
  { type: "thinking_delta", index: 0, thinking: "Hmm, " },
  { type: "thinking_delta", index: 0, thinking: "weather." },
  { type: "signature_delta", index: 0, signature: "sig-7" },
  { type: "block_stop", index: 0 },
  { type: "block_start", index: 1, block: { type: "tool_use", id: "toolu_1", name: "get_weather" } },
  { type: "tool_args_delta", index: 1, partialJson: '{"ci' },
  { type: "tool_args_delta", index: 1, partialJson: 'ty":"Paris"}' },
  { type: "block_stop", index: 1 },
  { type: "usage", usage: { output: 12, reasoning: 4 } },
  { type: "message_stop", stopReason: "tool_use" },
];

function encodeAll(events: readonly CanonicalStreamEvent[]): OutgoingSseFrame[] {
  const encoder = createGeminiStreamEncoder("gemini-2.5-flash");
  return [...events.flatMap((e) => encoder.encode(e)), ...encoder.finish()];
}

describe("createGeminiStreamEncoder", () => {
  it("writes data-only GenerateContentResponse chunks, a whole function call carrying the thinking's signature, usage last", () => {
    const frames = encodeAll(EVENTS);
    expect(frames.every((f) => f.event === undefined)).toBe(true);
    const chunks = frames.map((f) => JSON.parse(f.data) as Json);
    expect(chunks.map((c) => (c.candidates as Array<{ content: { parts: unknown[] } }>)[0]!.content.parts)).toEqual([
      [{ text: "Hmm, ", thought: true }],
      [{ text: "weather.", thought: true }],
      [{ functionCall: { id: "toolu_1", name: "get_weather", args: { city: "Paris" } }, thoughtSignature: "sig-7" }],
      [{ text: "" }],
    ]);
    expect(chunks.every((c) => c.responseId === "msg_01" && c.modelVersion === "gemini-2.5-flash")).toBe(true);
    expect(chunks.slice(0, -1).some((c) => "usageMetadata" in c)).toBe(false);
    expect(chunks.at(-1)).toMatchObject({ candidates: [{ finishReason: "STOP", index: 0 }], usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 8, thoughtsTokenCount: 4, totalTokenCount: 22 } });
  });

  it("puts a signature on the next text part, or on an empty part at the end", () => {
    const text = encodeAll([
      { type: "block_start", index: 0, block: { type: "thinking" } },
      { type: "signature_delta", index: 0, signature: "s1" },
      { type: "block_stop", index: 0 },
      { type: "block_start", index: 1, block: { type: "text" } },
      { type: "text_delta", index: 1, text: "Hi" },
      { type: "text_delta", index: 1, text: " there" },
      { type: "block_stop", index: 1 },
      { type: "block_start", index: 2, block: { type: "thinking" } },
      { type: "signature_delta", index: 2, signature: "s2" },
      { type: "block_stop", index: 2 },
      { type: "message_stop", stopReason: "max_tokens" },
    ]).map((f) => JSON.parse(f.data) as { candidates: Array<{ content: { parts: unknown[] }; finishReason?: string }> });
    expect(text.map((c) => c.candidates[0]!.content.parts)).toEqual([[{ text: "Hi", thoughtSignature: "s1" }], [{ text: " there" }], [{ text: "", thoughtSignature: "s2" }]]);
    expect(text.at(-1)!.candidates[0]!.finishReason).toBe("MAX_TOKENS");
  });

  it("ends with an error event when the upstream failed or stopped short, and writes nothing after it", () => {
    const encoder = createGeminiStreamEncoder("m");
    const error = new GatewayError({ status: 503, type: "overloaded_error", message: "busy", source: "upstream", provider: "gemini", retryable: true });
    expect(encoder.encode({ type: "text_delta", index: 0, text: "a" })).toHaveLength(1);
    const [frame] = encoder.encode({ type: "error", error });
    expect(JSON.parse(frame!.data)).toMatchObject({ error: { code: 503, status: "UNAVAILABLE" } });
    expect(encoder.encode({ type: "text_delta", index: 0, text: "b" })).toEqual([]);
    expect(encoder.finish()).toEqual([]);
    const cut = createGeminiStreamEncoder("m");
    cut.encode({ type: "text_delta", index: 0, text: "a" });
    expect(JSON.parse(cut.finish()[0]!.data)).toMatchObject({ error: { status: "UNAVAILABLE" } });
  });

  it("keeps per-stream state apart", () => {
    const a = createGeminiStreamEncoder("m");
    const b = createGeminiStreamEncoder("m");
    a.encode({ type: "message_start", id: "A", model: "m", created: 0 });
    a.encode({ type: "signature_delta", index: 0, signature: "only-a" });
    b.encode({ type: "message_start", id: "B", model: "m", created: 0 });
    const fromB = JSON.parse(b.encode({ type: "text_delta", index: 0, text: "x" })[0]!.data) as Json;
    expect(fromB).toMatchObject({ responseId: "B", candidates: [{ content: { parts: [{ text: "x" }] } }] });
    expect(JSON.stringify(fromB)).not.toContain("only-a");
  });

  it("produces frames a standard SSE decoder reads back", () => {
    const wire = encodeAll(EVENTS).map((f) => `data: ${f.data}\n\n`).join("");
    expect(createSseDecoder().push(wire)).toHaveLength(4);
  });
});
