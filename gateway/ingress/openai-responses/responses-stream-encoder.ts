// Canonical stream events → the Responses API's SSE events, in the order the API sends them
// and the openai SDK's accumulator (lib/responses/ResponseAccumulator) and Codex CLI rely on:
//
//   response.created → response.in_progress
//   per item: response.output_item.added
//     message:       response.content_part.added → response.output_text.delta* →
//                    response.output_text.done → response.content_part.done
//     reasoning:     response.reasoning_summary_part.added → response.reasoning_summary_text.delta* →
//                    response.reasoning_summary_text.done → response.reasoning_summary_part.done
//     function call: response.function_call_arguments.delta* → response.function_call_arguments.done
//   response.output_item.done
//   response.completed | response.incomplete | (error → response.failed)
//
// Every frame has an `event:` line equal to its `type` and a `sequence_number` counting from 0.
// Codex reads the finished items from `response.output_item.done` and usage from
// `response.completed`, so those carry the full item (reasoning's encrypted_content included).
//
// A block's closing frames wait for the next event: whether a message item stays open (the
// next block is text too) and whether the item ended `incomplete` (max tokens) are only known
// then. Deltas are never held back.
import { GatewayError } from "../../errors";
import type { CanonicalStreamEvent, CanonicalUsage, StopReason } from "../../formats/canonical";
import { mergeUsage, ZERO_USAGE } from "../../formats/canonical";
import type { OutgoingSseFrame, StreamEncoder } from "../types";
import {
  functionCallItem,
  messageItem,
  newItemId,
  outputTextPart,
  reasoningItem,
  redactedReasoningItem,
  responseErrorOf,
  responseIdOf,
  responseObject,
  statusOf,
  type ItemStatus,
  type ResponseStatus,
} from "./encode-responses-response";
import { errorEventData } from "./responses-errors";

type Json = Record<string, unknown>;

interface MessageState {
  readonly kind: "message";
  readonly id: string;
  readonly outputIndex: number;
  readonly parts: string[];
}
interface ReasoningState {
  readonly kind: "reasoning";
  readonly id: string;
  readonly outputIndex: number;
  text: string;
  signature: string;
  partOpen: boolean;
  readonly redactedData?: string;
}
interface FunctionCallState {
  readonly kind: "function_call";
  readonly id: string;
  readonly outputIndex: number;
  readonly callId: string;
  readonly name: string;
  args: string;
}
type ItemState = MessageState | ReasoningState | FunctionCallState;

/** What the held-back close of a block depends on. */
type CloseContext = { readonly next: "text" } | { readonly next: "other" } | { readonly next: "end"; readonly status: ItemStatus };

interface EncoderState {
  sequence: number;
  started: boolean;
  stopped: boolean;
  responseId: string;
  createdAt: number;
  usage: CanonicalUsage;
  /** Finished items by output index (a slot stays empty while its item streams), for the terminal response. */
  readonly output: Array<Json | undefined>;
  /** Canonical block index → the item it feeds. */
  readonly blocks: Map<number, ItemState>;
  /** The message item currently accepting text parts. */
  message: MessageState | null;
  /** A stopped block whose closing frames wait for the next event. */
  pendingClose: ItemState | null;
}

/** The encoder does not know the provider: the pipeline's own errors name it, these cannot. */
function upstreamEnded(message: string): GatewayError {
  return new GatewayError({ status: 502, type: "upstream_error", code: "upstream_bad_response", message, source: "upstream", retryable: true });
}

export function createResponsesStreamEncoder(model: string): StreamEncoder {
  const state: EncoderState = {
    sequence: 0,
    started: false,
    stopped: false,
    responseId: "",
    createdAt: Math.floor(Date.now() / 1000),
    usage: ZERO_USAGE,
    output: [],
    blocks: new Map(),
    message: null,
    pendingClose: null,
  };

  const frame = (type: string, data: Json): OutgoingSseFrame => ({ event: type, data: JSON.stringify({ type, sequence_number: state.sequence++, ...data }) });

  const envelope = (status: ResponseStatus, extra: { incompleteDetails?: Json | null; error?: Json | null } = {}): Json =>
    responseObject({
      id: state.responseId,
      model,
      createdAt: state.createdAt,
      status,
      output: status === "in_progress" ? [] : state.output.filter((item): item is Json => item !== undefined),
      usage: status === "in_progress" ? null : state.usage,
      ...extra,
    });

  function start(out: OutgoingSseFrame[], id: string, created?: number): void {
    state.started = true;
    state.responseId = responseIdOf(id);
    if (created !== undefined) state.createdAt = created;
    out.push(frame("response.created", { response: envelope("in_progress") }));
    out.push(frame("response.in_progress", { response: envelope("in_progress") }));
  }

  function nextOutputIndex(): number {
    // Reserve the slot: the index is fixed when the item opens, the item is known when it closes.
    state.output.push(undefined);
    return state.output.length - 1;
  }

  function closeMessage(out: OutgoingSseFrame[], message: MessageState, status: ItemStatus): void {
    const item = messageItem(message.id, message.parts, status);
    state.output[message.outputIndex] = item;
    out.push(frame("response.output_item.done", { output_index: message.outputIndex, item }));
    if (state.message === message) state.message = null;
  }

  function closeBlock(out: OutgoingSseFrame[], item: ItemState, context: CloseContext): void {
    const status: ItemStatus = context.next === "end" ? context.status : "completed";
    switch (item.kind) {
      case "message": {
        const contentIndex = item.parts.length - 1;
        const text = item.parts[contentIndex] ?? "";
        out.push(frame("response.output_text.done", { item_id: item.id, output_index: item.outputIndex, content_index: contentIndex, text, logprobs: [] }));
        out.push(frame("response.content_part.done", { item_id: item.id, output_index: item.outputIndex, content_index: contentIndex, part: outputTextPart(text) }));
        // Consecutive text blocks are parts of one message, as the Responses API groups them.
        if (context.next !== "text") closeMessage(out, item, status);
        return;
      }
      case "reasoning": {
        if (item.partOpen) {
          out.push(frame("response.reasoning_summary_text.done", { item_id: item.id, output_index: item.outputIndex, summary_index: 0, text: item.text }));
          out.push(frame("response.reasoning_summary_part.done", { item_id: item.id, output_index: item.outputIndex, summary_index: 0, part: { type: "summary_text", text: item.text } }));
        }
        const done = item.redactedData !== undefined ? redactedReasoningItem(item.id, item.redactedData) : reasoningItem(item.id, item.text, item.signature === "" ? undefined : item.signature);
        state.output[item.outputIndex] = done;
        out.push(frame("response.output_item.done", { output_index: item.outputIndex, item: done }));
        return;
      }
      case "function_call": {
        if (item.args === "") {
          // A call without arguments still carries valid JSON, as the API's always do.
          item.args = "{}";
          out.push(frame("response.function_call_arguments.delta", { item_id: item.id, output_index: item.outputIndex, delta: item.args }));
        }
        out.push(frame("response.function_call_arguments.done", { item_id: item.id, output_index: item.outputIndex, name: item.name, arguments: item.args }));
        const done = functionCallItem(item.id, item.callId, item.name, item.args, status);
        state.output[item.outputIndex] = done;
        out.push(frame("response.output_item.done", { output_index: item.outputIndex, item: done }));
        return;
      }
    }
  }

  function flush(out: OutgoingSseFrame[], context: CloseContext): void {
    const pending = state.pendingClose;
    state.pendingClose = null;
    if (pending) closeBlock(out, pending, context);
    if (context.next !== "end") return;
    // A decoder that stopped without closing its blocks still gets well-formed items.
    for (const [index, item] of state.blocks) {
      state.blocks.delete(index);
      closeBlock(out, item, context);
    }
  }

  function openBlock(out: OutgoingSseFrame[], index: number, block: Extract<CanonicalStreamEvent, { type: "block_start" }>["block"]): void {
    flush(out, { next: block.type === "text" ? "text" : "other" });
    switch (block.type) {
      case "text": {
        let message = state.message;
        if (!message) {
          message = { kind: "message", id: newItemId("msg"), outputIndex: nextOutputIndex(), parts: [] };
          state.message = message;
          out.push(frame("response.output_item.added", { output_index: message.outputIndex, item: messageItem(message.id, [], "in_progress") }));
        }
        message.parts.push("");
        state.blocks.set(index, message);
        out.push(frame("response.content_part.added", { item_id: message.id, output_index: message.outputIndex, content_index: message.parts.length - 1, part: outputTextPart("") }));
        return;
      }
      case "thinking":
      case "redacted_thinking": {
        const item: ReasoningState = {
          kind: "reasoning",
          id: newItemId("rs"),
          outputIndex: nextOutputIndex(),
          text: "",
          signature: "",
          partOpen: false,
          ...(block.type === "redacted_thinking" ? { redactedData: block.data } : {}),
        };
        state.blocks.set(index, item);
        out.push(frame("response.output_item.added", { output_index: item.outputIndex, item: { id: item.id, type: "reasoning", summary: [] } }));
        return;
      }
      case "tool_use": {
        const item: FunctionCallState = { kind: "function_call", id: newItemId("fc"), outputIndex: nextOutputIndex(), callId: block.id, name: block.name, args: "" };
        state.blocks.set(index, item);
        out.push(frame("response.output_item.added", { output_index: item.outputIndex, item: functionCallItem(item.id, item.callId, item.name, "", "in_progress") }));
        return;
      }
    }
  }

  function finishWith(out: OutgoingSseFrame[], stopReason: StopReason): void {
    const { status, incompleteDetails } = statusOf(stopReason);
    flush(out, { next: "end", status: status === "completed" ? "completed" : "incomplete" });
    state.stopped = true;
    if (status === "failed") {
      fail(out, upstreamEnded("The upstream provider ended the response with an error."));
      return;
    }
    out.push(frame(status === "incomplete" ? "response.incomplete" : "response.completed", { response: envelope(status, { incompleteDetails }) }));
  }

  function fail(out: OutgoingSseFrame[], error: GatewayError): void {
    state.stopped = true;
    state.pendingClose = null;
    out.push({ event: "error", data: JSON.stringify(errorEventData(error, state.sequence++)) });
    // Codex reads the failure from response.failed; the SDKs throw on the error event.
    out.push(frame("response.failed", { response: envelope("failed", { error: responseErrorOf(error) }) }));
  }

  return {
    encode(event: CanonicalStreamEvent): OutgoingSseFrame[] {
      if (state.stopped) return [];
      const out: OutgoingSseFrame[] = [];
      if (!state.started) start(out, event.type === "message_start" ? event.id : "", event.type === "message_start" ? event.created : undefined);
      switch (event.type) {
        case "message_start":
          break;
        case "block_start":
          openBlock(out, event.index, event.block);
          break;
        case "text_delta": {
          const item = state.blocks.get(event.index);
          if (item?.kind !== "message") break;
          const contentIndex = item.parts.length - 1;
          item.parts[contentIndex] += event.text;
          out.push(frame("response.output_text.delta", { item_id: item.id, output_index: item.outputIndex, content_index: contentIndex, delta: event.text, logprobs: [] }));
          break;
        }
        case "thinking_delta": {
          const item = state.blocks.get(event.index);
          if (item?.kind !== "reasoning" || event.thinking === "") break;
          if (!item.partOpen) {
            item.partOpen = true;
            out.push(frame("response.reasoning_summary_part.added", { item_id: item.id, output_index: item.outputIndex, summary_index: 0, part: { type: "summary_text", text: "" } }));
          }
          item.text += event.thinking;
          out.push(frame("response.reasoning_summary_text.delta", { item_id: item.id, output_index: item.outputIndex, summary_index: 0, delta: event.thinking }));
          break;
        }
        case "signature_delta": {
          const item = state.blocks.get(event.index);
          if (item?.kind === "reasoning") item.signature += event.signature;
          break;
        }
        case "tool_args_delta": {
          const item = state.blocks.get(event.index);
          if (item?.kind !== "function_call" || event.partialJson === "") break;
          item.args += event.partialJson;
          out.push(frame("response.function_call_arguments.delta", { item_id: item.id, output_index: item.outputIndex, delta: event.partialJson }));
          break;
        }
        case "block_stop": {
          const item = state.blocks.get(event.index);
          if (!item) break;
          state.blocks.delete(event.index);
          flush(out, { next: item.kind === "message" ? "text" : "other" });
          state.pendingClose = item;
          break;
        }
        case "usage":
          state.usage = mergeUsage(state.usage, event.usage);
          break;
        case "message_stop":
          finishWith(out, event.stopReason);
          break;
        case "error":
          fail(out, event.error);
          break;
      }
      return out;
    },
    finish(): OutgoingSseFrame[] {
      if (state.stopped) return [];
      const out: OutgoingSseFrame[] = [];
      if (!state.started) start(out, "");
      fail(out, upstreamEnded("The upstream stream ended before the response was complete."));
      return out;
    },
  };
}
