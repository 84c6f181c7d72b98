import { describe, expect, it } from "vitest";
import type { CanonicalStreamEvent } from "../../formats/canonical";
import { fixtureText } from "./fixtures.test-helpers";
import { createResponsesStreamDecoder, createResponsesUsageWatcher } from "./stream";

/** Feeds the transcript in small, uneven chunks: events and UTF-8 split across reads. */
function decode(sse: string, chunk = 37): CanonicalStreamEvent[] {
  const decoder = createResponsesStreamDecoder("openai");
  const bytes = new TextEncoder().encode(sse);
  const out: CanonicalStreamEvent[] = [];
  for (let i = 0; i < bytes.length; i += chunk) out.push(...decoder.push(bytes.subarray(i, i + chunk)));
  out.push(...decoder.end());
  return out;
}

describe("createResponsesStreamDecoder", () => {
  it("decodes a text stream into one text block, usage and end_turn", () => {
    expect(decode(fixtureText("stream-text.sse"))).toEqual([
      { type: "message_start", id: "resp_68b0c1d2e3f48190a1b2c3d4e5f6a7b80c1d2e3f4a5b6c7d", model: "gpt-4.1-2025-04-14", created: 1756315696 },
      { type: "block_start", index: 0, block: { type: "text" } },
      { type: "text_delta", index: 0, text: "Hi" },
      { type: "text_delta", index: 0, text: " there" },
      { type: "text_delta", index: 0, text: "!" },
      { type: "block_stop", index: 0 },
      { type: "usage", usage: { input: 9, output: 3, cacheRead: 0, cacheWrite: 0, reasoning: 0 } },
      { type: "message_stop", stopReason: "end_turn" },
    ]);
  });

  it("decodes reasoning (summary parts joined, encrypted_content as signature) and a streamed call", () => {
    const events = decode(fixtureText("stream-reasoning-tool-call.sse"), 11);
    const thinking = events.filter((e) => e.type === "thinking_delta").map((e) => (e.type === "thinking_delta" ? e.thinking : "")).join("");
    expect(thinking).toBe("**Checking the weather**\n\nCall get_weather.");
    expect(events.filter((e) => e.type !== "thinking_delta" && e.type !== "tool_args_delta")).toEqual([
      expect.objectContaining({ type: "message_start" }),
      { type: "block_start", index: 0, block: { type: "thinking" } },
      { type: "signature_delta", index: 0, signature: "gAAAAABor0AzQ2vK1mJr0n7Q3lXyZkXbq9fVv0r1Y6b2w3x4y5z6A7B8C9D0E1F2G3H4" },
      { type: "block_stop", index: 0 },
      { type: "block_start", index: 1, block: { type: "tool_use", id: "call_4gHs0vKx0vGbP2Y6qfBq0k5T", name: "get_weather" } },
      { type: "block_stop", index: 1 },
      { type: "usage", usage: { input: 67, output: 150, cacheRead: 32, cacheWrite: 0, reasoning: 128 } },
      { type: "message_stop", stopReason: "tool_use" },
    ]);
    const args = events.filter((e) => e.type === "tool_args_delta").map((e) => (e.type === "tool_args_delta" ? e.partialJson : ""));
    expect(args).toEqual(['{"ci', 'ty":"Pa', 'ris"}']);
  });

  it("ends an incomplete stream with max_tokens", () => {
    const events = decode(fixtureText("stream-incomplete.sse"));
    expect(events[events.length - 1]).toEqual({ type: "message_stop", stopReason: "max_tokens" });
  });

  it("turns response.failed and the error event into a canonical error, with nothing after it", () => {
    const failed = decode(fixtureText("stream-failed.sse"));
    expect(failed.map((e) => e.type)).toEqual(["message_start", "block_start", "text_delta", "error"]);
    expect(failed[3]).toMatchObject({ error: { status: 502, code: "server_error", source: "upstream", retryable: true } });
    const error = decode(fixtureText("stream-error.sse"));
    expect(error.map((e) => e.type)).toEqual(["message_start", "error"]);
    expect(error[1]).toMatchObject({ error: { status: 429, code: "rate_limit_exceeded", message: expect.stringContaining("Too Many Requests") } });
  });

  it("reports a stream cut before its terminal event, and a non-JSON event, as errors", () => {
    const text = fixtureText("stream-text.sse");
    const cut = decode(text.slice(0, text.indexOf("event: response.output_text.done")));
    expect(cut[cut.length - 1]).toMatchObject({ type: "error", error: { code: "upstream_bad_response", message: expect.stringContaining("before response.completed") } });
    const garbage = decode("event: response.created\ndata: {not json\n\n");
    expect(garbage).toEqual([expect.objectContaining({ type: "error", error: expect.objectContaining({ code: "upstream_bad_response" }) })]);
  });

  it("takes a call's arguments from output_item.done when no deltas came (compatible servers)", () => {
    const sse = [
      { type: "response.created", sequence_number: 0, response: { id: "resp_1", model: "m", created_at: 1 } },
      { type: "response.output_item.added", sequence_number: 1, output_index: 0, item: { type: "function_call", id: "fc_1", call_id: "c1", name: "f", arguments: "" } },
      { type: "response.output_item.done", sequence_number: 2, output_index: 0, item: { type: "function_call", id: "fc_1", call_id: "c1", name: "f", arguments: '{"a":1}' } },
      { type: "response.completed", sequence_number: 3, response: { id: "resp_1", status: "completed", output: [], usage: null } },
    ]
      .map((e) => `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`)
      .join("");
    expect(decode(sse).filter((e) => e.type === "tool_args_delta")).toEqual([{ type: "tool_args_delta", index: 0, partialJson: '{"a":1}' }]);
  });
});

describe("createResponsesUsageWatcher", () => {
  it("reads usage from the terminal event and counts output characters of a relayed stream", () => {
    const watcher = createResponsesUsageWatcher();
    const bytes = new TextEncoder().encode(fixtureText("stream-reasoning-tool-call.sse"));
    for (let i = 0; i < bytes.length; i += 50) watcher.push(bytes.subarray(i, i + 50));
    expect(watcher.finish()).toEqual({ input: 67, output: 150, cacheRead: 32, cacheWrite: 0, reasoning: 128 });
    expect(watcher.outputChars).toBe("**Checking the weather**Call get_weather.".length + '{"city":"Paris"}'.length);
  });
});
