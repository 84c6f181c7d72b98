// A Responses API `response` object → the canonical response. Reasoning items become thinking
// blocks with encrypted_content as their signature (sent back unchanged on the next turn);
// message parts become text; function calls become tool_use with the call_id as their id.
import { gatewayErrors } from "../../errors";
import type { CanonicalResponse, CanonicalUsage, ContentBlock, StopReason } from "../../formats/canonical";
import type { TokenUsage } from "../../usage/token-usage";
import { responsesFailure } from "./errors";

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

/** Responses usage → canonical (same semantics: input includes cached, output includes reasoning). */
export function usageFromResponses(raw: unknown): CanonicalUsage | null {
  if (!isObject(raw)) return null;
  const input = isObject(raw.input_tokens_details) ? raw.input_tokens_details : {};
  const output = isObject(raw.output_tokens_details) ? raw.output_tokens_details : {};
  return { input: count(raw.input_tokens), output: count(raw.output_tokens), cacheRead: count(input.cached_tokens), cacheWrite: count(input.cache_write_tokens), reasoning: count(output.reasoning_tokens) };
}

export function tokenUsageFromResponses(raw: unknown): TokenUsage | null {
  return usageFromResponses(raw);
}

export function parseArguments(text: string): { input: unknown; inputJson?: string } {
  if (text.trim() === "") return { input: {} };
  try {
    return { input: JSON.parse(text) };
  } catch {
    return { input: {}, inputJson: text };
  }
}

/** Summary parts joined as one thinking text; raw reasoning text (open models) when there is no summary. */
export function reasoningText(item: Json): string {
  const summary = Array.isArray(item.summary) ? (item.summary as unknown[]).map((p) => (isObject(p) && typeof p.text === "string" ? p.text : "")) : [];
  if (summary.length > 0) return summary.join("\n\n");
  return Array.isArray(item.content) ? (item.content as unknown[]).map((p) => (isObject(p) && typeof p.text === "string" ? p.text : "")).join("") : "";
}

function contentOf(output: readonly unknown[]): { content: ContentBlock[]; refused: boolean } {
  const content: ContentBlock[] = [];
  let refused = false;
  for (const item of output) {
    if (!isObject(item)) continue;
    switch (item.type) {
      case "reasoning": {
        const thinking = reasoningText(item);
        const signature = typeof item.encrypted_content === "string" ? item.encrypted_content : undefined;
        if (thinking !== "" || signature !== undefined) content.push({ type: "thinking", thinking, ...(signature === undefined ? {} : { signature }) });
        break;
      }
      case "message":
        for (const part of Array.isArray(item.content) ? (item.content as unknown[]) : []) {
          if (!isObject(part)) continue;
          if (part.type === "output_text" && typeof part.text === "string") content.push({ type: "text", text: part.text });
          else if (part.type === "refusal" && typeof part.refusal === "string") {
            refused = true;
            content.push({ type: "text", text: part.refusal });
          }
        }
        break;
      case "function_call":
        content.push({ type: "tool_use", id: String(item.call_id ?? ""), name: String(item.name ?? ""), ...parseArguments(String(item.arguments ?? "")) });
        break;
      default:
        // Hosted tool calls (web_search_call, …) ran on OpenAI's side: nothing for the client to act on.
        break;
    }
  }
  return { content, refused };
}

export function stopReasonOf(status: unknown, incompleteReason: unknown, hasToolCall: boolean, refused: boolean): StopReason {
  if (status === "incomplete") return incompleteReason === "content_filter" ? "content_filter" : "max_tokens";
  if (refused) return "refusal";
  return hasToolCall ? "tool_use" : "end_turn";
}

export function parseResponsesResponse(providerId: string, body: unknown): CanonicalResponse {
  if (!isObject(body) || body.object !== "response" || !Array.isArray(body.output)) {
    throw gatewayErrors.upstreamBadResponse(providerId, "not a Responses API response object");
  }
  if (body.status === "failed") {
    throw responsesFailure(providerId, isObject(body.error) ? body.error : {});
  }
  const { content, refused } = contentOf(body.output);
  const incomplete = isObject(body.incomplete_details) ? body.incomplete_details.reason : undefined;
  return {
    id: String(body.id ?? ""),
    model: String(body.model ?? ""),
    content,
    stopReason: stopReasonOf(body.status, incomplete, content.some((b) => b.type === "tool_use"), refused),
    usage: usageFromResponses(body.usage) ?? { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 },
    created: typeof body.created_at === "number" ? body.created_at : Math.floor(Date.now() / 1000),
  };
}
