// Wire-level mappings of the OpenAI Chat Completions format that both directions of the
// ingress codec share (request decoding, JSON and stream encoding): ids, finish reasons,
// usage, tool-call arguments and image URLs. Pure functions over plain data.
import { randomBytes } from "node:crypto";
import { toOpenAIErrorBody, type GatewayError, type OpenAIErrorBody } from "../../errors";
import type { CanonicalUsage, ImageSource, StopReason } from "../../formats/canonical";

type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function randomSuffix(): string {
  return randomBytes(12).toString("hex");
}

/** OpenAI ids look like `chatcmpl-…`; a provider's own id is kept behind the prefix so logs can be matched. */
export function chatCompletionId(id: string): string {
  if (id.startsWith("chatcmpl-")) return id;
  const cleaned = id.replace(/[^A-Za-z0-9_-]/g, "");
  return `chatcmpl-${cleaned === "" ? randomSuffix() : cleaned}`;
}

/**
 * Tool-call ids go out as the provider made them (`toolu_…`, `call_…`): the client sends them
 * back as `tool_call_id` and the provider must recognise its own id. Only a missing id is
 * invented, since a tool call without one could not be answered.
 */
export function toolCallId(id: string): string {
  return id === "" ? `call_${randomSuffix()}` : id;
}

/**
 * Canonical stop reason → `finish_reason`. OpenAI has no "refusal" reason; a refusal (Anthropic's
 * safety classifiers stopping the turn) is closest to `content_filter`, which clients already
 * treat as "the answer was withheld". A turn that made tool calls ends in `tool_calls` even if
 * the provider said "stop" (Gemini reports STOP on function calls): agent loops key on it.
 */
export function finishReasonOf(reason: StopReason, madeToolCalls: boolean): "stop" | "length" | "tool_calls" | "content_filter" {
  switch (reason) {
    case "max_tokens":
      return "length";
    case "tool_use":
      return "tool_calls";
    case "content_filter":
    case "refusal":
      return "content_filter";
    default:
      return madeToolCalls ? "tool_calls" : "stop";
  }
}

/**
 * Canonical usage (OpenAI semantics already: input includes cached tokens, reasoning is part
 * of output) → the chat `usage` object, with the detail fields OpenAI itself always sends.
 * `cache_write_tokens` only appears when a provider reported cache writes (Anthropic).
 */
export function chatUsageOf(usage: CanonicalUsage): Json {
  return {
    prompt_tokens: usage.input,
    completion_tokens: usage.output,
    total_tokens: usage.input + usage.output,
    prompt_tokens_details: { cached_tokens: usage.cacheRead, audio_tokens: 0, ...(usage.cacheWrite > 0 ? { cache_write_tokens: usage.cacheWrite } : {}) },
    completion_tokens_details: { reasoning_tokens: usage.reasoning, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

/**
 * Tool-call `arguments` (a JSON string) → parsed input. Text that is not a JSON object's
 * worth of arguments is kept verbatim in `inputJson`, so a model's malformed call reaches the
 * next provider exactly as it was made instead of being silently replaced.
 */
export function parseToolArguments(text: string): { input: unknown; inputJson?: string } {
  if (text.trim() === "") return { input: {} };
  try {
    return { input: JSON.parse(text) };
  } catch {
    return { input: {}, inputJson: text };
  }
}

const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;

/** `image_url.url`: a base64 data URL becomes inline data (providers other than OpenAI need the bytes), anything else stays a URL. */
export function imageSourceOf(url: string): ImageSource {
  const match = DATA_URL.exec(url);
  if (match) return { kind: "base64", mediaType: match[1]!, data: match[2]! };
  return { kind: "url", url };
}

/**
 * The OpenAI error object, with upstream failures saying so in the message (PRODUCT §2.6:
 * clients show the message, so it must tell a gateway refusal from a provider's).
 */
export function openAIChatErrorBody(error: GatewayError): OpenAIErrorBody {
  const body = toOpenAIErrorBody(error);
  if (error.source !== "upstream" || !error.provider) return body;
  return { error: { ...body.error, message: `${error.message} (upstream: ${error.provider})` } };
}
