import { EventStreamCodec } from "@smithy/eventstream-codec";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import { describe, expect, it } from "vitest";
import type { CanonicalStreamEvent } from "../../formats/canonical";
import exceptionFrames from "./__fixtures__/converse-stream-exception.json";
import reasoningFrames from "./__fixtures__/converse-stream-reasoning-text.json";
import toolFrames from "./__fixtures__/converse-stream-tool-use.json";
import { bedrockAdapter } from "./adapter";

type RecordedFrame = { eventType?: string; exceptionType?: string; payload: Record<string, unknown> };

/** The recorded events in AWS event-stream binary framing, encoded by @smithy's codec. */
function encode(frames: readonly RecordedFrame[]): Uint8Array {
  const codec = new EventStreamCodec(toUtf8, fromUtf8);
  const parts = frames.map((f) =>
    codec.encode({
      headers: f.exceptionType
        ? { ":exception-type": { type: "string", value: f.exceptionType }, ":content-type": { type: "string", value: "application/json" }, ":message-type": { type: "string", value: "exception" } }
        : { ":event-type": { type: "string", value: f.eventType! }, ":content-type": { type: "string", value: "application/json" }, ":message-type": { type: "string", value: "event" } },
      body: fromUtf8(JSON.stringify(f.payload)),
    }),
  );
  return Buffer.concat(parts);
}

/** Feeds the bytes cut at the given sizes (cycled), then ends the body. */
function decode(bytes: Uint8Array, sizes: readonly number[]): CanonicalStreamEvent[] {
  const decoder = bedrockAdapter.createStreamDecoder();
  const events: CanonicalStreamEvent[] = [];
  let offset = 0;
  for (let i = 0; offset < bytes.length; i++) {
    const size = sizes[i % sizes.length]!;
    events.push(...decoder.push(bytes.subarray(offset, offset + size)));
    offset += size;
  }
  events.push(...decoder.end());
  return events;
}

const withoutStart = (events: CanonicalStreamEvent[]) => events.filter((e) => e.type !== "message_start");

const EXPECTED_REASONING_TEXT: CanonicalStreamEvent[] = [
  { type: "block_start", index: 0, block: { type: "thinking" } },
  { type: "thinking_delta", index: 0, thinking: "Thinking about " },
  { type: "thinking_delta", index: 0, thinking: "Paris." },
  { type: "signature_delta", index: 0, signature: "EqoBCkgIAxABGAIiQL9sig==" },
  { type: "block_stop", index: 0 },
  { type: "block_start", index: 1, block: { type: "text" } },
  { type: "text_delta", index: 1, text: "Il fait " },
  { type: "text_delta", index: 1, text: "beau. é€😀" },
  { type: "block_stop", index: 1 },
  { type: "usage", usage: { input: 125, output: 14, cacheRead: 100, cacheWrite: 0, reasoning: 0 } },
  { type: "message_stop", stopReason: "end_turn" },
];

describe("bedrockAdapter stream decoding", () => {
  // Whole body, one byte at a time (every header, length prefix, CRC and UTF-8 character
  // split), and awkward prime-sized cuts.
  it.each([[[1 << 20]], [[1]], [[3, 7, 13]], [[12, 5]], [[97, 1, 250]]])("decodes reasoning with its signature and text, cut at %j bytes", (sizes) => {
    const events = decode(encode(reasoningFrames), sizes);
    expect(events[0]).toMatchObject({ type: "message_start", id: expect.stringMatching(/^bedrock-/) });
    expect(withoutStart(events)).toEqual(EXPECTED_REASONING_TEXT);
  });

  it("decodes a tool call opened by contentBlockStart, with its id and streamed input", () => {
    const events = withoutStart(decode(encode(toolFrames), [5, 11]));
    expect(events).toEqual([
      { type: "block_start", index: 0, block: { type: "text" } },
      { type: "text_delta", index: 0, text: "Checking." },
      { type: "block_stop", index: 0 },
      { type: "block_start", index: 1, block: { type: "tool_use", id: "tooluse_DqzXlo8bSFS7ynQvo0uPnw", name: "get_weather" } },
      { type: "tool_args_delta", index: 1, partialJson: "{\"ci" },
      { type: "tool_args_delta", index: 1, partialJson: "ty\": \"Paris\"}" },
      { type: "block_stop", index: 1 },
      { type: "usage", usage: { input: 380, output: 45, cacheRead: 0, cacheWrite: 0, reasoning: 0 } },
      { type: "message_stop", stopReason: "tool_use" },
    ]);
  });

  it("turns an exception frame into a canonical error and stops", () => {
    const events = withoutStart(decode(encode(exceptionFrames), [9]));
    expect(events.slice(0, 2)).toEqual([
      { type: "block_start", index: 0, block: { type: "text" } },
      { type: "text_delta", index: 0, text: "Il fait" },
    ]);
    expect(events).toHaveLength(3);
    expect(events[2]).toMatchObject({ type: "error", error: { status: 429, code: "ThrottlingException", retryable: true, message: "bedrock: Too many tokens, please wait before trying again.", source: "upstream" } });
  });

  it("reports an :message-type error frame with its code and message", () => {
    const codec = new EventStreamCodec(toUtf8, fromUtf8);
    const frame = codec.encode({ headers: { ":message-type": { type: "string", value: "error" }, ":error-code": { type: "string", value: "InternalFailure" }, ":error-message": { type: "string", value: "boom" } }, body: new Uint8Array(0) });
    const events = decode(frame, [4]);
    expect(events).toEqual([expect.objectContaining({ type: "error", error: expect.objectContaining({ code: "InternalFailure", message: "bedrock: boom" }) })]);
  });

  it("fails on a corrupted CRC and on a body cut mid-frame", () => {
    const bytes = encode(reasoningFrames);
    const corrupt = Uint8Array.from(bytes);
    corrupt[30] = corrupt[30]! ^ 0xff;
    const corrupted = decode(corrupt, [64]);
    expect(corrupted[corrupted.length - 1]).toMatchObject({ type: "error", error: { code: "upstream_bad_response" } });

    const cut = decode(bytes.subarray(0, bytes.length - 10), [50]);
    expect(cut.some((e) => e.type === "message_stop")).toBe(false);
    expect(cut[cut.length - 1]).toMatchObject({ type: "error", error: { code: "upstream_bad_response", message: expect.stringContaining("ended before") } });
  });

  it("closes cleanly when messageStop came but metadata did not", () => {
    const events = withoutStart(decode(encode(reasoningFrames.slice(0, -1)), [1 << 20]));
    expect(events[events.length - 1]).toEqual({ type: "message_stop", stopReason: "end_turn" });
    expect(events.some((e) => e.type === "usage")).toBe(false);
  });

  it("keeps no state between streams: two decoders interleaved give the same events", () => {
    const bytes = encode(toolFrames);
    const a = bedrockAdapter.createStreamDecoder();
    const b = bedrockAdapter.createStreamDecoder();
    const outA: CanonicalStreamEvent[] = [];
    const outB: CanonicalStreamEvent[] = [];
    for (let i = 0; i < bytes.length; i += 10) {
      outA.push(...a.push(bytes.subarray(i, i + 10)));
      outB.push(...b.push(bytes.subarray(i, i + 10)));
    }
    outA.push(...a.end());
    outB.push(...b.end());
    expect(withoutStart(outA)).toEqual(withoutStart(outB));
    expect(withoutStart(outA).filter((e) => e.type === "block_start")).toHaveLength(2);
  });
});
