// The Bedrock Converse / ConverseStream wire format (bedrock-runtime, API version
// 2023-09-30), as far as the gateway speaks it. Shared by the converters in this folder and
// by the strict mock (gateway/testing/mock-bedrock-upstream.ts), so that both sides agree on
// what the real API accepts. Field names are AWS's (camelCase); blobs travel as base64.

type Json = Record<string, unknown>;

export const BEDROCK_SIGNING_SERVICE = "bedrock";
export const BEDROCK_DEFAULT_REGION = "us-east-1";

export function bedrockRuntimeEndpoint(region: string): string {
  return `https://bedrock-runtime.${region}.amazonaws.com`;
}

/** Top-level members of a Converse / ConverseStream request body (modelId travels in the path). */
export const CONVERSE_REQUEST_FIELDS: ReadonlySet<string> = new Set([
  "messages", "system", "inferenceConfig", "toolConfig", "guardrailConfig", "additionalModelRequestFields",
  "additionalModelResponseFieldPaths", "promptVariables", "requestMetadata", "performanceConfig",
]);
export const INFERENCE_CONFIG_FIELDS: ReadonlySet<string> = new Set(["maxTokens", "temperature", "topP", "stopSequences"]);
export const MESSAGE_FIELDS: ReadonlySet<string> = new Set(["role", "content"]);
/** ContentBlock is a tagged union: exactly one of these members per block. */
export const CONTENT_BLOCK_MEMBERS: ReadonlySet<string> = new Set([
  "text", "image", "document", "video", "toolUse", "toolResult", "guardContent", "cachePoint", "reasoningContent", "citationsContent",
]);
export const SYSTEM_BLOCK_MEMBERS: ReadonlySet<string> = new Set(["text", "guardContent", "cachePoint"]);
export const TOOL_RESULT_CONTENT_MEMBERS: ReadonlySet<string> = new Set(["text", "json", "image", "document", "video"]);
export const IMAGE_FORMATS: ReadonlySet<string> = new Set(["png", "jpeg", "gif", "webp"]);

export type ConverseRole = "user" | "assistant";
export type ConverseImageFormat = "png" | "jpeg" | "gif" | "webp";

export interface ConverseImage {
  readonly format: ConverseImageFormat;
  readonly source: { readonly bytes: string };
}

export type ConverseReasoning =
  | { readonly reasoningText: { readonly text: string; readonly signature?: string } }
  | { readonly redactedContent: string };

export type ConverseToolResultContent = { readonly text: string } | { readonly json: unknown } | { readonly image: ConverseImage };

export type ConverseContentBlock =
  | { readonly text: string }
  | { readonly image: ConverseImage }
  | { readonly toolUse: { readonly toolUseId: string; readonly name: string; readonly input: unknown } }
  | { readonly toolResult: { readonly toolUseId: string; readonly content: readonly ConverseToolResultContent[]; readonly status?: "success" | "error" } }
  | { readonly reasoningContent: ConverseReasoning }
  | { readonly cachePoint: { readonly type: "default" } };

export type ConverseSystemBlock = { readonly text: string } | { readonly cachePoint: { readonly type: "default" } };

export interface ConverseMessage {
  readonly role: ConverseRole;
  readonly content: readonly ConverseContentBlock[];
}

export type ConverseTool =
  | { readonly toolSpec: { readonly name: string; readonly description?: string; readonly inputSchema: { readonly json: unknown } } }
  | { readonly cachePoint: { readonly type: "default" } };

export type ConverseToolChoice = { readonly auto: Json } | { readonly any: Json } | { readonly tool: { readonly name: string } };

export interface ConverseRequestBody {
  messages: ConverseMessage[];
  system?: ConverseSystemBlock[];
  inferenceConfig?: { maxTokens?: number; temperature?: number; topP?: number; stopSequences?: string[] };
  toolConfig?: { tools: ConverseTool[]; toolChoice?: ConverseToolChoice };
  additionalModelRequestFields?: Json;
  additionalModelResponseFieldPaths?: string[];
}

/** Converse `stopReason` values (guardrail_intervened / content_filtered are safety stops). */
export type ConverseStopReason =
  | "end_turn" | "tool_use" | "max_tokens" | "stop_sequence" | "guardrail_intervened" | "content_filtered" | "model_context_window_exceeded";

export interface ConverseUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly totalTokens: number;
  readonly cacheReadInputTokens?: number;
  readonly cacheWriteInputTokens?: number;
}

/** Event names of ConverseStream (the `:event-type` header of an event frame). */
export type ConverseStreamEventType = "messageStart" | "contentBlockStart" | "contentBlockDelta" | "contentBlockStop" | "messageStop" | "metadata";

/**
 * Claude models on Bedrock: the model id, an inference profile ("us.anthropic.claude-…",
 * "global.anthropic.claude-…") or an ARN naming one. They take Anthropic's own fields
 * (thinking, top_k) in additionalModelRequestFields.
 */
export function isClaudeModel(modelId: string): boolean {
  return /(^|[.:/])anthropic\.claude/.test(modelId);
}

/** Amazon Nova models: reasoning and top-k go in their own additionalModelRequestFields shape. */
export function isNovaModel(modelId: string): boolean {
  return /(^|[.:/])amazon\.nova/.test(modelId);
}
