// The canonical response → a Responses API `response` object, and the item / usage builders
// the stream encoder shares so that `response.completed` carries exactly the items streamed.
//
// Shape per the openai SDK's `Response` type. The codec sees the canonical response, not the
// client's request, so request echoes (instructions, tools, temperature, …) are reported as
// unknown (null) or as the API's defaults; no client reads them back to drive behaviour.
// Redacted thinking (Anthropic) has no Responses equivalent: it travels as a reasoning item
// whose encrypted_content carries a gateway prefix, so it comes back as redacted thinking.
import { randomBytes } from "node:crypto";
import type { GatewayError } from "../../errors";
import type { CanonicalResponse, CanonicalUsage, ContentBlock, StopReason } from "../../formats/canonical";
import { REDACTED_THINKING_PREFIX } from "./decode-responses-request";
import { responsesErrorBody } from "./responses-errors";

type Json = Record<string, unknown>;

export type ResponseStatus = "completed" | "incomplete" | "failed" | "in_progress";
export type ItemStatus = "completed" | "incomplete" | "in_progress";

/** `resp_…` ids: the upstream's id kept (cleaned) so a log line can be matched to the provider's. */
export function responseIdOf(upstreamId: string): string {
  if (upstreamId.startsWith("resp_")) return upstreamId;
  const cleaned = upstreamId.replace(/[^A-Za-z0-9]/g, "").slice(0, 48);
  return `resp_${cleaned || randomBytes(24).toString("hex")}`;
}

export function newItemId(prefix: "msg" | "rs" | "fc"): string {
  return `${prefix}_${randomBytes(24).toString("hex")}`;
}

export function usageOut(usage: CanonicalUsage): Json {
  return {
    // Canonical usage has OpenAI semantics already: input includes cached, output includes reasoning.
    input_tokens: usage.input,
    input_tokens_details: { cached_tokens: usage.cacheRead, cache_write_tokens: usage.cacheWrite },
    output_tokens: usage.output,
    output_tokens_details: { reasoning_tokens: usage.reasoning },
    total_tokens: usage.input + usage.output,
  };
}

/** Stop reason → the response's status and incomplete_details. */
export function statusOf(stopReason: StopReason): { status: ResponseStatus; incompleteDetails: Json | null } {
  switch (stopReason) {
    case "max_tokens":
      return { status: "incomplete", incompleteDetails: { reason: "max_output_tokens" } };
    case "content_filter":
      return { status: "incomplete", incompleteDetails: { reason: "content_filter" } };
    case "error":
      return { status: "failed", incompleteDetails: null };
    default:
      return { status: "completed", incompleteDetails: null };
  }
}

/** Response.error codes Codex and the SDKs act on; other failures are server_error. */
const RESPONSE_ERROR_CODES: ReadonlySet<string> = new Set(["server_error", "rate_limit_exceeded", "context_length_exceeded", "insufficient_quota", "invalid_prompt"]);

export function responseErrorOf(error: GatewayError): Json {
  const code = error.code !== null && RESPONSE_ERROR_CODES.has(error.code) ? error.code : error.status === 429 ? "rate_limit_exceeded" : "server_error";
  return { code, message: responsesErrorBody(error).error.message };
}

export interface ResponseEnvelope {
  readonly id: string;
  readonly model: string;
  readonly createdAt: number;
  readonly status: ResponseStatus;
  readonly output: readonly Json[];
  readonly usage: CanonicalUsage | null;
  readonly incompleteDetails?: Json | null;
  readonly error?: Json | null;
}

export function responseObject(envelope: ResponseEnvelope): Json {
  return {
    id: envelope.id,
    object: "response",
    created_at: envelope.createdAt,
    status: envelope.status,
    ...(envelope.status === "completed" ? { completed_at: Math.floor(Date.now() / 1000) } : {}),
    background: false,
    error: envelope.error ?? null,
    incomplete_details: envelope.incompleteDetails ?? null,
    instructions: null,
    max_output_tokens: null,
    max_tool_calls: null,
    model: envelope.model,
    output: envelope.output,
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    service_tier: "default",
    // The gateway never stores responses, whatever the client asked.
    store: false,
    temperature: null,
    text: { format: { type: "text" }, verbosity: "medium" },
    tool_choice: "auto",
    tools: [],
    top_logprobs: 0,
    top_p: null,
    truncation: "disabled",
    usage: envelope.usage ? usageOut(envelope.usage) : null,
    user: null,
    metadata: {},
  };
}

export function outputTextPart(text: string): Json {
  return { type: "output_text", annotations: [], logprobs: [], text };
}

export function messageItem(id: string, texts: readonly string[], status: ItemStatus): Json {
  return { id, type: "message", status, content: texts.map(outputTextPart), role: "assistant" };
}

export function reasoningItem(id: string, summary: string, encryptedContent: string | undefined): Json {
  return {
    id,
    type: "reasoning",
    summary: summary === "" ? [] : [{ type: "summary_text", text: summary }],
    ...(encryptedContent === undefined ? {} : { encrypted_content: encryptedContent }),
  };
}

export function redactedReasoningItem(id: string, data: string): Json {
  return reasoningItem(id, "", `${REDACTED_THINKING_PREFIX}${data}`);
}

export function functionCallItem(id: string, callId: string, name: string, args: string, status: ItemStatus): Json {
  return { id, type: "function_call", status, arguments: args, call_id: callId, name };
}

export function toolArguments(block: Extract<ContentBlock, { type: "tool_use" }>): string {
  return block.inputJson ?? JSON.stringify(block.input ?? {});
}

/** Output items for the canonical content: consecutive text blocks share one message item. */
export function outputItems(content: readonly ContentBlock[], lastStatus: ItemStatus): Json[] {
  const items: Json[] = [];
  let texts: string[] | null = null;
  const closeMessage = () => {
    if (texts) items.push(messageItem(newItemId("msg"), texts, "completed"));
    texts = null;
  };
  for (const block of content) {
    if (block.type === "text") {
      (texts ??= []).push(block.text);
      continue;
    }
    if (block.type === "thinking") {
      closeMessage();
      items.push(reasoningItem(newItemId("rs"), block.thinking, block.signature));
    } else if (block.type === "redacted_thinking") {
      closeMessage();
      items.push(redactedReasoningItem(newItemId("rs"), block.data));
    } else if (block.type === "tool_use") {
      closeMessage();
      items.push(functionCallItem(newItemId("fc"), block.id, block.name, toolArguments(block), "completed"));
    }
  }
  closeMessage();
  // A response cut short (max tokens) leaves its last message or call unfinished.
  const last = items[items.length - 1];
  if (last && lastStatus !== "completed" && "status" in last) last.status = lastStatus;
  return items;
}

export function encodeResponsesResponse(response: CanonicalResponse, model: string): Json {
  const { status, incompleteDetails } = statusOf(response.stopReason);
  return responseObject({
    id: responseIdOf(response.id),
    model,
    createdAt: response.created,
    status,
    output: outputItems(response.content, status === "incomplete" ? "incomplete" : "completed"),
    usage: response.usage,
    incompleteDetails,
    error: status === "failed" ? { code: "server_error", message: "The upstream provider ended the response with an error." } : null,
  });
}
