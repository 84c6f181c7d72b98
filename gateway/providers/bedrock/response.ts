// Converse response → canonical. Converse answers carry no id and no model name (the model is
// in the request path), so the id is made here and the model left empty: the ingress codec
// answers with the model the client asked for.
import { randomUUID } from "node:crypto";
import { gatewayErrors } from "../../errors";
import type { CanonicalResponse, CanonicalUsage, ContentBlock, StopReason } from "../../formats/canonical";

type Json = Record<string, unknown>;

export function stopReasonOf(reason: unknown): StopReason {
  switch (reason) {
    case "tool_use":
      return "tool_use";
    case "max_tokens":
    // The context window filled up: for the client, the answer was cut by length.
    case "model_context_window_exceeded":
      return "max_tokens";
    case "stop_sequence":
      return "stop_sequence";
    case "guardrail_intervened":
    case "content_filtered":
      return "content_filter";
    default:
      return "end_turn";
  }
}

function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : 0;
}

/**
 * Bedrock counts cached prompt tokens apart from `inputTokens` (as Anthropic does); canonical
 * usage has OpenAI semantics, where input includes them.
 */
export function usageOf(raw: unknown): CanonicalUsage | null {
  if (raw === null || typeof raw !== "object") return null;
  const u = raw as Json;
  const cacheRead = count(u.cacheReadInputTokens);
  const cacheWrite = count(u.cacheWriteInputTokens);
  return { input: count(u.inputTokens) + cacheRead + cacheWrite, output: count(u.outputTokens), cacheRead, cacheWrite, reasoning: 0 };
}

/** Claude's matched stop sequence, when the request asked for /stop_sequence back. */
export function stopSequenceOf(additional: unknown): string | undefined {
  if (additional === null || typeof additional !== "object") return undefined;
  const value = (additional as Json).stop_sequence;
  return typeof value === "string" ? value : undefined;
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function contentOf(blocks: readonly unknown[]): ContentBlock[] {
  const out: ContentBlock[] = [];
  for (const raw of blocks) {
    if (!isObject(raw)) continue;
    if (typeof raw.text === "string") out.push({ type: "text", text: raw.text });
    else if (isObject(raw.toolUse)) {
      const t = raw.toolUse;
      out.push({ type: "tool_use", id: String(t.toolUseId ?? ""), name: String(t.name ?? ""), input: t.input ?? {} });
    } else if (isObject(raw.reasoningContent)) {
      const r = raw.reasoningContent;
      if (isObject(r.reasoningText)) {
        const signature = r.reasoningText.signature;
        out.push({ type: "thinking", thinking: String(r.reasoningText.text ?? ""), ...(typeof signature === "string" ? { signature } : {}) });
      } else if (typeof r.redactedContent === "string") out.push({ type: "redacted_thinking", data: r.redactedContent });
    }
    // Citations, images and documents in answers have no canonical form yet; they are skipped.
  }
  return out;
}

export function parseConverseResponse(body: unknown): CanonicalResponse {
  if (!isObject(body)) throw gatewayErrors.upstreamBadResponse("bedrock", "the response is not a JSON object");
  const output = body.output;
  const message = isObject(output) ? output.message : undefined;
  if (!isObject(message) || !Array.isArray(message.content)) throw gatewayErrors.upstreamBadResponse("bedrock", "no output.message.content in the response");
  const stopSequence = stopSequenceOf(body.additionalModelResponseFields);
  return {
    id: `bedrock-${randomUUID()}`,
    model: "",
    content: contentOf(message.content),
    stopReason: stopReasonOf(body.stopReason),
    ...(stopSequence !== undefined ? { stopSequence } : {}),
    usage: usageOf(body.usage) ?? { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 },
    created: Math.floor(Date.now() / 1000),
  };
}
