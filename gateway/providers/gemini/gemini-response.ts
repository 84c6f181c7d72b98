// A Gemini GenerateContentResponse → canonical. Only the first candidate is read (the gateway
// never asks for more). Gemini ends a turn that calls functions with finishReason STOP, so
// the stop reason is tool_use whenever the candidate holds a functionCall; a prompt blocked
// before any candidate (promptFeedback.blockReason) is an empty content_filter answer.
import { randomBytes } from "node:crypto";
import { gatewayErrors } from "../../errors";
import type { CanonicalResponse, StopReason } from "../../formats/canonical";
import { ZERO_USAGE } from "../../formats/canonical";
import { geminiToolCallId, modelPartsToBlocks } from "./gemini-parts";
import { usageFromGemini } from "./gemini-usage";
import type { GeminiPart, Json } from "./gemini-wire";
import { isJsonObject } from "./gemini-wire";

/** Finish reasons that mean the output was withheld or cut for policy reasons. */
const FILTERED: ReadonlySet<string> = new Set(["SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY", "IMAGE_PROHIBITED_CONTENT", "IMAGE_RECITATION"]);

export function stopReasonFromGemini(finishReason: unknown, calledFunctions: boolean): StopReason {
  if (finishReason === "MAX_TOKENS") return "max_tokens";
  if (typeof finishReason === "string" && FILTERED.has(finishReason)) return "content_filter";
  if (finishReason === "MALFORMED_FUNCTION_CALL" || finishReason === "UNEXPECTED_TOOL_CALL") return "error";
  return calledFunctions ? "tool_use" : "end_turn";
}

/** Parts of a candidate, keeping only entries shaped like parts (the response is untrusted input). */
export function candidateParts(candidate: unknown): GeminiPart[] {
  const content = isJsonObject(candidate) ? candidate.content : undefined;
  const parts = isJsonObject(content) && Array.isArray(content.parts) ? (content.parts as unknown[]) : [];
  return parts.filter((p): p is GeminiPart => isJsonObject(p) && (p.functionCall === undefined || (isJsonObject(p.functionCall) && typeof p.functionCall.name === "string")));
}

export function parseGeminiResponse(providerId: string, body: unknown): CanonicalResponse {
  if (!isJsonObject(body)) throw gatewayErrors.upstreamBadResponse(providerId, "the body is not a JSON object");
  const candidates = Array.isArray(body.candidates) ? (body.candidates as unknown[]) : [];
  const candidate = candidates[0] as Json | undefined;
  const blocked = isJsonObject(body.promptFeedback) && typeof body.promptFeedback.blockReason === "string";
  if (!candidate && !blocked) throw gatewayErrors.upstreamBadResponse(providerId, "no candidates in the response");
  const id = typeof body.responseId === "string" && body.responseId !== "" ? body.responseId : randomBytes(12).toString("base64url");
  const parts = candidate ? candidateParts(candidate) : [];
  const content = modelPartsToBlocks(parts, (_call, ordinal) => geminiToolCallId(id, ordinal));
  const calledFunctions = content.some((b) => b.type === "tool_use");
  return {
    id,
    model: typeof body.modelVersion === "string" ? body.modelVersion : "",
    content,
    stopReason: candidate ? stopReasonFromGemini(candidate.finishReason, calledFunctions) : "content_filter",
    usage: usageFromGemini(body.usageMetadata) ?? ZERO_USAGE,
    created: Math.floor(Date.now() / 1000),
  };
}
