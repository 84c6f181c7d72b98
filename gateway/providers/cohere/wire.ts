// The Cohere v2 Chat wire format (POST /v2/chat), as far as the gateway speaks it. Shared by
// the converters in this folder and by the strict mock (gateway/testing/mock-cohere-upstream.ts).

export const COHERE_BASE_URL = "https://api.cohere.com";

/** Top-level fields of a v2 chat request. Cohere answers 400 "unknown field" to any other. */
export const COHERE_CHAT_FIELDS: ReadonlySet<string> = new Set([
  "model", "messages", "stream", "tools", "documents", "citation_options", "response_format", "safety_mode",
  "max_tokens", "stop_sequences", "temperature", "seed", "frequency_penalty", "presence_penalty", "k", "p",
  "logprobs", "tool_choice", "thinking", "strict_tools", "priority",
]);

/** Fields of each message role. */
export const COHERE_MESSAGE_FIELDS: Readonly<Record<string, ReadonlySet<string>>> = {
  system: new Set(["role", "content"]),
  user: new Set(["role", "content"]),
  assistant: new Set(["role", "content", "tool_plan", "tool_calls", "citations"]),
  tool: new Set(["role", "tool_call_id", "content"]),
};

/** Content part types each role may send. */
export const COHERE_CONTENT_TYPES: Readonly<Record<string, ReadonlySet<string>>> = {
  system: new Set(["text"]),
  user: new Set(["text", "image_url", "document"]),
  assistant: new Set(["text", "thinking"]),
  tool: new Set(["text", "document"]),
};

export type CohereFinishReason = "COMPLETE" | "STOP_SEQUENCE" | "MAX_TOKENS" | "TOOL_CALL" | "ERROR" | "TIMEOUT";

export type CohereContentPart =
  | { readonly type: "text"; readonly text: string }
  | { readonly type: "thinking"; readonly thinking: string }
  | { readonly type: "image_url"; readonly image_url: { readonly url: string; readonly detail?: string } };

export interface CohereToolCall {
  readonly id: string;
  readonly type: "function";
  readonly function: { readonly name: string; readonly arguments: string };
}

export type CohereMessage =
  | { readonly role: "system"; readonly content: string }
  | { readonly role: "user"; readonly content: string | readonly CohereContentPart[] }
  | { readonly role: "assistant"; readonly content?: readonly CohereContentPart[]; readonly tool_plan?: string; readonly tool_calls?: readonly CohereToolCall[] }
  | { readonly role: "tool"; readonly tool_call_id: string; readonly content: string };

export interface CohereChatBody {
  model: string;
  messages: CohereMessage[];
  stream?: boolean;
  tools?: Array<{ type: "function"; function: { name: string; description?: string; parameters: unknown } }>;
  tool_choice?: "REQUIRED" | "NONE";
  strict_tools?: boolean;
  max_tokens?: number;
  stop_sequences?: string[];
  temperature?: number;
  seed?: number;
  frequency_penalty?: number;
  presence_penalty?: number;
  k?: number;
  p?: number;
  thinking?: { type: "enabled" | "disabled"; token_budget?: number };
  response_format?: { type: "text" } | { type: "json_object"; json_schema?: unknown };
}

/** Stream event types of v2 chat (the SSE `event:` line, repeated as the data's `type`). */
export type CohereStreamEventType =
  | "message-start" | "content-start" | "content-delta" | "content-end" | "tool-plan-delta" | "tool-call-start"
  | "tool-call-delta" | "tool-call-end" | "citation-start" | "citation-end" | "message-end" | "debug";

/**
 * Models known not to reason (Command R, Command A 03-2025, Vision, Translate, Light): Cohere
 * answers 400 to `thinking` for them. Any other model — the reasoning ones
 * ("command-a-reasoning-08-2025") and those newer than this list — gets the parameter.
 */
export function cohereModelTakesThinking(model: string): boolean {
  return !/^(command-r|command-light|command-nightly|c4ai-|command-a-(03-2025|vision|translate))|^command$/i.test(model);
}
