import { describe, expect, it } from "vitest";
import { createSseDecoder, encodeSseData, type SseEvent } from "./sse";

function decodeInPieces(text: string, sizes: number[]): SseEvent[] {
  const bytes = new TextEncoder().encode(text);
  const decoder = createSseDecoder();
  const events: SseEvent[] = [];
  let offset = 0;
  let i = 0;
  while (offset < bytes.length) {
    const size = sizes[i++ % sizes.length] ?? 1;
    events.push(...decoder.push(bytes.subarray(offset, offset + size)));
    offset += size;
  }
  events.push(...decoder.end());
  return events;
}

const stream =
  'data: {"id":"a","choices":[{"delta":{"content":"héllo 👋"}}]}\n\n' +
  ": keep-alive comment\n\n" +
  "event: message\ndata: line one\ndata: line two\n\n" +
  'data: {"usage":{"prompt_tokens":3}}\r\n\r\n' +
  "data: [DONE]\n\n";

describe("createSseDecoder", () => {
  it("decodes a whole stream in one push", () => {
    const events = decodeInPieces(stream, [stream.length * 4]);
    expect(events.map((e) => e.data)).toEqual([
      '{"id":"a","choices":[{"delta":{"content":"héllo 👋"}}]}',
      "line one\nline two",
      '{"usage":{"prompt_tokens":3}}',
      "[DONE]",
    ]);
    expect(events[1]?.event).toBe("message");
  });

  it.each([[1], [2], [3], [7], [1, 5, 2]])("gives the same events when split every %s bytes (UTF-8 and CRLF across boundaries)", (...sizes) => {
    expect(decodeInPieces(stream, sizes)).toEqual(decodeInPieces(stream, [stream.length * 4]));
  });

  it("returns nothing until the blank line arrives", () => {
    const decoder = createSseDecoder();
    expect(decoder.push("data: {\"a\":")).toEqual([]);
    expect(decoder.push("1}\n")).toEqual([]);
    expect(decoder.push("\n")).toEqual([{ event: undefined, data: '{"a":1}', id: undefined }]);
  });

  it("flushes an unterminated final event on end()", () => {
    const decoder = createSseDecoder();
    expect(decoder.push("data: tail")).toEqual([]);
    expect(decoder.end()).toEqual([{ event: undefined, data: "tail", id: undefined }]);
  });

  it("accepts data without a space after the colon", () => {
    expect(decodeInPieces("data:x\n\n", [100]).map((e) => e.data)).toEqual(["x"]);
  });
});

describe("encodeSseData", () => {
  it("round-trips through the decoder", () => {
    const payload = "one\ntwo";
    expect(encodeSseData(payload)).toBe("data: one\ndata: two\n\n");
    expect(decodeInPieces(encodeSseData(payload), [3]).map((e) => e.data)).toEqual([payload]);
  });
});
