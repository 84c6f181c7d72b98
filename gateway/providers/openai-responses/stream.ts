// Responses API SSE → canonical stream events, and the usage watcher for streams relayed
// untouched (passthrough). Wire order (openai SDK ResponseStreamEvent): response.created →
// response.in_progress → per output item output_item.added → (content_part.added →
// output_text.delta* → output_text.done → content_part.done | reasoning_summary_part.added →
// reasoning_summary_text.delta* → … | function_call_arguments.delta* → …done) →
// output_item.done → response.completed | response.incomplete | response.failed; an `error`
// event may end a 200 stream.
//
// STYLE §3: the per-stream state comes from `createResponsesStreamState`, and
// `mapResponsesStreamEvent` receives it explicitly; SSE framing is transport/sse.ts's job.
import { gatewayErrors } from "../../errors";
import type { CanonicalStreamEvent } from "../../formats/canonical";
import { createSseDecoder, SSE_DONE, type SseEvent } from "../../transport/sse";
import type { TokenUsage } from "../../usage/token-usage";
import type { PassthroughUsageWatcher, StreamDecoder } from "../types";
import { responsesFailure } from "./errors";
import { stopReasonOf, tokenUsageFromResponses, usageFromResponses } from "./response";

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

interface OpenBlock {
  readonly index: number;
  readonly kind: "thinking" | "text" | "tool_use";
  /** Whether any argument / text delta was relayed (a done event may carry the whole value instead). */
  sawDelta: boolean;
  /** Reasoning summary parts seen, to put a separator between them as the JSON parse joins them. */
  summaryParts: number;
}

export interface ResponsesStreamState {
  started: boolean;
  /** A terminal event or an error was seen: nothing after it is decoded. */
  finished: boolean;
  nextIndex: number;
  /** `${output_index}` (items) or `${output_index}:${content_index}` (message parts) → open canonical block. */
  readonly open: Map<string, OpenBlock>;
  sawToolCall: boolean;
  sawRefusal: boolean;
}

export function createResponsesStreamState(): ResponsesStreamState {
  return { started: false, finished: false, nextIndex: 0, open: new Map(), sawToolCall: false, sawRefusal: false };
}

function openBlock(state: ResponsesStreamState, key: string, kind: OpenBlock["kind"], out: CanonicalStreamEvent[], start: Extract<CanonicalStreamEvent, { type: "block_start" }>["block"]): OpenBlock {
  const block: OpenBlock = { index: state.nextIndex++, kind, sawDelta: false, summaryParts: 0 };
  state.open.set(key, block);
  out.push({ type: "block_start", index: block.index, block: start });
  return block;
}

function closeBlock(state: ResponsesStreamState, key: string, out: CanonicalStreamEvent[]): void {
  const block = state.open.get(key);
  if (!block) return;
  state.open.delete(key);
  out.push({ type: "block_stop", index: block.index });
}

function closeAll(state: ResponsesStreamState, out: CanonicalStreamEvent[]): void {
  for (const key of [...state.open.keys()]) closeBlock(state, key, out);
}

function terminal(state: ResponsesStreamState, response: Json, out: CanonicalStreamEvent[]): void {
  closeAll(state, out);
  const usage = usageFromResponses(response.usage);
  if (usage) out.push({ type: "usage", usage });
  const incomplete = isObject(response.incomplete_details) ? response.incomplete_details.reason : undefined;
  state.finished = true;
  out.push({ type: "message_stop", stopReason: stopReasonOf(response.status, incomplete, state.sawToolCall, state.sawRefusal) });
}

export function mapResponsesStreamEvent(providerId: string, state: ResponsesStreamState, event: Json, out: CanonicalStreamEvent[]): void {
  if (state.finished) return;
  const type = event.type;
  if (type === "error") {
    state.finished = true;
    out.push({ type: "error", error: responsesFailure(providerId, event) });
    return;
  }
  if (!state.started) {
    const response = isObject(event.response) ? event.response : {};
    state.started = true;
    out.push({ type: "message_start", id: String(response.id ?? ""), model: String(response.model ?? ""), created: typeof response.created_at === "number" ? response.created_at : Math.floor(Date.now() / 1000) });
  }
  const outputIndex = typeof event.output_index === "number" ? event.output_index : -1;
  const itemKey = String(outputIndex);
  const partKey = `${outputIndex}:${typeof event.content_index === "number" ? event.content_index : 0}`;
  switch (type) {
    case "response.output_item.added": {
      const item = isObject(event.item) ? event.item : {};
      if (item.type === "reasoning") openBlock(state, itemKey, "thinking", out, { type: "thinking" });
      else if (item.type === "function_call") {
        state.sawToolCall = true;
        openBlock(state, itemKey, "tool_use", out, { type: "tool_use", id: String(item.call_id ?? ""), name: String(item.name ?? "") });
      }
      // Messages open one text block per content part (content_part.added).
      return;
    }
    case "response.content_part.added": {
      const part = isObject(event.part) ? event.part : {};
      if (part.type === "refusal") state.sawRefusal = true;
      if (part.type === "output_text" || part.type === "refusal") openBlock(state, partKey, "text", out, { type: "text" });
      return;
    }
    case "response.output_text.delta":
    case "response.refusal.delta": {
      const block = state.open.get(partKey);
      if (block && typeof event.delta === "string" && event.delta !== "") {
        block.sawDelta = true;
        out.push({ type: "text_delta", index: block.index, text: event.delta });
      }
      return;
    }
    case "response.content_part.done":
      closeBlock(state, partKey, out);
      return;
    case "response.reasoning_summary_part.added": {
      const block = state.open.get(itemKey);
      if (!block) return;
      if (block.summaryParts > 0) out.push({ type: "thinking_delta", index: block.index, thinking: "\n\n" });
      block.summaryParts += 1;
      return;
    }
    case "response.reasoning_summary_text.delta":
    case "response.reasoning_text.delta": {
      const block = state.open.get(itemKey);
      if (block && typeof event.delta === "string" && event.delta !== "") out.push({ type: "thinking_delta", index: block.index, thinking: event.delta });
      return;
    }
    case "response.function_call_arguments.delta": {
      const block = state.open.get(itemKey);
      if (block && typeof event.delta === "string" && event.delta !== "") {
        block.sawDelta = true;
        out.push({ type: "tool_args_delta", index: block.index, partialJson: event.delta });
      }
      return;
    }
    case "response.output_item.done": {
      const item = isObject(event.item) ? event.item : {};
      const block = state.open.get(itemKey);
      if (block?.kind === "thinking" && typeof item.encrypted_content === "string" && item.encrypted_content !== "") {
        out.push({ type: "signature_delta", index: block.index, signature: item.encrypted_content });
      }
      // Some compatible servers send a call's arguments only in the finished item.
      if (block?.kind === "tool_use" && !block.sawDelta && typeof item.arguments === "string" && item.arguments !== "") {
        out.push({ type: "tool_args_delta", index: block.index, partialJson: item.arguments });
      }
      closeBlock(state, itemKey, out);
      // A message's parts close with content_part.done; any left open end with their item.
      for (const key of [...state.open.keys()]) if (key.startsWith(`${outputIndex}:`)) closeBlock(state, key, out);
      return;
    }
    case "response.completed":
    case "response.incomplete":
      terminal(state, isObject(event.response) ? event.response : {}, out);
      return;
    case "response.failed": {
      const response = isObject(event.response) ? event.response : {};
      state.finished = true;
      out.push({ type: "error", error: responsesFailure(providerId, isObject(response.error) ? response.error : {}) });
      return;
    }
    default:
      // response.created / in_progress / queued, *.done events whose content the deltas carried,
      // hosted-tool progress (web_search_call.*, …): nothing canonical.
      return;
  }
}

function parseEvent(providerId: string, sse: SseEvent, out: CanonicalStreamEvent[]): Json | null {
  if (sse.data === SSE_DONE) return null;
  try {
    const parsed: unknown = JSON.parse(sse.data);
    if (isObject(parsed)) return parsed;
  } catch {
    // handled below
  }
  out.push({ type: "error", error: gatewayErrors.upstreamBadResponse(providerId, "a stream event is not a JSON object") });
  return null;
}

export function createResponsesStreamDecoder(providerId: string): StreamDecoder {
  const sse = createSseDecoder();
  const state = createResponsesStreamState();
  const handle = (events: SseEvent[], out: CanonicalStreamEvent[]) => {
    for (const raw of events) {
      if (state.finished) return;
      const event = parseEvent(providerId, raw, out);
      if (event === null) {
        if (out.some((e) => e.type === "error")) state.finished = true;
        continue;
      }
      mapResponsesStreamEvent(providerId, state, event, out);
    }
  };
  return {
    push(bytes) {
      const out: CanonicalStreamEvent[] = [];
      handle(sse.push(bytes), out);
      return out;
    },
    end() {
      const out: CanonicalStreamEvent[] = [];
      handle(sse.end(), out);
      // Cut before the terminal event: an error the client's encoder turns into its own shape.
      if (!state.finished && state.started) {
        state.finished = true;
        out.push({ type: "error", error: gatewayErrors.upstreamBadResponse(providerId, "the stream ended before response.completed") });
      }
      return out;
    },
  };
}

/** Usage of a Responses stream relayed as is: from the terminal event, output size from the deltas. */
export function createResponsesUsageWatcher(): PassthroughUsageWatcher {
  const sse = createSseDecoder();
  let usage: TokenUsage | null = null;
  let outputChars = 0;
  const observe = (events: SseEvent[]) => {
    for (const raw of events) {
      let event: unknown;
      try {
        event = JSON.parse(raw.data);
      } catch {
        continue;
      }
      if (!isObject(event)) continue;
      if (typeof event.delta === "string") outputChars += event.delta.length;
      if ((event.type === "response.completed" || event.type === "response.incomplete" || event.type === "response.failed") && isObject(event.response)) {
        usage = tokenUsageFromResponses(event.response.usage) ?? usage;
      }
    }
  };
  return {
    push(chunk) {
      observe(sse.push(chunk));
    },
    get usage() {
      return usage;
    },
    get outputChars() {
      return outputChars;
    },
    finish() {
      observe(sse.end());
      return usage;
    },
  };
}
