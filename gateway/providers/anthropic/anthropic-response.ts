// Anthropic Messages response (JSON) → canonical. Anthropic counts prompt tokens in three
// parts (input_tokens excludes what was read from or written to the prompt cache); the
// canonical usage has OpenAI semantics, input INCLUDING cached tokens, so the parts are added.
import { gatewayErrors } from "../../errors";
import type { CanonicalResponse, CanonicalUsage, ContentBlock, StopReason } from "../../formats/canonical";
import type { TokenUsage } from "../../usage/token-usage";

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

export function anthropicStopReason(raw: unknown): StopReason {
  switch (raw) {
    case "max_tokens":
    case "stop_sequence":
    case "tool_use":
    case "pause_turn":
    case "refusal":
      return raw;
    // The context window ran out: for the client the answer was cut by a token limit.
    case "model_context_window_exceeded":
      return "max_tokens";
    default:
      return "end_turn";
  }
}

/** The three prompt-token parts as Anthropic reports them (any may be absent in a stream delta). */
export interface AnthropicInputParts {
  readonly uncached: number;
  readonly cacheRead: number;
  readonly cacheWrite: number;
}

export function inputPartsOf(usage: Json): Partial<AnthropicInputParts> {
  return {
    ...("input_tokens" in usage ? { uncached: count(usage.input_tokens) } : {}),
    ...("cache_read_input_tokens" in usage ? { cacheRead: count(usage.cache_read_input_tokens) } : {}),
    ...("cache_creation_input_tokens" in usage ? { cacheWrite: count(usage.cache_creation_input_tokens) } : {}),
  };
}

/** Thinking tokens, part of output_tokens; reported by current API versions only (0 when absent). */
export function thinkingTokensOf(usage: Json): number | undefined {
  const details = usage.output_tokens_details;
  return isObject(details) && "thinking_tokens" in details ? count(details.thinking_tokens) : undefined;
}

/** An Anthropic `usage` object → canonical usage. */
export function anthropicUsage(raw: unknown): CanonicalUsage {
  const usage = isObject(raw) ? raw : {};
  const cacheRead = count(usage.cache_read_input_tokens);
  const cacheWrite = count(usage.cache_creation_input_tokens);
  return { input: count(usage.input_tokens) + cacheRead + cacheWrite, output: count(usage.output_tokens), cacheRead, cacheWrite, reasoning: thinkingTokensOf(usage) ?? 0 };
}

export function tokenUsageFromAnthropic(raw: unknown): TokenUsage | null {
  if (!isObject(raw)) return null;
  const u = anthropicUsage(raw);
  return { input: u.input, output: u.output, cacheRead: u.cacheRead, cacheWrite: u.cacheWrite, reasoning: u.reasoning };
}

/**
 * Response blocks the canonical model holds. Server-tool blocks (web search results and the
 * like) have no canonical form and are skipped; the text that cites them is kept.
 */
function blockIn(block: unknown): ContentBlock | null {
  if (!isObject(block)) return null;
  switch (block.type) {
    case "text":
      return typeof block.text === "string" ? { type: "text", text: block.text } : null;
    case "thinking":
      return { type: "thinking", thinking: typeof block.thinking === "string" ? block.thinking : "", ...(typeof block.signature === "string" && block.signature !== "" ? { signature: block.signature } : {}) };
    case "redacted_thinking":
      return typeof block.data === "string" ? { type: "redacted_thinking", data: block.data } : null;
    case "tool_use":
      return { type: "tool_use", id: String(block.id ?? ""), name: String(block.name ?? ""), input: isObject(block.input) ? block.input : {} };
    default:
      return null;
  }
}

export function parseAnthropicResponse(providerId: string, body: unknown): CanonicalResponse {
  if (!isObject(body) || !Array.isArray(body.content)) throw gatewayErrors.upstreamBadResponse(providerId, "no content array in the message");
  if (body.type !== undefined && body.type !== "message") throw gatewayErrors.upstreamBadResponse(providerId, `expected a message, got type '${String(body.type)}'`);
  const content = body.content.map(blockIn).filter((b): b is ContentBlock => b !== null);
  return {
    id: String(body.id ?? ""),
    model: String(body.model ?? ""),
    content,
    stopReason: anthropicStopReason(body.stop_reason),
    ...(typeof body.stop_sequence === "string" ? { stopSequence: body.stop_sequence } : {}),
    usage: anthropicUsage(body.usage),
    // Anthropic messages carry no timestamp.
    created: Math.floor(Date.now() / 1000),
  };
}
