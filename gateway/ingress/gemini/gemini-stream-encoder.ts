// Canonical stream events → Gemini's `streamGenerateContent?alt=sse` stream: `data:` lines
// only (no `event:`), each a whole GenerateContentResponse holding the next parts. Text and
// thought text go out as they arrive; a function call goes out whole when its block closes
// (Gemini never streams partial arguments); the last chunk carries finishReason and the
// usage. A thinking block's signature is held back and sent on the next part, where Gemini
// clients (and Gemini 3's validation) expect it.
import type { CanonicalStreamEvent, CanonicalUsage } from "../../formats/canonical";
import { mergeUsage, ZERO_USAGE } from "../../formats/canonical";
import { geminiUsageMetadata } from "../../providers/gemini/gemini-usage";
import type { GeminiPart, Json } from "../../providers/gemini/gemini-wire";
import { isJsonObject } from "../../providers/gemini/gemini-wire";
import type { OutgoingSseFrame, StreamEncoder } from "../types";
import { finishReasonFor, geminiErrorBody, responseIdOf } from "./gemini-response-encoder";

interface ToolCallInProgress {
  readonly id: string;
  readonly name: string;
  json: string;
}

interface EncoderState {
  responseId: string;
  usage: CanonicalUsage;
  signature: string | null;
  readonly tools: Map<number, ToolCallInProgress>;
  stopped: boolean;
}

function parseArgs(json: string): Json {
  try {
    const parsed: unknown = JSON.parse(json === "" ? "{}" : json);
    return isJsonObject(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

export function createGeminiStreamEncoder(model: string): StreamEncoder {
  const state: EncoderState = { responseId: "", usage: ZERO_USAGE, signature: null, tools: new Map(), stopped: false };

  const chunk = (parts: GeminiPart[], last?: { finishReason: string }): OutgoingSseFrame => {
    if (state.responseId === "") state.responseId = responseIdOf("");
    const candidate: Json = { content: { role: "model", parts }, ...(last ? { finishReason: last.finishReason } : {}), index: 0 };
    return {
      event: undefined,
      data: JSON.stringify({ candidates: [candidate], ...(last ? { usageMetadata: geminiUsageMetadata(state.usage) } : {}), modelVersion: model, responseId: state.responseId }),
    };
  };
  /** The part, with the held-back signature of the thinking before it. */
  const signed = (part: GeminiPart): GeminiPart => {
    if (state.signature === null) return part;
    const out = { ...part, thoughtSignature: state.signature };
    state.signature = null;
    return out;
  };

  return {
    encode(event: CanonicalStreamEvent): OutgoingSseFrame[] {
      if (state.stopped) return [];
      switch (event.type) {
        case "message_start":
          state.responseId = responseIdOf(event.id);
          return [];
        case "block_start":
          if (event.block.type === "tool_use") state.tools.set(event.index, { id: event.block.id, name: event.block.name, json: "" });
          return [];
        case "text_delta":
          return event.text === "" ? [] : [chunk([signed({ text: event.text })])];
        case "thinking_delta":
          return event.thinking === "" ? [] : [chunk([{ text: event.thinking, thought: true }])];
        case "signature_delta":
          state.signature = (state.signature ?? "") + event.signature;
          return [];
        case "tool_args_delta": {
          const tool = state.tools.get(event.index);
          if (tool) tool.json += event.partialJson;
          return [];
        }
        case "block_stop": {
          const tool = state.tools.get(event.index);
          if (!tool) return [];
          state.tools.delete(event.index);
          return [chunk([signed({ functionCall: { id: tool.id, name: tool.name, args: parseArgs(tool.json) } })])];
        }
        case "usage":
          state.usage = mergeUsage(state.usage, event.usage);
          return [];
        case "message_stop": {
          state.stopped = true;
          // A tool call whose block never closed still reaches the client, as Gemini would have sent it.
          const parts: GeminiPart[] = [...state.tools.values()].map((tool) => signed({ functionCall: { id: tool.id, name: tool.name, args: parseArgs(tool.json) } }));
          state.tools.clear();
          if (state.signature !== null) parts.push(signed({ text: "" }));
          if (parts.length === 0) parts.push({ text: "" });
          return [chunk(parts, { finishReason: finishReasonFor(event.stopReason) })];
        }
        case "error":
          state.stopped = true;
          return [{ event: undefined, data: JSON.stringify(geminiErrorBody(event.error)) }];
      }
    },
    finish(): OutgoingSseFrame[] {
      if (state.stopped) return [];
      state.stopped = true;
      return [{ event: undefined, data: JSON.stringify({ error: { code: 502, message: "The upstream stream ended before the response was complete.", status: "UNAVAILABLE" } }) }];
    },
  };
}
