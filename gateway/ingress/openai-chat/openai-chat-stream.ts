// Canonical stream events → OpenAI `chat.completion.chunk` frames, in the order OpenAI sends
// them and SDK accumulators rely on:
//   1. a first chunk with `delta: {role: "assistant", content: "", refusal: null}`;
//   2. content / reasoning_content deltas, and tool calls as `tool_calls[{index, id, type,
//      function: {name, arguments: ""}}]` once, then `{index, function: {arguments}}` pieces;
//   3. a chunk with an empty delta and the finish_reason;
//   4. only when the client asked (stream_options.include_usage), a usage chunk with
//      `choices: []` — OpenAI sends none otherwise and naive clients index choices[0];
//   5. `data: [DONE]`.
// An error after the first byte is one `data: {"error": {...}}` frame and nothing after it
// (the OpenAI SDKs raise it as an APIError).
import { GatewayError } from "../../errors";
import type { CanonicalStreamEvent, CanonicalUsage } from "../../formats/canonical";
import { mergeUsage, ZERO_USAGE } from "../../formats/canonical";
import { SSE_DONE } from "../../transport/sse";
import type { OutgoingSseFrame, StreamEncoder } from "../types";
import { chatCompletionId, chatUsageOf, finishReasonOf, openAIChatErrorBody, toolCallId } from "./openai-chat-wire";

type Json = Record<string, unknown>;

export interface OpenAIChatStreamOptions {
  /** `stream_options.include_usage` as the client sent it. */
  readonly includeUsage: boolean;
}

export function openAIChatErrorFrame(error: GatewayError): OutgoingSseFrame {
  return { event: undefined, data: JSON.stringify(openAIChatErrorBody(error)) };
}

const CUT_SHORT = (): GatewayError =>
  new GatewayError({ status: 502, type: "server_error", code: "upstream_stream_incomplete", message: "The upstream stream ended before the message was complete.", source: "upstream" });

interface ChatStreamState {
  id: string;
  created: number;
  started: boolean;
  stopped: boolean;
  usage: CanonicalUsage;
  /** Canonical block index → the tool call's `index` in chat terms (0, 1, … in call order). */
  readonly toolIndexes: Map<number, number>;
}

function createState(): ChatStreamState {
  return { id: "", created: 0, started: false, stopped: false, usage: ZERO_USAGE, toolIndexes: new Map() };
}

export function createOpenAIChatStreamEncoder(model: string, options: OpenAIChatStreamOptions): StreamEncoder {
  const state = createState();

  const frame = (body: Json): OutgoingSseFrame => ({ event: undefined, data: JSON.stringify(body) });
  // With include_usage OpenAI puts `usage: null` on every content chunk; clients typed on it expect the key.
  const chunk = (delta: Json, finishReason: string | null): OutgoingSseFrame =>
    frame({
      id: state.id,
      object: "chat.completion.chunk",
      created: state.created,
      model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
      ...(options.includeUsage ? { usage: null } : {}),
    });
  const start = (id: string, created: number): OutgoingSseFrame => {
    state.started = true;
    state.id = chatCompletionId(id);
    // Some upstreams send created 0 in their first chunk (Azure's content-filter preamble).
    state.created = created > 0 ? created : Math.floor(Date.now() / 1000);
    return chunk({ role: "assistant", content: "", refusal: null }, null);
  };

  function encodeEvent(event: CanonicalStreamEvent, out: OutgoingSseFrame[]): void {
    switch (event.type) {
      case "message_start":
        break;
      case "block_start": {
        if (event.block.type !== "tool_use") break;
        const index = state.toolIndexes.size;
        state.toolIndexes.set(event.index, index);
        out.push(chunk({ tool_calls: [{ index, id: toolCallId(event.block.id), type: "function", function: { name: event.block.name, arguments: "" } }] }, null));
        break;
      }
      case "text_delta":
        if (event.text !== "") out.push(chunk({ content: event.text }, null));
        break;
      case "thinking_delta":
        // Same non-standard field as the JSON answer (openai-chat-response.ts explains why).
        if (event.thinking !== "") out.push(chunk({ reasoning_content: event.thinking }, null));
        break;
      case "tool_args_delta": {
        const index = state.toolIndexes.get(event.index);
        if (index !== undefined && event.partialJson !== "") out.push(chunk({ tool_calls: [{ index, function: { arguments: event.partialJson } }] }, null));
        break;
      }
      case "signature_delta":
      case "block_stop":
        // Chat chunks have no block boundaries and no place for a signature.
        break;
      case "usage":
        state.usage = mergeUsage(state.usage, event.usage);
        break;
      case "message_stop":
        out.push(chunk({}, finishReasonOf(event.stopReason, state.toolIndexes.size > 0)));
        if (options.includeUsage) out.push(frame({ id: state.id, object: "chat.completion.chunk", created: state.created, model, choices: [], usage: chatUsageOf(state.usage) }));
        out.push({ event: undefined, data: SSE_DONE });
        state.stopped = true;
        break;
      case "error":
        out.push(openAIChatErrorFrame(event.error));
        state.stopped = true;
        break;
    }
  }

  return {
    encode(event: CanonicalStreamEvent): OutgoingSseFrame[] {
      if (state.stopped) return [];
      const out: OutgoingSseFrame[] = [];
      if (!state.started && event.type !== "error") out.push(event.type === "message_start" ? start(event.id, event.created) : start("", 0));
      encodeEvent(event, out);
      return out;
    },
    finish(): OutgoingSseFrame[] {
      if (state.stopped) return [];
      state.stopped = true;
      return [openAIChatErrorFrame(CUT_SHORT())];
    },
  };
}
