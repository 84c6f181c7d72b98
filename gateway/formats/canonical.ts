// The canonical request / response / stream-event model (DESIGN "Formats and providers").
// Ingress codecs (gateway/ingress/<api>/) convert each client API to and from it; provider
// adapters (gateway/providers/<id>/) convert it to and from each upstream API: N + M
// converters instead of N × M. It is rich enough that nothing either side can express is
// lost on the way: thinking with its signature, redacted thinking, tool calls with their
// ids, cache_control marks, images, system prompts (also in the middle of a conversation).
//
// Conventions:
// - Plain data, JSON-serializable, no classes: converters are pure functions over it.
// - Field names are the gateway's own (camelCase); wire names live only in the converters.
// - Anything a client sent that has no canonical field is kept in `extensions[api]`, so a
//   passthrough-like translation back into the same family can restore it, and a
//   translation into another family can record it as dropped (param transformations).

/** Client-facing API families (ingress). */
export type ClientApi = "openai_chat" | "openai_responses" | "anthropic_messages" | "gemini";

/** Wire formats a provider adapter may speak upstream. */
export type WireApi = ClientApi | "bedrock_converse" | "cohere_chat";

/** Anthropic-style prompt-cache breakpoint; other families drop it (recorded). */
export interface CacheControl {
  readonly type: "ephemeral";
  readonly ttl?: string;
}

export interface TextBlock {
  readonly type: "text";
  readonly text: string;
  readonly cacheControl?: CacheControl;
}

export type ImageSource =
  | { readonly kind: "url"; readonly url: string }
  | { readonly kind: "base64"; readonly mediaType: string; readonly data: string };

export interface ImageBlock {
  readonly type: "image";
  readonly source: ImageSource;
  /** OpenAI `detail` (auto|low|high); other families ignore it. */
  readonly detail?: string;
  readonly cacheControl?: CacheControl;
}

export interface ToolUseBlock {
  readonly type: "tool_use";
  /** The id the *client* knows. Adapters that must rewrite ids (Mistral: 9 alphanumerics) map them both ways. */
  readonly id: string;
  readonly name: string;
  /** Parsed arguments. `inputJson` keeps the exact text when the model produced invalid JSON. */
  readonly input: unknown;
  readonly inputJson?: string;
  readonly cacheControl?: CacheControl;
}

export interface ToolResultBlock {
  readonly type: "tool_result";
  readonly toolUseId: string;
  readonly content: ReadonlyArray<TextBlock | ImageBlock>;
  readonly isError?: boolean;
  readonly cacheControl?: CacheControl;
}

export interface ThinkingBlock {
  readonly type: "thinking";
  readonly thinking: string;
  /** Anthropic signature (or another provider's opaque reasoning token); must round-trip unchanged. */
  readonly signature?: string;
}

export interface RedactedThinkingBlock {
  readonly type: "redacted_thinking";
  readonly data: string;
}

export type ContentBlock = TextBlock | ImageBlock | ToolUseBlock | ToolResultBlock | ThinkingBlock | RedactedThinkingBlock;

/**
 * A conversation turn. `system` turns appear where the client put them (a system message in
 * the middle of a conversation stays in the middle); providers that only accept a leading
 * system prompt get them merged by their adapter, which records it.
 */
export interface CanonicalMessage {
  readonly role: "system" | "user" | "assistant";
  readonly content: readonly ContentBlock[];
  /** OpenAI `name` on a message; dropped elsewhere. */
  readonly name?: string;
}

export interface CanonicalTool {
  readonly name: string;
  readonly description?: string;
  /** JSON Schema of the arguments. */
  readonly parameters: Readonly<Record<string, unknown>>;
  /** OpenAI `strict`. */
  readonly strict?: boolean;
  readonly cacheControl?: CacheControl;
}

export type ToolChoice =
  | { readonly type: "auto"; readonly disableParallel?: boolean }
  | { readonly type: "any"; readonly disableParallel?: boolean }
  | { readonly type: "none" }
  | { readonly type: "tool"; readonly name: string; readonly disableParallel?: boolean };

/** Effort levels, the union of what the families know (Anthropic output_config.effort, OpenAI reasoning_effort). */
export type ReasoningEffort = "none" | "minimal" | "low" | "medium" | "high" | "xhigh" | "max";

/**
 * What the client asked for about reasoning. Kept as asked; each adapter maps it through the
 * capability table of its model (gateway/providers/capabilities.ts) and records the change.
 */
export interface ReasoningRequest {
  /** Anthropic thinking: enabled (with budget), adaptive, or disabled. */
  readonly mode?: "enabled" | "adaptive" | "disabled";
  readonly budgetTokens?: number;
  readonly effort?: ReasoningEffort;
  /** OpenAI Responses `reasoning.summary`. */
  readonly summary?: string;
  /** Anthropic thinking.display ("summarized" | "omitted"), when sent. */
  readonly display?: string;
}

export type ResponseFormat =
  | { readonly type: "text" }
  | { readonly type: "json_object" }
  | { readonly type: "json_schema"; readonly name: string; readonly schema: Readonly<Record<string, unknown>>; readonly strict?: boolean; readonly description?: string };

export interface CanonicalRequest {
  /** The model as the client named it (routing replaces it per target). */
  readonly model: string;
  /** Leading system prompt blocks (Anthropic `system`, OpenAI leading system/developer messages). */
  readonly system: readonly TextBlock[];
  readonly messages: readonly CanonicalMessage[];
  readonly tools: readonly CanonicalTool[];
  readonly toolChoice?: ToolChoice;
  readonly maxTokens?: number;
  readonly temperature?: number;
  readonly topP?: number;
  readonly topK?: number;
  readonly stop?: readonly string[];
  readonly seed?: number;
  readonly presencePenalty?: number;
  readonly frequencyPenalty?: number;
  readonly reasoning?: ReasoningRequest;
  readonly responseFormat?: ResponseFormat;
  readonly stream: boolean;
  /**
   * The client asked for usage inside its stream (OpenAI chat `stream_options.include_usage`).
   * Honoured by the gateway's own encoder, never forwarded: adapters always ask their provider
   * for usage, because the gateway bills from it.
   */
  readonly streamUsage?: boolean;
  /** OpenAI `user` / Anthropic `metadata.user_id`. */
  readonly user?: string;
  /** Parameters of the client's family without a canonical field, by family. */
  readonly extensions: Readonly<Partial<Record<ClientApi, Readonly<Record<string, unknown>>>>>;
}

export type StopReason = "end_turn" | "max_tokens" | "stop_sequence" | "tool_use" | "content_filter" | "pause_turn" | "refusal" | "error";

/** Token counts, OpenAI semantics: `input` includes cached tokens, `reasoning` is part of `output`. */
export interface CanonicalUsage {
  readonly input: number;
  readonly output: number;
  readonly cacheRead: number;
  readonly cacheWrite: number;
  readonly reasoning: number;
}

export interface CanonicalResponse {
  /** Upstream id (or a gateway-made one); encoders add their family's prefix when missing. */
  readonly id: string;
  /** The model that answered, as the provider reported it. */
  readonly model: string;
  readonly content: readonly ContentBlock[];
  readonly stopReason: StopReason;
  readonly stopSequence?: string;
  readonly usage: CanonicalUsage;
  /** Unix seconds. */
  readonly created: number;
}

/**
 * Stream events. Blocks are opened, receive deltas and are closed, in index order; at most one
 * block is open at a time per index. `message_start` comes first, `message_stop` last
 * (after which nothing follows); `usage` may come any number of times (latest wins, fields
 * merge: a provider may report input at the start and output at the end).
 */
export type StreamBlockStart =
  | { readonly type: "text" }
  | { readonly type: "thinking" }
  | { readonly type: "redacted_thinking"; readonly data: string }
  | { readonly type: "tool_use"; readonly id: string; readonly name: string };

export type CanonicalStreamEvent =
  | { readonly type: "message_start"; readonly id: string; readonly model: string; readonly created: number }
  | { readonly type: "block_start"; readonly index: number; readonly block: StreamBlockStart }
  | { readonly type: "text_delta"; readonly index: number; readonly text: string }
  | { readonly type: "thinking_delta"; readonly index: number; readonly thinking: string }
  | { readonly type: "signature_delta"; readonly index: number; readonly signature: string }
  | { readonly type: "tool_args_delta"; readonly index: number; readonly partialJson: string }
  | { readonly type: "block_stop"; readonly index: number }
  | { readonly type: "usage"; readonly usage: Partial<CanonicalUsage> }
  | { readonly type: "message_stop"; readonly stopReason: StopReason; readonly stopSequence?: string }
  /** An error that arrived inside a 200 stream (or a transport failure after the first byte). */
  | { readonly type: "error"; readonly error: import("../errors").GatewayError };

export const ZERO_USAGE: CanonicalUsage = Object.freeze({ input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 });

export function mergeUsage(base: CanonicalUsage, update: Partial<CanonicalUsage>): CanonicalUsage {
  return {
    input: update.input ?? base.input,
    output: update.output ?? base.output,
    cacheRead: update.cacheRead ?? base.cacheRead,
    cacheWrite: update.cacheWrite ?? base.cacheWrite,
    reasoning: update.reasoning ?? base.reasoning,
  };
}

/** One value the gateway changed or dropped on the way to a provider (PRODUCT §3.3), for the log record. */
export interface ParamTransformation {
  /** Dotted path in the client's terms, e.g. "thinking", "output_config.effort", "messages[3].tool_calls[0].id". */
  readonly param: string;
  readonly action: "dropped" | "changed" | "renamed" | "merged";
  readonly from?: unknown;
  readonly to?: unknown;
  /** Why, in a few words ("mistral accepts reasoning_effort none|high"). */
  readonly reason: string;
}

/** Collects transformations while an adapter builds one upstream request. */
export interface TransformLog {
  record(change: ParamTransformation): void;
  readonly changes: readonly ParamTransformation[];
}

export function createTransformLog(): TransformLog {
  const changes: ParamTransformation[] = [];
  return {
    record(change) {
      changes.push(change);
    },
    get changes() {
      return changes;
    },
  };
}
