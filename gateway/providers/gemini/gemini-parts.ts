// Canonical content blocks ↔ Gemini parts, for both directions of both sides: the adapter
// (requests to Gemini, responses from it) and the ingress codec (requests from Gemini clients,
// responses to them). Pure functions.
//
// Thought signatures are the delicate part. Gemini puts `thoughtSignature` on the part that
// *follows* the thinking — the functionCall part, or the first text part — and sometimes on
// a trailing empty text part; the canonical model keeps a signature on a thinking block. So a
// signature becomes (or is added to) a thinking block placed right before the part that
// carried it, and on the way back a thinking block's signature goes onto the part after it.
// [thought, functionCall+sig] ⇄ [thinking(sig), tool_use] round-trips exactly, which is what
// Gemini 3 requires of function calls in the history (else 400).
import { createHash } from "node:crypto";
import type { ContentBlock, ImageBlock, TextBlock, ToolResultBlock, ToolUseBlock } from "../../formats/canonical";
import type { GeminiFunctionCall, GeminiPart, Json } from "./gemini-wire";
import { isJsonObject } from "./gemini-wire";

type MutableThinking = { type: "thinking"; thinking: string; signature?: string };

/**
 * An id for a function call Gemini sent without one (the Developer API issues none): the same
 * seed and position always give the same id, so a conversation re-sent by a stateless client
 * maps to the same ids on every turn.
 */
export function geminiToolCallId(seed: string, ordinal: number): string {
  return `call_${createHash("sha256").update(`${seed}\u0000${ordinal}`).digest("hex").slice(0, 24)}`;
}

/**
 * The parts of a `model` turn (a response candidate, or an earlier turn a Gemini client sent
 * back) as canonical blocks. `toolUseId` names calls that carry no id of their own.
 */
export function modelPartsToBlocks(parts: readonly GeminiPart[], toolUseId: (call: GeminiFunctionCall, ordinal: number) => string): ContentBlock[] {
  const out: ContentBlock[] = [];
  let calls = 0;
  const lastUnsignedThinking = (): MutableThinking | null => {
    const last = out[out.length - 1];
    return last?.type === "thinking" && last.signature === undefined ? (last as MutableThinking) : null;
  };
  for (const part of parts) {
    if (part.thought === true) {
      const open = lastUnsignedThinking();
      const text = typeof part.text === "string" ? part.text : "";
      if (open) open.thinking += text;
      else out.push({ type: "thinking", thinking: text });
      if (typeof part.thoughtSignature === "string") (out[out.length - 1] as MutableThinking).signature = part.thoughtSignature;
      continue;
    }
    if (typeof part.thoughtSignature === "string") {
      const open = lastUnsignedThinking();
      if (open) open.signature = part.thoughtSignature;
      else out.push({ type: "thinking", thinking: "", signature: part.thoughtSignature });
    }
    if (typeof part.text === "string") {
      if (part.text !== "") out.push({ type: "text", text: part.text });
    } else if (part.functionCall) {
      const call = part.functionCall;
      out.push({ type: "tool_use", id: typeof call.id === "string" && call.id !== "" ? call.id : toolUseId(call, calls), name: call.name, input: isJsonObject(call.args) ? call.args : {} });
      calls += 1;
    } else if (part.inlineData && part.inlineData.mimeType.startsWith("image/")) {
      out.push({ type: "image", source: { kind: "base64", mediaType: part.inlineData.mimeType, data: part.inlineData.data } });
    } else if (part.fileData && (part.fileData.mimeType === undefined || part.fileData.mimeType.startsWith("image/"))) {
      out.push({ type: "image", source: { kind: "url", url: part.fileData.fileUri } });
    }
  }
  return out;
}

const EXTENSION_MEDIA_TYPES: Readonly<Record<string, string>> = {
  png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", webp: "image/webp", gif: "image/gif", heic: "image/heic", heif: "image/heif",
};

/** base64 → inlineData; a data: URL is unpacked to inlineData too; any other URL → fileData. */
export function imageToPart(block: ImageBlock): GeminiPart {
  if (block.source.kind === "base64") return { inlineData: { mimeType: block.source.mediaType, data: block.source.data } };
  const dataUrl = /^data:([^;,]+);base64,(.*)$/s.exec(block.source.url);
  if (dataUrl) return { inlineData: { mimeType: dataUrl[1]!, data: dataUrl[2]! } };
  const extension = /\.([a-z0-9]+)(?:[?#].*)?$/i.exec(block.source.url)?.[1]?.toLowerCase();
  const mimeType = extension ? EXTENSION_MEDIA_TYPES[extension] : undefined;
  return { fileData: { fileUri: block.source.url, ...(mimeType ? { mimeType } : {}) } };
}

export interface AssistantPartsOptions {
  /** Gemini clients may use `functionCall.id`; upstream, Vertex rejects it, so the adapter leaves it out. */
  readonly functionCallIds: boolean;
  /** Called for blocks Gemini cannot carry (redacted thinking), so the adapter can record them. */
  readonly onDropped?: (block: ContentBlock) => void;
}

/** An assistant turn's blocks as the parts of a `model` turn; signatures move onto the part after their thinking. */
export function assistantBlocksToParts(blocks: readonly ContentBlock[], options: AssistantPartsOptions): GeminiPart[] {
  const parts: GeminiPart[] = [];
  // The signature of the last thinking block, waiting for the part it belongs on.
  const state: { pending: { signature: string; thoughtPart: number | null } | null } = { pending: null };
  const push = (part: GeminiPart) => {
    const pending = state.pending;
    state.pending = null;
    parts.push(pending ? { ...part, thoughtSignature: pending.signature } : part);
  };
  // No part followed the thinking: the signature stays on its thought part, or goes on an
  // empty text part, as Gemini itself streams a trailing signature.
  const flush = () => {
    const pending = state.pending;
    state.pending = null;
    if (!pending) return;
    if (pending.thoughtPart !== null) parts[pending.thoughtPart] = { ...parts[pending.thoughtPart]!, thoughtSignature: pending.signature };
    else parts.push({ text: "", thoughtSignature: pending.signature });
  };
  for (const block of blocks) {
    switch (block.type) {
      case "thinking": {
        flush();
        let thoughtPart: number | null = null;
        if (block.thinking !== "") {
          parts.push({ text: block.thinking, thought: true });
          thoughtPart = parts.length - 1;
        }
        if (block.signature !== undefined && block.signature !== "") state.pending = { signature: block.signature, thoughtPart };
        break;
      }
      case "text":
        push({ text: block.text });
        break;
      case "image":
        push(imageToPart(block));
        break;
      case "tool_use":
        push({ functionCall: { ...(options.functionCallIds ? { id: block.id } : {}), name: block.name, args: isJsonObject(block.input) ? block.input : {} } });
        break;
      default:
        options.onDropped?.(block);
    }
  }
  flush();
  return parts;
}

/**
 * A tool result as Gemini's `functionResponse.response` object. Google's convention: "output"
 * holds the result and "error" the failure; a result that is itself a JSON object is sent as
 * that object, so a Gemini client's structured response survives a round trip.
 */
export function toolResultResponse(block: ToolResultBlock): Json {
  const text = block.content.map((b) => (b.type === "text" ? b.text : "")).join("");
  if (block.isError) return { error: text };
  try {
    const parsed: unknown = JSON.parse(text);
    if (isJsonObject(parsed)) return parsed;
  } catch {
    // Plain text: wrapped below.
  }
  return { output: text };
}

/** The inverse of `toolResultResponse`: the text (and error flag) a canonical tool_result carries. */
export function toolResultFromResponse(response: Json): { content: TextBlock[]; isError: boolean } {
  const keys = Object.keys(response);
  if (keys.length === 1 && keys[0] === "output" && typeof response.output === "string") return { content: [{ type: "text", text: response.output }], isError: false };
  if (keys.length === 1 && keys[0] === "error") {
    const error = response.error;
    return { content: [{ type: "text", text: typeof error === "string" ? error : JSON.stringify(error) }], isError: true };
  }
  return { content: [{ type: "text", text: JSON.stringify(response) }], isError: false };
}

/** The name of every tool_use id in a conversation: Gemini's functionResponse must name its call. */
export function toolNamesById(messages: ReadonlyArray<{ readonly content: readonly ContentBlock[] }>): Map<string, string> {
  const names = new Map<string, string>();
  for (const message of messages) for (const block of message.content) if (block.type === "tool_use") names.set((block as ToolUseBlock).id, block.name);
  return names;
}
