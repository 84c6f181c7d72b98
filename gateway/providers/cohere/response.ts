// Cohere v2 chat response → canonical. The assistant message holds `content` parts (text,
// and thinking for reasoning models), a `tool_plan` (the model's words before its tool
// calls, kept as a text block ahead of them) and `tool_calls`.
import { gatewayErrors } from "../../errors";
import type { CanonicalResponse, CanonicalUsage, ContentBlock, StopReason } from "../../formats/canonical";

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

export function stopReasonOf(reason: unknown): StopReason {
  switch (reason) {
    case "MAX_TOKENS":
      return "max_tokens";
    case "STOP_SEQUENCE":
      return "stop_sequence";
    case "TOOL_CALL":
      return "tool_use";
    case "ERROR":
    case "TIMEOUT":
      return "error";
    default:
      return "end_turn";
  }
}

function count(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/**
 * `billed_units` is what Cohere charges for (the prompt template excluded); `tokens` counts
 * everything the model processed. Costs are computed from usage, so billed units win.
 */
export function usageOf(raw: unknown): CanonicalUsage | null {
  if (!isObject(raw)) return null;
  const billed = isObject(raw.billed_units) ? raw.billed_units : {};
  const tokens = isObject(raw.tokens) ? raw.tokens : {};
  const input = count(billed.input_tokens) ?? count(tokens.input_tokens);
  const output = count(billed.output_tokens) ?? count(tokens.output_tokens);
  if (input === undefined && output === undefined) return null;
  return { input: input ?? 0, output: output ?? 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 };
}

export function parseToolArguments(text: string): { input: unknown; inputJson?: string } {
  if (text.trim() === "") return { input: {} };
  try {
    return { input: JSON.parse(text) };
  } catch {
    return { input: {}, inputJson: text };
  }
}

export function parseCohereResponse(body: unknown): CanonicalResponse {
  if (!isObject(body) || !isObject(body.message)) throw gatewayErrors.upstreamBadResponse("cohere", "no message in the response");
  const message = body.message;
  const content: ContentBlock[] = [];
  const parts = Array.isArray(message.content) ? message.content : [];
  for (const part of parts) {
    if (!isObject(part)) continue;
    if (part.type === "thinking" && typeof part.thinking === "string") content.push({ type: "thinking", thinking: part.thinking });
  }
  if (typeof message.tool_plan === "string" && message.tool_plan !== "") content.push({ type: "text", text: message.tool_plan });
  for (const part of parts) {
    if (isObject(part) && part.type === "text" && typeof part.text === "string" && part.text !== "") content.push({ type: "text", text: part.text });
  }
  for (const call of Array.isArray(message.tool_calls) ? message.tool_calls : []) {
    if (!isObject(call)) continue;
    const fn = isObject(call.function) ? call.function : {};
    content.push({ type: "tool_use", id: String(call.id ?? ""), name: String(fn.name ?? ""), ...parseToolArguments(String(fn.arguments ?? "")) });
  }
  return {
    id: String(body.id ?? ""),
    model: "",
    content,
    stopReason: stopReasonOf(body.finish_reason),
    usage: usageOf(body.usage) ?? { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 },
    created: Math.floor(Date.now() / 1000),
  };
}
