import { APIError } from "openai";
import { Stream } from "openai/core/streaming";
import { ChatCompletionStream } from "openai/lib/ChatCompletionStream";
import type { ChatCompletionChunk } from "openai/resources/chat/completions";
import { describe, expect, it } from "vitest";
import { GatewayError } from "../../errors";
import type { CanonicalStreamEvent } from "../../formats/canonical";
import { encodeSseData } from "../../transport/sse";
import type { OutgoingSseFrame } from "../types";
import { openaiChatCodec } from "./openai-chat-codec";
import { decodeOpenAIChatRequest } from "./openai-chat-request";
import { createOpenAIChatStreamEncoder } from "./openai-chat-stream";

type Json = Record<string, unknown>;

/** A Claude-like turn: thinking, text, then two tool calls with argument pieces. */
const TOOL_TURN: CanonicalStreamEvent[] = [
  { type: "message_start", id: "msg_01ABC", model: "claude-sonnet-4", created: 1_750_000_000 },
  { type: "usage", usage: { input: 120, cacheRead: 100 } },
  { type: "block_start", index: 0, block: { type: "thinking" } },
  { type: "thinking_delta", index: 0, thinking: "Need the weather." },
  { type: "signature_delta", index: 0, signature: "sig" },
  { type: "block_stop", index: 0 },
  { type: "block_start", index: 1, block: { type: "text" } },
  { type: "text_delta", index: 1, text: "Checking " },
  { type: "text_delta", index: 1, text: "both." },
  { type: "block_stop", index: 1 },
  { type: "block_start", index: 2, block: { type: "tool_use", id: "toolu_1", name: "get_weather" } },
  { type: "tool_args_delta", index: 2, partialJson: '{"city":' },
  { type: "tool_args_delta", index: 2, partialJson: '"Paris"}' },
  { type: "block_stop", index: 2 },
  { type: "block_start", index: 3, block: { type: "tool_use", id: "toolu_2", name: "get_weather" } },
  { type: "tool_args_delta", index: 3, partialJson: '{"city":"Oslo"}' },
  { type: "block_stop", index: 3 },
  { type: "usage", usage: { output: 40, reasoning: 10 } },
  { type: "message_stop", stopReason: "tool_use" },
];

function run(events: readonly CanonicalStreamEvent[], includeUsage: boolean): OutgoingSseFrame[] {
  const encoder = createOpenAIChatStreamEncoder("gpt-4o", { includeUsage });
  return [...events.flatMap((e) => encoder.encode(e)), ...encoder.finish()];
}

const parsed = (frames: OutgoingSseFrame[]): Array<Json | "[DONE]"> => frames.map((f) => (f.data === "[DONE]" ? "[DONE]" : (JSON.parse(f.data) as Json)));
const deltas = (frames: OutgoingSseFrame[]) => parsed(frames).map((c) => (c === "[DONE]" ? c : ((c.choices as Json[])[0]?.delta ?? { usageOnly: c.usage })));

function sseResponse(frames: OutgoingSseFrame[]): Response {
  const text = frames.map((f) => encodeSseData(f.data)).join("");
  return new Response(text, { headers: { "content-type": "text/event-stream" } });
}

describe("openai chat stream encoder", () => {
  it("sends role first, content and tool-call deltas, the finish chunk, then [DONE]", () => {
    const frames = run(TOOL_TURN, false);
    expect(frames.every((f) => f.event === undefined)).toBe(true);
    expect(deltas(frames)).toEqual([
      { role: "assistant", content: "", refusal: null },
      { reasoning_content: "Need the weather." },
      { content: "Checking " },
      { content: "both." },
      { tool_calls: [{ index: 0, id: "toolu_1", type: "function", function: { name: "get_weather", arguments: "" } }] },
      { tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] },
      { tool_calls: [{ index: 1, id: "toolu_2", type: "function", function: { name: "get_weather", arguments: "" } }] },
      { tool_calls: [{ index: 1, function: { arguments: '{"city":"Oslo"}' } }] },
      {},
      "[DONE]",
    ]);
    const chunks = parsed(frames).filter((c): c is Json => c !== "[DONE]");
    // One id and timestamp for the whole stream, prefixed as OpenAI's are, and the client's model.
    expect(new Set(chunks.map((c) => c.id))).toEqual(new Set(["chatcmpl-msg_01ABC"]));
    expect(chunks.every((c) => c.object === "chat.completion.chunk" && c.created === 1_750_000_000 && c.model === "gpt-4o")).toBe(true);
    expect(chunks.map((c) => (c.choices as Json[])[0]!.finish_reason)).toEqual([...Array(9).fill(null), "tool_calls"]);
    // No usage anywhere when the client did not ask for it.
    expect(chunks.some((c) => "usage" in c)).toBe(false);
  });

  it("adds usage: null to every chunk and a final usage chunk with empty choices when include_usage was asked", () => {
    const frames = run(TOOL_TURN, true);
    const chunks = parsed(frames);
    expect(chunks.at(-1)).toBe("[DONE]");
    const usageChunk = chunks.at(-2) as Json;
    expect(usageChunk).toEqual({
      id: "chatcmpl-msg_01ABC",
      object: "chat.completion.chunk",
      created: 1_750_000_000,
      model: "gpt-4o",
      choices: [],
      usage: {
        prompt_tokens: 120,
        completion_tokens: 40,
        total_tokens: 160,
        prompt_tokens_details: { cached_tokens: 100, audio_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 10, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
      },
    });
    expect((chunks.slice(0, -2) as Json[]).every((c) => c.usage === null)).toBe(true);
  });

  it("sends the usage chunk only when the decoded request asked for it", () => {
    const request = decodeOpenAIChatRequest({ model: "m", messages: [{ role: "user", content: "x" }], stream: true, stream_options: { include_usage: true } });
    const withRequest = openaiChatCodec.createStreamEncoder("m", request);
    const frames = TOOL_TURN.flatMap((e) => withRequest.encode(e));
    expect((parsed(frames).at(-2) as Json).choices).toEqual([]);
    const without = openaiChatCodec.createStreamEncoder("m", decodeOpenAIChatRequest({ model: "m", messages: [{ role: "user", content: "x" }], stream: true }));
    expect(parsed(TOOL_TURN.flatMap((e) => without.encode(e))).some((c) => c !== "[DONE]" && (c.choices as Json[]).length === 0)).toBe(false);
  });

  it("maps stop reasons to finish_reason", () => {
    const finish = (stopReason: Extract<CanonicalStreamEvent, { type: "message_stop" }>["stopReason"], withTool = false) => {
      const events: CanonicalStreamEvent[] = [
        { type: "message_start", id: "x", model: "m", created: 1 },
        ...(withTool ? ([{ type: "block_start", index: 0, block: { type: "tool_use", id: "t", name: "f" } }] as CanonicalStreamEvent[]) : []),
        { type: "message_stop", stopReason },
      ];
      const chunks = parsed(run(events, false)).filter((c): c is Json => c !== "[DONE]");
      return (chunks.at(-1)!.choices as Json[])[0]!.finish_reason;
    };
    expect(finish("end_turn")).toBe("stop");
    expect(finish("stop_sequence")).toBe("stop");
    expect(finish("max_tokens")).toBe("length");
    expect(finish("tool_use")).toBe("tool_calls");
    expect(finish("content_filter")).toBe("content_filter");
    expect(finish("refusal")).toBe("content_filter");
    // Gemini says STOP after function calls; agent loops wait for tool_calls.
    expect(finish("end_turn", true)).toBe("tool_calls");
  });

  it("starts the stream itself when the upstream sent no message_start, with a fresh id and timestamp", () => {
    const frames = run([{ type: "text_delta", index: 0, text: "hi" }, { type: "message_stop", stopReason: "end_turn" }], false);
    const first = parsed(frames)[0] as Json;
    expect(first.id).toMatch(/^chatcmpl-[0-9a-f]{24}$/);
    expect(first.created).toBeGreaterThan(1_700_000_000);
    expect(deltas(frames)).toEqual([{ role: "assistant", content: "", refusal: null }, { content: "hi" }, {}, "[DONE]"]);
  });

  it("ends with one error frame, and nothing after it, when the upstream fails mid-stream", () => {
    const error = new GatewayError({ status: 529, type: "overloaded_error", message: "Overloaded", source: "upstream", provider: "anthropic-prod" });
    const encoder = createOpenAIChatStreamEncoder("m", { includeUsage: true });
    const frames = [
      ...encoder.encode({ type: "message_start", id: "x", model: "m", created: 1 }),
      ...encoder.encode({ type: "text_delta", index: 0, text: "par" }),
      ...encoder.encode({ type: "error", error }),
      ...encoder.encode({ type: "text_delta", index: 0, text: "tial" }),
      ...encoder.encode({ type: "message_stop", stopReason: "end_turn" }),
      ...encoder.finish(),
    ];
    expect(parsed(frames).at(-1)).toEqual({ error: { message: "Overloaded (upstream: anthropic-prod)", type: "overloaded_error", param: null, code: null } });
    expect(frames).toHaveLength(3);
    expect(openaiChatCodec.encodeStreamError(error)).toEqual([frames.at(-1)]);
  });

  it("reports a stream cut short before message_stop as an error, not a silent end", () => {
    const frames = run(TOOL_TURN.slice(0, 9), false);
    const last = parsed(frames).at(-1) as Json;
    expect(last.error).toMatchObject({ type: "server_error", code: "upstream_stream_incomplete" });
    expect(parsed(frames)).not.toContain("[DONE]");
  });

  it("is read by the OpenAI SDK: chunks parse, tool-call deltas accumulate, usage arrives", async () => {
    const frames = run(TOOL_TURN, true);
    const stream = Stream.fromSSEResponse<ChatCompletionChunk>(sseResponse(frames), new AbortController());
    const final = await ChatCompletionStream.fromReadableStream(stream.toReadableStream()).finalChatCompletion();
    expect(final.id).toBe("chatcmpl-msg_01ABC");
    expect(final.choices[0]!.finish_reason).toBe("tool_calls");
    expect(final.choices[0]!.message.content).toBe("Checking both.");
    expect(final.choices[0]!.message.tool_calls).toEqual([
      { id: "toolu_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
      { id: "toolu_2", type: "function", function: { name: "get_weather", arguments: '{"city":"Oslo"}' } },
    ]);
    expect(final.usage?.total_tokens).toBe(160);
  });

  it("makes the OpenAI SDK raise the mid-stream error as an APIError", async () => {
    const encoder = createOpenAIChatStreamEncoder("m", { includeUsage: false });
    const frames = [
      ...encoder.encode({ type: "message_start", id: "x", model: "m", created: 1 }),
      ...encoder.encode({ type: "text_delta", index: 0, text: "a" }),
      ...openaiChatCodec.encodeStreamError(new GatewayError({ status: 502, type: "upstream_error", message: "reset", source: "upstream", provider: "p" })),
    ];
    const stream = Stream.fromSSEResponse<ChatCompletionChunk>(sseResponse(frames), new AbortController());
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of stream) seen.push(chunk.choices[0]?.delta.content ?? "");
      })(),
    ).rejects.toBeInstanceOf(APIError);
    expect(seen).toEqual(["", "a"]);
  });
});
