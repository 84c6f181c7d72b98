// Anthropic Messages SSE → canonical stream events, and the usage watcher for streams relayed
// untouched (passthrough). The wire order is: message_start (with the prompt usage) → per
// block content_block_start → content_block_delta* → content_block_stop → message_delta
// (stop reason, output usage) → message_stop; `ping` may come anywhere, and an `error` event
// may replace the rest of a 200 stream (overload mid-answer).
//
// STYLE §3: all per-stream state lives in the object `createAnthropicStreamState` makes, and
// `mapAnthropicStreamEvent` receives it explicitly; SSE framing is transport/sse.ts's job.
import { gatewayErrors } from "../../errors";
import type { CanonicalStreamEvent, CanonicalUsage, StopReason, StreamBlockStart } from "../../formats/canonical";
import { createSseDecoder, type SseEvent } from "../../transport/sse";
import type { TokenUsage } from "../../usage/token-usage";
import type { PassthroughUsageWatcher, StreamDecoder } from "../types";
import { anthropicStreamError } from "./anthropic-errors";
import { anthropicStopReason, inputPartsOf, thinkingTokensOf, type AnthropicInputParts } from "./anthropic-response";

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

export interface AnthropicStreamState {
  started: boolean;
  /** message_stop or an error was seen: nothing after it is decoded. */
  finished: boolean;
  /** Upstream block index → canonical index. Blocks without a canonical form are absent, and so are their deltas. */
  readonly blockIndex: Map<number, number>;
  readonly openBlocks: Set<number>;
  nextIndex: number;
  stopReason: StopReason | null;
  stopSequence: string | undefined;
  input: AnthropicInputParts;
}

export function createAnthropicStreamState(): AnthropicStreamState {
  return {
    started: false,
    finished: false,
    blockIndex: new Map(),
    openBlocks: new Set(),
    nextIndex: 0,
    stopReason: null,
    stopSequence: undefined,
    input: { uncached: 0, cacheRead: 0, cacheWrite: 0 },
  };
}

/** Updates the prompt-token parts and returns the canonical (cache-inclusive) fields, when any part was reported. */
function inputUsage(state: AnthropicStreamState, usage: Json): Partial<CanonicalUsage> {
  const parts = inputPartsOf(usage);
  if (parts.uncached === undefined && parts.cacheRead === undefined && parts.cacheWrite === undefined) return {};
  state.input = { ...state.input, ...parts };
  const { uncached, cacheRead, cacheWrite } = state.input;
  return { input: uncached + cacheRead + cacheWrite, cacheRead, cacheWrite };
}

function blockStart(state: AnthropicStreamState, upstreamIndex: number, raw: Json, out: CanonicalStreamEvent[]): void {
  let start: StreamBlockStart;
  switch (raw.type) {
    case "text":
      start = { type: "text" };
      break;
    case "thinking":
      start = { type: "thinking" };
      break;
    case "redacted_thinking":
      start = { type: "redacted_thinking", data: typeof raw.data === "string" ? raw.data : "" };
      break;
    case "tool_use":
      start = { type: "tool_use", id: String(raw.id ?? ""), name: String(raw.name ?? "") };
      break;
    default:
      return;
  }
  const index = state.nextIndex++;
  state.blockIndex.set(upstreamIndex, index);
  state.openBlocks.add(index);
  out.push({ type: "block_start", index, block: start });
  // Blocks usually start empty; some compatible servers put the first content in the start event.
  if (raw.type === "text" && typeof raw.text === "string" && raw.text !== "") out.push({ type: "text_delta", index, text: raw.text });
  if (raw.type === "thinking" && typeof raw.thinking === "string" && raw.thinking !== "") out.push({ type: "thinking_delta", index, thinking: raw.thinking });
  if (raw.type === "thinking" && typeof raw.signature === "string" && raw.signature !== "") out.push({ type: "signature_delta", index, signature: raw.signature });
  if (raw.type === "tool_use" && isObject(raw.input) && Object.keys(raw.input).length > 0) out.push({ type: "tool_args_delta", index, partialJson: JSON.stringify(raw.input) });
}

function blockDelta(index: number, delta: Json, out: CanonicalStreamEvent[]): void {
  switch (delta.type) {
    case "text_delta":
      if (typeof delta.text === "string" && delta.text !== "") out.push({ type: "text_delta", index, text: delta.text });
      return;
    case "thinking_delta":
      if (typeof delta.thinking === "string" && delta.thinking !== "") out.push({ type: "thinking_delta", index, thinking: delta.thinking });
      return;
    case "signature_delta":
      if (typeof delta.signature === "string" && delta.signature !== "") out.push({ type: "signature_delta", index, signature: delta.signature });
      return;
    case "input_json_delta":
      if (typeof delta.partial_json === "string" && delta.partial_json !== "") out.push({ type: "tool_args_delta", index, partialJson: delta.partial_json });
      return;
    // citations_delta and future delta types have no canonical form.
  }
}

function closeOpenBlocks(state: AnthropicStreamState, out: CanonicalStreamEvent[]): void {
  for (const index of [...state.openBlocks].sort((a, b) => a - b)) out.push({ type: "block_stop", index });
  state.openBlocks.clear();
}

/** One decoded SSE event → canonical events. */
export function mapAnthropicStreamEvent(state: AnthropicStreamState, providerId: string, event: SseEvent): CanonicalStreamEvent[] {
  const out: CanonicalStreamEvent[] = [];
  if (state.finished) return out;
  let data: unknown;
  try {
    data = JSON.parse(event.data);
  } catch {
    state.finished = true;
    out.push({ type: "error", error: gatewayErrors.upstreamBadResponse(providerId, "a stream event is not JSON") });
    return out;
  }
  if (!isObject(data)) return out;
  // The `type` inside the data is authoritative; the `event:` line repeats it.
  const type = typeof data.type === "string" ? data.type : event.event;
  switch (type) {
    case "message_start": {
      if (state.started) break;
      state.started = true;
      const message = isObject(data.message) ? data.message : {};
      out.push({ type: "message_start", id: String(message.id ?? ""), model: String(message.model ?? ""), created: Math.floor(Date.now() / 1000) });
      if (isObject(message.usage)) out.push({ type: "usage", usage: { ...inputUsage(state, message.usage), output: count(message.usage.output_tokens) } });
      break;
    }
    case "content_block_start":
      if (typeof data.index === "number" && isObject(data.content_block)) blockStart(state, data.index, data.content_block, out);
      break;
    case "content_block_delta": {
      const index = typeof data.index === "number" ? state.blockIndex.get(data.index) : undefined;
      if (index !== undefined && state.openBlocks.has(index) && isObject(data.delta)) blockDelta(index, data.delta, out);
      break;
    }
    case "content_block_stop": {
      const index = typeof data.index === "number" ? state.blockIndex.get(data.index) : undefined;
      if (index !== undefined && state.openBlocks.delete(index)) out.push({ type: "block_stop", index });
      break;
    }
    case "message_delta": {
      const delta = isObject(data.delta) ? data.delta : {};
      if (delta.stop_reason !== undefined && delta.stop_reason !== null) state.stopReason = anthropicStopReason(delta.stop_reason);
      if (typeof delta.stop_sequence === "string") state.stopSequence = delta.stop_sequence;
      // output_tokens here is the running total; newer API versions repeat the prompt parts too.
      if (isObject(data.usage)) {
        const reasoning = thinkingTokensOf(data.usage);
        out.push({ type: "usage", usage: { ...inputUsage(state, data.usage), ...("output_tokens" in data.usage ? { output: count(data.usage.output_tokens) } : {}), ...(reasoning === undefined ? {} : { reasoning }) } });
      }
      break;
    }
    case "message_stop":
      if (!state.started) break;
      closeOpenBlocks(state, out);
      state.finished = true;
      out.push({ type: "message_stop", stopReason: state.stopReason ?? "end_turn", ...(state.stopSequence !== undefined ? { stopSequence: state.stopSequence } : {}) });
      break;
    case "error":
      state.finished = true;
      out.push({ type: "error", error: anthropicStreamError(providerId, data) });
      break;
    // ping, and event types added later: nothing to relay.
  }
  return out;
}

export function createAnthropicStreamDecoder(providerId: string): StreamDecoder {
  const sse = createSseDecoder();
  const state = createAnthropicStreamState();
  const mapAll = (events: SseEvent[]): CanonicalStreamEvent[] => events.flatMap((event) => mapAnthropicStreamEvent(state, providerId, event));
  return {
    push: (chunk) => mapAll(sse.push(chunk)),
    end() {
      const out = mapAll(sse.end());
      // Cut before message_stop: the encoder turns this into the client's error event, never a silent truncation.
      if (state.started && !state.finished) {
        state.finished = true;
        out.push({ type: "error", error: gatewayErrors.upstreamBadResponse(providerId, "the stream ended before message_stop") });
      }
      return out;
    },
  };
}

// Skip JSON.parse for events that carry neither usage nor output.
const MAY_MATTER = /"(usage|delta)"\s*:/;

/**
 * Reads usage from an Anthropic stream relayed byte for byte: the prompt parts from
 * message_start, the running output count from message_delta, and the characters of output
 * (for estimating a stream cut short before its final usage).
 */
export function createAnthropicUsageWatcher(): PassthroughUsageWatcher {
  const sse = createSseDecoder();
  let input: AnthropicInputParts = { uncached: 0, cacheRead: 0, cacheWrite: 0 };
  let output = 0;
  let reasoning = 0;
  let seen = false;
  let outputChars = 0;

  const current = (): TokenUsage | null =>
    seen ? { input: input.uncached + input.cacheRead + input.cacheWrite, output, cacheRead: input.cacheRead, cacheWrite: input.cacheWrite, reasoning } : null;

  const inspect = (event: SseEvent): void => {
    if (!MAY_MATTER.test(event.data)) return;
    let data: unknown;
    try {
      data = JSON.parse(event.data);
    } catch {
      return; // The client sees the malformed event; accounting skips it.
    }
    if (!isObject(data)) return;
    const usage = data.type === "message_start" && isObject(data.message) ? data.message.usage : data.type === "message_delta" ? data.usage : undefined;
    if (isObject(usage)) {
      seen = true;
      input = { ...input, ...inputPartsOf(usage) };
      if ("output_tokens" in usage) output = count(usage.output_tokens);
      reasoning = thinkingTokensOf(usage) ?? reasoning;
    }
    if (data.type === "content_block_delta" && isObject(data.delta)) {
      const d = data.delta;
      for (const field of ["text", "thinking", "partial_json"]) if (typeof d[field] === "string") outputChars += (d[field] as string).length;
    }
  };

  return {
    push(chunk) {
      for (const event of sse.push(chunk)) inspect(event);
    },
    get usage() {
      return current();
    },
    get outputChars() {
      return outputChars;
    },
    finish() {
      for (const event of sse.end()) inspect(event);
      return current();
    },
  };
}
