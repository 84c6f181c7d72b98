// ConverseStream → canonical stream events. The body is AWS event-stream binary framing
// (application/vnd.amazon.eventstream): each frame is [total length u32][headers length u32]
// [prelude CRC][headers][payload][message CRC]; frames arrive split at any byte. Frames are
// reassembled here from their length prefix and decoded (CRCs checked) by @smithy's codec.
//
// Event frames carry `:message-type: event` and `:event-type` (messageStart,
// contentBlockStart, contentBlockDelta, contentBlockStop, messageStop, metadata) with a JSON
// payload; `:message-type: exception` frames carry `:exception-type` and {"message"}.
// Text and reasoning blocks have no contentBlockStart (they open with their first delta);
// tool-use blocks do. Usage comes in `metadata`, *after* messageStop, so message_stop is
// emitted once metadata arrived (or at the end of the body).
import { randomUUID } from "node:crypto";
import { EventStreamCodec } from "@smithy/eventstream-codec";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import { gatewayErrors, type GatewayError } from "../../errors";
import type { CanonicalStreamEvent, StopReason } from "../../formats/canonical";
import type { StreamDecoder } from "../types";
import { bedrockError } from "./errors";
import { stopReasonOf, stopSequenceOf, usageOf } from "./response";

type Json = Record<string, unknown>;

/** A frame longer than this is corrupt framing, not a real event (Bedrock events are small). */
const MAX_FRAME_BYTES = 16 * 1024 * 1024;
/** Prelude (12) + message CRC (4): the smallest frame. */
const MIN_FRAME_BYTES = 16;

export interface EventStreamFrame {
  readonly headers: Readonly<Record<string, string>>;
  readonly payload: Uint8Array;
}

export interface EventStreamFrameReader {
  /** Complete frames made by these bytes; throws on corrupt framing (bad length or CRC). */
  push(chunk: Uint8Array): EventStreamFrame[];
  /** Bytes of an unfinished frame left at the end of the body. */
  readonly pendingBytes: number;
}

export function createEventStreamFrameReader(): EventStreamFrameReader {
  const codec = new EventStreamCodec(toUtf8, fromUtf8);
  let buffer: Uint8Array = new Uint8Array(0);
  return {
    push(chunk) {
      const joined = new Uint8Array(buffer.length + chunk.length);
      joined.set(buffer, 0);
      joined.set(chunk, buffer.length);
      buffer = joined;
      const frames: EventStreamFrame[] = [];
      while (buffer.length >= 4) {
        const total = new DataView(buffer.buffer, buffer.byteOffset, 4).getUint32(0, false);
        if (total < MIN_FRAME_BYTES || total > MAX_FRAME_BYTES) throw new Error(`event-stream frame of ${total} bytes`);
        if (buffer.length < total) break;
        const message = codec.decode(buffer.subarray(0, total));
        buffer = buffer.slice(total);
        const headers: Record<string, string> = {};
        for (const [name, header] of Object.entries(message.headers)) headers[name] = String(header.value);
        frames.push({ headers, payload: message.body });
      }
      return frames;
    },
    get pendingBytes() {
      return buffer.length;
    },
  };
}

type BlockKind = "text" | "thinking" | "redacted_thinking" | "tool_use";

/** Per-stream state (STYLE §3): one object per decoder, nothing shared between streams. */
interface ConverseStreamState {
  started: boolean;
  /** Bedrock contentBlockIndex → the canonical block open for it. */
  open: { readonly upstreamIndex: number; readonly index: number; readonly kind: BlockKind } | null;
  nextIndex: number;
  stop: { readonly reason: StopReason; readonly sequence?: string } | null;
  done: boolean;
}

export function createConverseStreamState(): ConverseStreamState {
  return { started: false, open: null, nextIndex: 0, stop: null, done: false };
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function start(state: ConverseStreamState, out: CanonicalStreamEvent[]): void {
  if (state.started) return;
  state.started = true;
  out.push({ type: "message_start", id: `bedrock-${randomUUID()}`, model: "", created: Math.floor(Date.now() / 1000) });
}

function closeOpen(state: ConverseStreamState, out: CanonicalStreamEvent[]): void {
  if (state.open) out.push({ type: "block_stop", index: state.open.index });
  state.open = null;
}

/** The canonical block for this upstream index, opened (closing any other) when needed. */
function blockFor(state: ConverseStreamState, upstreamIndex: number, kind: BlockKind, out: CanonicalStreamEvent[], startEvent: CanonicalStreamEvent & { type: "block_start" }): number {
  if (state.open && state.open.upstreamIndex === upstreamIndex && state.open.kind === kind) return state.open.index;
  closeOpen(state, out);
  const index = state.nextIndex++;
  state.open = { upstreamIndex, index, kind };
  out.push({ ...startEvent, index });
  return index;
}

function finish(state: ConverseStreamState, out: CanonicalStreamEvent[]): void {
  if (state.done || !state.stop) return;
  closeOpen(state, out);
  state.done = true;
  out.push({ type: "message_stop", stopReason: state.stop.reason, ...(state.stop.sequence !== undefined ? { stopSequence: state.stop.sequence } : {}) });
}

function fail(state: ConverseStreamState, out: CanonicalStreamEvent[], error: GatewayError): void {
  state.done = true;
  out.push({ type: "error", error });
}

function handleEvent(state: ConverseStreamState, eventType: string, payload: Json, out: CanonicalStreamEvent[]): void {
  const upstreamIndex = typeof payload.contentBlockIndex === "number" ? payload.contentBlockIndex : 0;
  switch (eventType) {
    case "messageStart":
      start(state, out);
      return;
    case "contentBlockStart": {
      start(state, out);
      const s = isObject(payload.start) ? payload.start : {};
      if (isObject(s.toolUse)) {
        const t = s.toolUse;
        blockFor(state, upstreamIndex, "tool_use", out, { type: "block_start", index: 0, block: { type: "tool_use", id: String(t.toolUseId ?? ""), name: String(t.name ?? "") } });
      }
      return;
    }
    case "contentBlockDelta": {
      start(state, out);
      const delta = isObject(payload.delta) ? payload.delta : {};
      if (typeof delta.text === "string") {
        const index = blockFor(state, upstreamIndex, "text", out, { type: "block_start", index: 0, block: { type: "text" } });
        if (delta.text !== "") out.push({ type: "text_delta", index, text: delta.text });
      } else if (isObject(delta.toolUse)) {
        const input = delta.toolUse.input;
        const index = blockFor(state, upstreamIndex, "tool_use", out, { type: "block_start", index: 0, block: { type: "tool_use", id: "", name: "" } });
        if (typeof input === "string" && input !== "") out.push({ type: "tool_args_delta", index, partialJson: input });
      } else if (isObject(delta.reasoningContent)) {
        const r = delta.reasoningContent;
        if (typeof r.redactedContent === "string") {
          // Redacted reasoning is opaque and arrives whole: one block per delta.
          closeOpen(state, out);
          blockFor(state, upstreamIndex, "redacted_thinking", out, { type: "block_start", index: 0, block: { type: "redacted_thinking", data: r.redactedContent } });
          closeOpen(state, out);
          return;
        }
        const index = blockFor(state, upstreamIndex, "thinking", out, { type: "block_start", index: 0, block: { type: "thinking" } });
        if (typeof r.text === "string" && r.text !== "") out.push({ type: "thinking_delta", index, thinking: r.text });
        if (typeof r.signature === "string" && r.signature !== "") out.push({ type: "signature_delta", index, signature: r.signature });
      }
      return;
    }
    case "contentBlockStop":
      if (state.open && state.open.upstreamIndex === upstreamIndex) closeOpen(state, out);
      return;
    case "messageStop": {
      start(state, out);
      closeOpen(state, out);
      const sequence = stopSequenceOf(payload.additionalModelResponseFields);
      state.stop = { reason: stopReasonOf(payload.stopReason), ...(sequence !== undefined ? { sequence } : {}) };
      return;
    }
    case "metadata": {
      const usage = usageOf(payload.usage);
      if (usage) out.push({ type: "usage", usage });
      finish(state, out);
      return;
    }
    default:
      // Events this gateway does not use (guardrail traces, newer additions) are skipped.
      return;
  }
}

function handleFrame(state: ConverseStreamState, frame: EventStreamFrame, out: CanonicalStreamEvent[]): void {
  const messageType = frame.headers[":message-type"];
  if (messageType === "error") {
    fail(state, out, bedrockError({ name: frame.headers[":error-code"] ?? "InternalServerException", message: frame.headers[":error-message"] ?? "stream error" }));
    return;
  }
  let payload: Json = {};
  try {
    const text = toUtf8(frame.payload);
    const parsed: unknown = text === "" ? {} : JSON.parse(text);
    if (isObject(parsed)) payload = parsed;
  } catch {
    fail(state, out, gatewayErrors.upstreamBadResponse("bedrock", "a ConverseStream event payload is not JSON"));
    return;
  }
  if (messageType === "exception") {
    const message = typeof payload.message === "string" ? payload.message : typeof payload.Message === "string" ? payload.Message : "stream exception";
    fail(state, out, bedrockError({ name: frame.headers[":exception-type"] ?? "InternalServerException", message }));
    return;
  }
  handleEvent(state, frame.headers[":event-type"] ?? "", payload, out);
}

export function createConverseStreamDecoder(): StreamDecoder {
  const reader = createEventStreamFrameReader();
  const state = createConverseStreamState();
  return {
    push(chunk) {
      const out: CanonicalStreamEvent[] = [];
      if (state.done) return out;
      let frames: EventStreamFrame[];
      try {
        frames = reader.push(chunk);
      } catch (error) {
        fail(state, out, gatewayErrors.upstreamBadResponse("bedrock", `corrupt event-stream framing (${(error as Error).message})`));
        return out;
      }
      for (const frame of frames) {
        if (state.done) break;
        handleFrame(state, frame, out);
      }
      return out;
    },
    end() {
      const out: CanonicalStreamEvent[] = [];
      if (state.done) return out;
      // messageStop came but no metadata: the answer is complete, only usage is missing.
      if (state.stop && reader.pendingBytes === 0) finish(state, out);
      else if (state.started || reader.pendingBytes > 0) fail(state, out, gatewayErrors.upstreamBadResponse("bedrock", "the stream ended before its last event"));
      return out;
    },
  };
}
