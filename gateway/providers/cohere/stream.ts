// Cohere v2 chat stream → canonical stream events. The body is SSE (decoded by
// transport/sse.ts): each event has an `event:` line naming its type and JSON data with the
// same `type`. Order: message-start; then content-start → content-delta* → content-end per
// text or thinking part, or tool-plan-delta* followed by tool-call-start → tool-call-delta*
// → tool-call-end per call; message-end last, with finish_reason and usage. Cohere numbers
// content parts and tool calls separately (both from 0), so canonical block indexes are
// assigned here, in arrival order.
import { GatewayError, gatewayErrors } from "../../errors";
import type { CanonicalStreamEvent, StopReason } from "../../formats/canonical";
import { createSseDecoder, SSE_DONE } from "../../transport/sse";
import type { StreamDecoder } from "../types";
import { stopReasonOf, usageOf } from "./response";

type Json = Record<string, unknown>;
type BlockKind = "text" | "thinking" | "tool_use";

/** Per-stream state (STYLE §3): one object per decoder. */
interface CohereStreamState {
  started: boolean;
  /** `key` names the upstream part ("content:0", "tool:1", "plan") the open block belongs to. */
  open: { readonly key: string; readonly index: number; readonly kind: BlockKind } | null;
  nextIndex: number;
  done: boolean;
}

export function createCohereStreamState(): CohereStreamState {
  return { started: false, open: null, nextIndex: 0, done: false };
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** `delta.message` of an event, or {}. */
function deltaMessage(event: Json): Json {
  const delta = isObject(event.delta) ? event.delta : {};
  return isObject(delta.message) ? delta.message : {};
}

function start(state: CohereStreamState, id: string, out: CanonicalStreamEvent[]): void {
  if (state.started) return;
  state.started = true;
  out.push({ type: "message_start", id, model: "", created: Math.floor(Date.now() / 1000) });
}

function closeOpen(state: CohereStreamState, out: CanonicalStreamEvent[]): void {
  if (state.open) out.push({ type: "block_stop", index: state.open.index });
  state.open = null;
}

function open(state: CohereStreamState, key: string, kind: BlockKind, block: (CanonicalStreamEvent & { type: "block_start" })["block"], out: CanonicalStreamEvent[]): number {
  if (state.open?.key === key && state.open.kind === kind) return state.open.index;
  closeOpen(state, out);
  const index = state.nextIndex++;
  state.open = { key, index, kind };
  out.push({ type: "block_start", index, block });
  return index;
}

function streamError(message: string): GatewayError {
  return new GatewayError({ status: 502, type: "server_error", code: "upstream_stream_error", message: `cohere: ${message}`, source: "upstream", provider: "cohere", retryable: true });
}

function handle(state: CohereStreamState, eventName: string | undefined, data: string, out: CanonicalStreamEvent[]): void {
  if (data === SSE_DONE) return;
  let event: Json;
  try {
    const parsed: unknown = JSON.parse(data);
    if (!isObject(parsed)) throw new Error("not an object");
    event = parsed;
  } catch {
    state.done = true;
    out.push({ type: "error", error: gatewayErrors.upstreamBadResponse("cohere", "a stream event is not JSON") });
    return;
  }
  const type = typeof event.type === "string" ? event.type : eventName;
  const index = typeof event.index === "number" ? event.index : 0;
  if (type !== "message-start") start(state, "", out);
  switch (type) {
    case "message-start":
      start(state, String(event.id ?? ""), out);
      return;
    case "content-start": {
      const content = isObject(deltaMessage(event).content) ? (deltaMessage(event).content as Json) : {};
      const kind: BlockKind = content.type === "thinking" ? "thinking" : "text";
      const at = open(state, `content:${index}`, kind, { type: kind }, out);
      // Some models put the first piece in content-start already.
      if (kind === "text" && typeof content.text === "string" && content.text !== "") out.push({ type: "text_delta", index: at, text: content.text });
      if (kind === "thinking" && typeof content.thinking === "string" && content.thinking !== "") out.push({ type: "thinking_delta", index: at, thinking: content.thinking });
      return;
    }
    case "content-delta": {
      const content = isObject(deltaMessage(event).content) ? (deltaMessage(event).content as Json) : {};
      if (typeof content.thinking === "string") {
        const at = open(state, `content:${index}`, "thinking", { type: "thinking" }, out);
        if (content.thinking !== "") out.push({ type: "thinking_delta", index: at, thinking: content.thinking });
      } else if (typeof content.text === "string") {
        const at = open(state, `content:${index}`, "text", { type: "text" }, out);
        if (content.text !== "") out.push({ type: "text_delta", index: at, text: content.text });
      }
      return;
    }
    case "content-end":
      if (state.open?.key === `content:${index}`) closeOpen(state, out);
      return;
    case "tool-plan-delta": {
      const plan = deltaMessage(event).tool_plan;
      if (typeof plan === "string" && plan !== "") {
        const at = open(state, "plan", "text", { type: "text" }, out);
        out.push({ type: "text_delta", index: at, text: plan });
      }
      return;
    }
    case "tool-call-start": {
      const call = isObject(deltaMessage(event).tool_calls) ? (deltaMessage(event).tool_calls as Json) : {};
      const fn = isObject(call.function) ? call.function : {};
      const at = open(state, `tool:${index}`, "tool_use", { type: "tool_use", id: String(call.id ?? ""), name: String(fn.name ?? "") }, out);
      if (typeof fn.arguments === "string" && fn.arguments !== "") out.push({ type: "tool_args_delta", index: at, partialJson: fn.arguments });
      return;
    }
    case "tool-call-delta": {
      const call = isObject(deltaMessage(event).tool_calls) ? (deltaMessage(event).tool_calls as Json) : {};
      const fn = isObject(call.function) ? call.function : {};
      if (typeof fn.arguments === "string" && fn.arguments !== "" && state.open?.key === `tool:${index}`) out.push({ type: "tool_args_delta", index: state.open.index, partialJson: fn.arguments });
      return;
    }
    case "tool-call-end":
      if (state.open?.key === `tool:${index}`) closeOpen(state, out);
      return;
    case "message-end": {
      closeOpen(state, out);
      const delta = isObject(event.delta) ? event.delta : {};
      const usage = usageOf(delta.usage);
      if (usage) out.push({ type: "usage", usage });
      state.done = true;
      const reason: StopReason = stopReasonOf(delta.finish_reason);
      if (reason === "error") {
        out.push({ type: "error", error: streamError(typeof delta.error === "string" && delta.error !== "" ? delta.error : `the stream ended with finish_reason ${String(delta.finish_reason)}`) });
        return;
      }
      out.push({ type: "message_stop", stopReason: reason });
      return;
    }
    default:
      // An error object in place of an event (no type, a message) ends the stream.
      if (type === undefined && typeof event.message === "string") {
        state.done = true;
        out.push({ type: "error", error: streamError(event.message) });
      }
      // citation-start/-end and debug carry nothing canonical.
      return;
  }
}

export function createCohereStreamDecoder(): StreamDecoder {
  const sse = createSseDecoder();
  const state = createCohereStreamState();
  const run = (events: ReturnType<typeof sse.push>): CanonicalStreamEvent[] => {
    const out: CanonicalStreamEvent[] = [];
    for (const e of events) {
      if (state.done) break;
      handle(state, e.event, e.data, out);
    }
    return out;
  };
  return {
    push: (chunk) => run(sse.push(chunk)),
    end() {
      const out = run(sse.end());
      if (!state.done && state.started) {
        state.done = true;
        out.push({ type: "error", error: gatewayErrors.upstreamBadResponse("cohere", "the stream ended before message-end") });
      }
      return out;
    },
  };
}
