import { describe, expect, it } from "vitest";
import type { CanonicalStreamEvent } from "../../formats/canonical";
import type { PassthroughUsageWatcher, StreamDecoder } from "../types";
import { fixtureText } from "./anthropic-fixtures.test-helpers";
import { createAnthropicStreamDecoder, createAnthropicUsageWatcher } from "./anthropic-stream";

/** Feeds the transcript in chunks of the given sizes (cycled), cutting lines, events and UTF-8 characters. */
function decodeInPieces(text: string, sizes: readonly number[], decoder: StreamDecoder = createAnthropicStreamDecoder("anthropic")): CanonicalStreamEvent[] {
  const bytes = new TextEncoder().encode(text);
  const events: CanonicalStreamEvent[] = [];
  for (let offset = 0, i = 0; offset < bytes.length; i++) {
    const size = sizes[i % sizes.length]!;
    events.push(...decoder.push(bytes.subarray(offset, offset + size)));
    offset += size;
  }
  events.push(...decoder.end());
  return events;
}

function watchInPieces(text: string, sizes: readonly number[]): PassthroughUsageWatcher {
  const watcher = createAnthropicUsageWatcher();
  const bytes = new TextEncoder().encode(text);
  for (let offset = 0, i = 0; offset < bytes.length; i++) {
    const size = sizes[i % sizes.length]!;
    watcher.push(bytes.subarray(offset, offset + size));
    offset += size;
  }
  watcher.finish();
  return watcher;
}

/** Stable view: message_start's clock-based `created` removed. */
function comparable(events: CanonicalStreamEvent[]): unknown[] {
  return events.map((e) => (e.type === "message_start" ? { ...e, created: 0 } : e));
}

const AWKWARD_SPLITS: ReadonlyArray<readonly number[]> = [[1], [2], [3, 5, 7], [13], [64, 1, 1]];

describe("Anthropic stream decoder (recorded transcripts)", () => {
  it("decodes a text stream: start, usage with cache parts, deltas, stop reason, output usage", () => {
    const events = comparable(decodeInPieces(fixtureText("stream-text.sse"), [100_000]));
    expect(events).toEqual([
      { type: "message_start", id: "msg_01StreamText0001", model: "claude-sonnet-4-5-20250929", created: 0 },
      { type: "usage", usage: { input: 25 + 100 + 300, cacheRead: 300, cacheWrite: 100, output: 1 } },
      { type: "block_start", index: 0, block: { type: "text" } },
      { type: "text_delta", index: 0, text: "Héllo" },
      { type: "text_delta", index: 0, text: " wörld 👋" },
      { type: "block_stop", index: 0 },
      { type: "usage", usage: { output: 15 } },
      { type: "message_stop", stopReason: "end_turn" },
    ]);
  });

  it("decodes tool_use argument pieces and skips the empty first piece", () => {
    const events = decodeInPieces(fixtureText("stream-tool-use.sse"), [100_000]);
    const toolStart = events.find((e) => e.type === "block_start" && e.block.type === "tool_use");
    expect(toolStart).toEqual({ type: "block_start", index: 1, block: { type: "tool_use", id: "toolu_01T1x1fJ34qAmk2tNTrN7Up6", name: "get_weather" } });
    const args = events.flatMap((e) => (e.type === "tool_args_delta" ? [e.partialJson] : []));
    expect(args).toEqual(['{"city": "Pa', 'ris", "unit": "celsius"}']);
    expect(JSON.parse(args.join(""))).toEqual({ city: "Paris", unit: "celsius" });
    expect(events[events.length - 1]).toEqual({ type: "message_stop", stopReason: "tool_use" });
  });

  it("decodes thinking deltas, the signature and redacted thinking", () => {
    const events = decodeInPieces(fixtureText("stream-thinking.sse"), [100_000]);
    expect(events.filter((e) => e.type === "block_start").map((e) => (e as { block: unknown }).block)).toEqual([
      { type: "thinking" },
      { type: "redacted_thinking", data: "EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIw" },
      { type: "text" },
    ]);
    const thinking = events.flatMap((e) => (e.type === "thinking_delta" ? [e.thinking] : [])).join("");
    expect(thinking).toBe("27 * 453: 27 * 400 = 10800, 27 * 53 = 1431, total 12231.");
    expect(events).toContainEqual({ type: "usage", usage: { output: 312, reasoning: 280 } });
    expect(events.filter((e) => e.type === "signature_delta")).toEqual([
      { type: "signature_delta", index: 0, signature: "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds+AZsyh1tr5w9cE1NhXHIIlrf1DP6jDEG/fJ+aEGMUEjwQC2UNGJFIYX5KvY9uk=" },
    ]);
  });

  for (const name of ["stream-text.sse", "stream-tool-use.sse", "stream-thinking.sse", "stream-error.sse"]) {
    it(`decodes ${name} identically however the bytes are split`, () => {
      const text = fixtureText(name);
      const whole = comparable(decodeInPieces(text, [100_000]));
      for (const sizes of AWKWARD_SPLITS) expect(comparable(decodeInPieces(text, sizes))).toEqual(whole);
    });
  }

  it("turns an error event inside a 200 stream into an upstream error, and decodes nothing after it", () => {
    const text = fixtureText("stream-error.sse") + 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"late"}}\n\n';
    const events = decodeInPieces(text, [7]);
    expect(events.map((e) => e.type)).toEqual(["message_start", "usage", "block_start", "text_delta", "error"]);
    const last = events[events.length - 1]!;
    expect(last.type === "error" && last.error).toMatchObject({ status: 529, type: "overloaded_error", source: "upstream", retryable: true, provider: "anthropic" });
  });

  it("reports a stream cut before message_stop as an error, never a silent end", () => {
    const cut = fixtureText("stream-text.sse").split("event: message_delta")[0]!;
    const events = decodeInPieces(cut, [5]);
    const last = events[events.length - 1]!;
    expect(last.type).toBe("error");
    expect(last.type === "error" && last.error.code).toBe("upstream_bad_response");
  });

  it("closes blocks left open when message_stop arrives, and reads prompt parts repeated in message_delta", () => {
    const text = [
      'event: message_start\ndata: {"type":"message_start","message":{"id":"m","model":"c","usage":{"input_tokens":5,"output_tokens":1}}}',
      'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":"Hi"}}',
      'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"stop_sequence","stop_sequence":"END"},"usage":{"input_tokens":5,"cache_read_input_tokens":20,"output_tokens":3}}',
      'event: message_stop\ndata: {"type":"message_stop"}',
    ].join("\n\n") + "\n\n";
    expect(comparable(decodeInPieces(text, [100_000])).slice(2)).toEqual([
      { type: "block_start", index: 0, block: { type: "text" } },
      { type: "text_delta", index: 0, text: "Hi" },
      { type: "usage", usage: { input: 25, cacheRead: 20, cacheWrite: 0, output: 3 } },
      { type: "block_stop", index: 0 },
      { type: "message_stop", stopReason: "stop_sequence", stopSequence: "END" },
    ]);
  });

  it("keeps no state between decoders", () => {
    const text = fixtureText("stream-text.sse");
    const first = createAnthropicStreamDecoder("anthropic");
    decodeInPieces(text.slice(0, 200), [100_000], first);
    expect(comparable(decodeInPieces(text, [9]))).toEqual(comparable(decodeInPieces(text, [100_000])));
  });
});

describe("Anthropic usage watcher (passthrough)", () => {
  it("reads prompt parts from message_start and the output count from message_delta", () => {
    for (const sizes of AWKWARD_SPLITS) {
      const watcher = watchInPieces(fixtureText("stream-text.sse"), sizes);
      expect(watcher.usage).toEqual({ input: 425, output: 15, cacheRead: 300, cacheWrite: 100, reasoning: 0 });
      expect(watcher.outputChars).toBe("Héllo wörld 👋".length);
    }
  });

  it("counts thinking and tool argument characters for streams cut short", () => {
    const tool = watchInPieces(fixtureText("stream-tool-use.sse"), [11]);
    expect(tool.outputChars).toBe("Checking the weather".length + '{"city": "Paris", "unit": "celsius"}'.length);
    const cut = watchInPieces(fixtureText("stream-error.sse"), [3]);
    expect(cut.usage).toEqual({ input: 25, output: 1, cacheRead: 0, cacheWrite: 0, reasoning: 0 });
    expect(cut.outputChars).toBe("Once upon".length);
  });

  it("has no usage before message_start", () => {
    const watcher = createAnthropicUsageWatcher();
    watcher.push(new TextEncoder().encode("event: ping\ndata: {\"type\":\"ping\"}\n\n"));
    expect(watcher.usage).toBeNull();
  });
});
