import { describe, expect, it } from "vitest";
import { createSseParser, readChatStream } from "./chat-stream";

const chunk = (content: string) => `data: ${JSON.stringify({ choices: [{ delta: { content } }] })}\n\n`;

function streamOf(parts: (string | Uint8Array)[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const part of parts) controller.enqueue(typeof part === "string" ? encoder.encode(part) : part);
      controller.close();
    },
  });
}

describe("createSseParser", () => {
  it("cuts events at blank lines across chunk boundaries and skips comments", () => {
    const parser = createSseParser();
    expect(parser.push(": keep-alive\n\ndata: {\"a\"")).toEqual([]);
    expect(parser.push(":1}\r\n\r\nevent: x\ndata: one\ndata: two\n\ndata: tail")).toEqual([
      { event: "message", data: '{"a":1}' },
      { event: "x", data: "one\ntwo" },
    ]);
    expect(parser.end()).toEqual([{ event: "message", data: "tail" }]);
  });
});

describe("readChatStream", () => {
  it("delivers deltas in order, usage, and the relay's trailers after [DONE]", async () => {
    const bytes = new TextEncoder().encode(chunk("héllo"));
    // Split inside the two-byte "é" to prove decoding is streaming.
    const split = bytes.indexOf(0xc3) + 1;
    const deltas: string[] = [];
    let usage: unknown = null;
    let trailers: unknown = null;
    await readChatStream(
      streamOf([bytes.slice(0, split), bytes.slice(split), chunk(" world"), `data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 2 } })}\n\n`, "data: [DONE]\n\n", 'event: switchyard-trailers\ndata: {"x-switchyard-cost-usd":"0.000012"}\n\n']),
      { onDelta: (t) => deltas.push(t), onUsage: (u) => (usage = u), onTrailers: (t) => (trailers = t) },
    );
    expect(deltas).toEqual(["héllo", " world"]);
    expect(usage).toEqual({ prompt_tokens: 3, completion_tokens: 2 });
    expect(trailers).toEqual({ "x-switchyard-cost-usd": "0.000012" });
  });

  it("reports an error object inside the stream", async () => {
    const errors: string[] = [];
    await readChatStream(streamOf([chunk("part"), `data: ${JSON.stringify({ error: { message: "upstream reset" } })}\n\n`]), { onDelta: () => {}, onStreamError: (m) => errors.push(m) });
    expect(errors).toEqual(["upstream reset"]);
  });
});
