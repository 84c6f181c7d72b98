// Gemini `streamGenerateContent?alt=sse` → canonical stream events. Each SSE event is a
// whole GenerateContentResponse holding the next parts: text and thought text arrive as
// pieces, a functionCall arrives whole (one block with its arguments in one delta), and the
// last event carries finishReason with the final usageMetadata. There are no `event:` lines
// and no [DONE]: the stream ends with the body. An `{"error":...}` event is an upstream
// failure inside the 200 stream.
import { randomBytes } from "node:crypto";
import { gatewayErrors } from "../../errors";
import type { CanonicalStreamEvent, StopReason } from "../../formats/canonical";
import type { TokenUsage } from "../../usage/token-usage";
import { createSseDecoder } from "../../transport/sse";
import type { PassthroughUsageWatcher, StreamDecoder } from "../types";
import { geminiStreamError } from "./gemini-errors";
import { geminiToolCallId } from "./gemini-parts";
import { candidateParts, stopReasonFromGemini } from "./gemini-response";
import { usageFromGemini } from "./gemini-usage";
import type { Json } from "./gemini-wire";
import { isJsonObject } from "./gemini-wire";

interface GeminiStreamState {
  started: boolean;
  stopped: boolean;
  responseId: string;
  nextIndex: number;
  open: { readonly kind: "text" | "thinking"; readonly index: number } | null;
  calls: number;
}

function createState(): GeminiStreamState {
  return { started: false, stopped: false, responseId: "", nextIndex: 0, open: null, calls: 0 };
}

function closeOpen(state: GeminiStreamState, out: CanonicalStreamEvent[]): void {
  if (state.open) out.push({ type: "block_stop", index: state.open.index });
  state.open = null;
}

function openBlock(state: GeminiStreamState, kind: "text" | "thinking", out: CanonicalStreamEvent[]): number {
  if (state.open?.kind === kind) return state.open.index;
  closeOpen(state, out);
  const index = state.nextIndex++;
  state.open = { kind, index };
  out.push({ type: "block_start", index, block: { type: kind } });
  return index;
}

/** A signature ends the thinking before the part that carries it (see gemini-parts.ts). */
function signThinking(state: GeminiStreamState, signature: string, out: CanonicalStreamEvent[]): void {
  const index = state.open?.kind === "thinking" ? state.open.index : openBlock(state, "thinking", out);
  out.push({ type: "signature_delta", index, signature });
  closeOpen(state, out);
}

function handleChunk(providerId: string, state: GeminiStreamState, data: string, out: CanonicalStreamEvent[]): void {
  let chunk: unknown;
  try {
    chunk = JSON.parse(data);
  } catch {
    if (state.stopped) return;
    state.stopped = true;
    out.push({ type: "error", error: gatewayErrors.upstreamBadResponse(providerId, "a stream event is not JSON") });
    return;
  }
  if (!isJsonObject(chunk) || state.stopped) return;
  if (isJsonObject(chunk.error)) {
    // Nothing follows an error: the stream is over for the client.
    state.stopped = true;
    out.push({ type: "error", error: geminiStreamError(providerId, chunk) });
    return;
  }
  if (!state.started) {
    state.started = true;
    state.responseId = typeof chunk.responseId === "string" && chunk.responseId !== "" ? chunk.responseId : randomBytes(12).toString("base64url");
    out.push({ type: "message_start", id: state.responseId, model: typeof chunk.modelVersion === "string" ? chunk.modelVersion : "", created: Math.floor(Date.now() / 1000) });
  }
  const candidate = Array.isArray(chunk.candidates) ? (chunk.candidates[0] as Json | undefined) : undefined;
  for (const part of candidate ? candidateParts(candidate) : []) {
    if (part.thought === true) {
      const index = openBlock(state, "thinking", out);
      if (typeof part.text === "string" && part.text !== "") out.push({ type: "thinking_delta", index, thinking: part.text });
      if (typeof part.thoughtSignature === "string") signThinking(state, part.thoughtSignature, out);
      continue;
    }
    if (typeof part.thoughtSignature === "string") signThinking(state, part.thoughtSignature, out);
    if (typeof part.text === "string") {
      if (part.text !== "") out.push({ type: "text_delta", index: openBlock(state, "text", out), text: part.text });
    } else if (part.functionCall) {
      closeOpen(state, out);
      const call = part.functionCall;
      const index = state.nextIndex++;
      const id = typeof call.id === "string" && call.id !== "" ? call.id : geminiToolCallId(state.responseId, state.calls);
      state.calls += 1;
      out.push({ type: "block_start", index, block: { type: "tool_use", id, name: call.name } });
      out.push({ type: "tool_args_delta", index, partialJson: JSON.stringify(isJsonObject(call.args) ? call.args : {}) });
      out.push({ type: "block_stop", index });
    }
  }
  const usage = usageFromGemini(chunk.usageMetadata);
  if (usage) out.push({ type: "usage", usage });
  const blocked = isJsonObject(chunk.promptFeedback) && typeof chunk.promptFeedback.blockReason === "string" && !candidate;
  if ((candidate && typeof candidate.finishReason === "string") || blocked) {
    const stopReason: StopReason = blocked ? "content_filter" : stopReasonFromGemini(candidate!.finishReason, state.calls > 0);
    closeOpen(state, out);
    state.stopped = true;
    out.push({ type: "message_stop", stopReason });
  }
}

export function createGeminiStreamDecoder(providerId: string): StreamDecoder {
  const sse = createSseDecoder();
  const state = createState();
  return {
    push(bytes) {
      const out: CanonicalStreamEvent[] = [];
      for (const event of sse.push(bytes)) handleChunk(providerId, state, event.data, out);
      return out;
    },
    end() {
      const out: CanonicalStreamEvent[] = [];
      for (const event of sse.end()) handleChunk(providerId, state, event.data, out);
      // Without a finishReason the stream was cut short: an error the client sees in its own format.
      if (state.started && !state.stopped) out.push({ type: "error", error: gatewayErrors.upstreamBadResponse(providerId, "the stream ended before its last event") });
      return out;
    },
  };
}

/** Usage and output size of a Gemini stream relayed untouched (passthrough); each event's usageMetadata is the running total. */
export function createGeminiUsageWatcher(): PassthroughUsageWatcher {
  const sse = createSseDecoder();
  let usage: TokenUsage | null = null;
  let outputChars = 0;
  const inspect = (data: string) => {
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch {
      return; // The client sees the malformed event; accounting skips it.
    }
    if (!isJsonObject(chunk)) return;
    usage = usageFromGemini(chunk.usageMetadata) ?? usage;
    const candidate = Array.isArray(chunk.candidates) ? chunk.candidates[0] : undefined;
    for (const part of candidateParts(candidate)) {
      if (typeof part.text === "string") outputChars += part.text.length;
      if (part.functionCall) outputChars += JSON.stringify(part.functionCall.args ?? {}).length;
    }
  };
  return {
    push(chunk) {
      for (const event of sse.push(chunk)) inspect(event.data);
    },
    get usage() {
      return usage;
    },
    get outputChars() {
      return outputChars;
    },
    finish() {
      for (const event of sse.end()) inspect(event.data);
      return usage;
    },
  };
}
