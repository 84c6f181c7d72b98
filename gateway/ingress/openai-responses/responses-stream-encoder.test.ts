import { ResponseStream } from "openai/lib/responses/ResponseStream";
import { describe, expect, it } from "vitest";
import { GatewayError } from "../../errors";
import type { CanonicalStreamEvent } from "../../formats/canonical";
import type { OutgoingSseFrame } from "../types";
import { createResponsesStreamEncoder } from "./responses-stream-encoder";

type Json = Record<string, unknown>;

function run(events: readonly CanonicalStreamEvent[], finish = false): { frames: OutgoingSseFrame[]; data: Json[] } {
  const encoder = createResponsesStreamEncoder("gpt-5-codex");
  const frames = events.flatMap((event) => encoder.encode(event));
  if (finish) frames.push(...encoder.finish());
  return { frames, data: frames.map((f) => JSON.parse(f.data) as Json) };
}

/** The openai SDK's own accumulator, fed the encoder's events (NDJSON is what fromReadableStream reads). */
async function sdkFinal(data: readonly Json[]) {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const event of data) controller.enqueue(new TextEncoder().encode(`${JSON.stringify(event)}\n`));
      controller.close();
    },
  });
  return ResponseStream.fromReadableStream(body).finalResponse();
}

const START: CanonicalStreamEvent = { type: "message_start", id: "msg_01ABC", model: "claude-sonnet-4-5", created: 1_756_315_696 };

// What the Anthropic adapter produces for thinking + text + a tool call.
const ANTHROPIC_TURN: CanonicalStreamEvent[] = [
  START,
  { type: "usage", usage: { input: 50, cacheRead: 10 } },
  { type: "block_start", index: 0, block: { type: "thinking" } },
  { type: "thinking_delta", index: 0, thinking: "Need the " },
  { type: "thinking_delta", index: 0, thinking: "weather." },
  { type: "signature_delta", index: 0, signature: "EqQBCgIYAhIM" },
  { type: "block_stop", index: 0 },
  { type: "block_start", index: 1, block: { type: "text" } },
  { type: "text_delta", index: 1, text: "Checking " },
  { type: "text_delta", index: 1, text: "now." },
  { type: "block_stop", index: 1 },
  { type: "block_start", index: 2, block: { type: "tool_use", id: "toolu_01A", name: "get_weather" } },
  { type: "tool_args_delta", index: 2, partialJson: '{"city":' },
  { type: "tool_args_delta", index: 2, partialJson: '"Paris"}' },
  { type: "block_stop", index: 2 },
  { type: "usage", usage: { output: 30, reasoning: 0 } },
  { type: "message_stop", stopReason: "tool_use" },
];

describe("createResponsesStreamEncoder", () => {
  it("emits the exact Responses event order with event lines and sequence numbers from 0", async () => {
    const { frames, data } = run(ANTHROPIC_TURN);
    expect(frames.map((f) => f.event)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.reasoning_summary_part.added",
      "response.reasoning_summary_text.delta",
      "response.reasoning_summary_text.delta",
      "response.reasoning_summary_text.done",
      "response.reasoning_summary_part.done",
      "response.output_item.done",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.output_item.added",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(data.map((d) => d.type)).toEqual(frames.map((f) => f.event));
    expect(data.map((d) => d.sequence_number)).toEqual(data.map((_, i) => i));

    const created = data[0]!.response as Json;
    expect(created).toMatchObject({ id: "resp_msg01ABC", object: "response", status: "in_progress", output: [], usage: null, model: "gpt-5-codex", created_at: 1_756_315_696 });
    const [reasoningAdded, messageAdded, callAdded] = data.filter((d) => d.type === "response.output_item.added");
    expect(reasoningAdded).toMatchObject({ output_index: 0, item: { type: "reasoning", summary: [] } });
    expect(messageAdded).toMatchObject({ output_index: 1, item: { type: "message", status: "in_progress", role: "assistant", content: [] } });
    expect(callAdded).toMatchObject({ output_index: 2, item: { type: "function_call", status: "in_progress", call_id: "toolu_01A", name: "get_weather", arguments: "" } });
    const messageId = (messageAdded!.item as Json).id;
    for (const d of data.filter((e) => String(e.type).startsWith("response.output_text") || String(e.type).startsWith("response.content_part"))) {
      expect(d).toMatchObject({ item_id: messageId, output_index: 1, content_index: 0 });
    }
    expect(data.find((d) => d.type === "response.function_call_arguments.done")).toMatchObject({ output_index: 2, name: "get_weather", arguments: '{"city":"Paris"}' });

    const done = data.filter((d) => d.type === "response.output_item.done").map((d) => d.item as Json);
    expect(done[0]).toMatchObject({ type: "reasoning", summary: [{ type: "summary_text", text: "Need the weather." }], encrypted_content: "EqQBCgIYAhIM" });
    expect(done[1]).toMatchObject({ type: "message", status: "completed", content: [{ type: "output_text", text: "Checking now." }] });
    expect(done[2]).toMatchObject({ type: "function_call", status: "completed", arguments: '{"city":"Paris"}' });
    const completed = data[data.length - 1]!.response as Json;
    expect(completed).toMatchObject({ status: "completed", usage: { input_tokens: 50, input_tokens_details: { cached_tokens: 10 }, output_tokens: 30, total_tokens: 80 } });
    expect(completed.output).toEqual(done);

    // The SDK's accumulator accepts every event and ends with the same response.
    const final = await sdkFinal(data);
    expect(final.output_text).toBe("Checking now.");
    expect(final.output).toMatchObject(done);
  });

  it("keeps consecutive text blocks as parts of one message item", () => {
    const { data } = run([
      START,
      { type: "block_start", index: 0, block: { type: "text" } },
      { type: "text_delta", index: 0, text: "a" },
      { type: "block_stop", index: 0 },
      { type: "block_start", index: 1, block: { type: "text" } },
      { type: "text_delta", index: 1, text: "b" },
      { type: "block_stop", index: 1 },
      { type: "message_stop", stopReason: "end_turn" },
    ]);
    expect(data.filter((d) => d.type === "response.output_item.added")).toHaveLength(1);
    expect(data.filter((d) => d.type === "response.content_part.added").map((d) => d.content_index)).toEqual([0, 1]);
    expect(data.filter((d) => d.type === "response.output_text.delta").map((d) => d.content_index)).toEqual([0, 1]);
    const item = data.find((d) => d.type === "response.output_item.done")!.item as Json;
    expect((item.content as Json[]).map((p) => p.text)).toEqual(["a", "b"]);
  });

  it("ends with response.incomplete (max_output_tokens) and marks the cut item incomplete", async () => {
    const { data } = run([
      START,
      { type: "block_start", index: 0, block: { type: "text" } },
      { type: "text_delta", index: 0, text: "Once upon a" },
      { type: "block_stop", index: 0 },
      { type: "usage", usage: { input: 5, output: 16 } },
      { type: "message_stop", stopReason: "max_tokens" },
    ]);
    expect(data.map((d) => d.type).slice(-2)).toEqual(["response.output_item.done", "response.incomplete"]);
    expect((data[data.length - 2]!.item as Json).status).toBe("incomplete");
    expect(data[data.length - 1]!.response).toMatchObject({ status: "incomplete", incomplete_details: { reason: "max_output_tokens" }, usage: { output_tokens: 16 } });
    expect((await sdkFinal(data)).status).toBe("incomplete");
  });

  it("opens no summary part for thinking without text (omitted display), still carrying the signature", () => {
    const { data } = run([
      START,
      { type: "block_start", index: 0, block: { type: "thinking" } },
      { type: "signature_delta", index: 0, signature: "sig" },
      { type: "block_stop", index: 0 },
      { type: "block_start", index: 1, block: { type: "redacted_thinking", data: "EmwK" } },
      { type: "block_stop", index: 1 },
      { type: "message_stop", stopReason: "end_turn" },
    ]);
    expect(data.map((d) => d.type)).toEqual(["response.created", "response.in_progress", "response.output_item.added", "response.output_item.done", "response.output_item.added", "response.output_item.done", "response.completed"]);
    expect(data[3]!.item).toMatchObject({ type: "reasoning", summary: [], encrypted_content: "sig" });
    expect(data[5]!.item).toMatchObject({ type: "reasoning", summary: [], encrypted_content: "sy-redacted:EmwK" });
  });

  it("gives a call without argument deltas valid empty JSON", () => {
    const { data } = run([START, { type: "block_start", index: 0, block: { type: "tool_use", id: "c", name: "now" } }, { type: "block_stop", index: 0 }, { type: "message_stop", stopReason: "tool_use" }]);
    expect(data.filter((d) => d.type === "response.function_call_arguments.delta").map((d) => d.delta)).toEqual(["{}"]);
    expect(data.find((d) => d.type === "response.output_item.done")!.item).toMatchObject({ arguments: "{}" });
  });

  it("ends a failed stream with an error event and response.failed, numbered in sequence", () => {
    const error = new GatewayError({ status: 529, type: "overloaded_error", message: "Overloaded", source: "upstream", provider: "anthropic", retryable: true });
    const { frames, data } = run([START, { type: "block_start", index: 0, block: { type: "text" } }, { type: "text_delta", index: 0, text: "Par" }, { type: "error", error }, { type: "text_delta", index: 0, text: "ignored" }]);
    expect(frames.map((f) => f.event).slice(-2)).toEqual(["error", "response.failed"]);
    expect(data.map((d) => d.sequence_number)).toEqual(data.map((_, i) => i));
    expect(data[data.length - 2]).toMatchObject({ type: "error", code: "overloaded_error", message: "Overloaded (upstream: anthropic)", error: { type: "overloaded_error" } });
    expect(data[data.length - 1]!.response).toMatchObject({ status: "failed", error: { code: "server_error", message: "Overloaded (upstream: anthropic)" } });
  });

  it("closes a stream cut short (finish without message_stop) with a failure, never silently", () => {
    const { data } = run([START, { type: "block_start", index: 0, block: { type: "text" } }, { type: "text_delta", index: 0, text: "Par" }], true);
    expect(data.map((d) => d.type).slice(-2)).toEqual(["error", "response.failed"]);
    expect(data[data.length - 1]!.response).toMatchObject({ status: "failed" });
    const after = createResponsesStreamEncoder("m");
    after.encode({ type: "message_stop", stopReason: "end_turn" });
    expect(after.finish()).toEqual([]);
  });

  it("keeps state per stream: two encoders number independently", () => {
    const a = createResponsesStreamEncoder("m");
    const b = createResponsesStreamEncoder("m");
    a.encode(START);
    const first = JSON.parse(b.encode(START)[0]!.data) as Json;
    expect(first.sequence_number).toBe(0);
  });
});
