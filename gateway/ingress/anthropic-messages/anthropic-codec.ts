// Ingress codec for the Anthropic Messages API (PRODUCT §2): what the Anthropic SDKs and
// Claude Code send to /anthropic/v1/messages, to and from the canonical model. Streams are
// written with `event:` lines in the order clients rely on: message_start, then per block
// content_block_start → content_block_delta* → content_block_stop, then message_delta
// (stop reason + usage) and message_stop; an error after the first byte is an `error` event.
import { randomBytes } from "node:crypto";
import { GatewayError } from "../../errors";
import type {
  CacheControl,
  CanonicalMessage,
  CanonicalRequest,
  CanonicalResponse,
  CanonicalStreamEvent,
  CanonicalTool,
  CanonicalUsage,
  ContentBlock,
  ImageBlock,
  ReasoningEffort,
  ReasoningRequest,
  StopReason,
  TextBlock,
  ToolChoice,
} from "../../formats/canonical";
import { mergeUsage, ZERO_USAGE } from "../../formats/canonical";
import type { EncodedError, IngressCodec, OutgoingSseFrame, StreamEncoder } from "../types";

type Json = Record<string, unknown>;

/** Top-level fields of a Messages request. Others are rejected, as the Anthropic API does. */
const MESSAGE_FIELDS: ReadonlySet<string> = new Set([
  "model", "messages", "max_tokens", "system", "metadata", "stop_sequences", "stream", "temperature", "top_p", "top_k",
  "tools", "tool_choice", "thinking", "output_config", "service_tier", "container", "context_management", "mcp_servers",
]);
/** Accepted but without a canonical meaning: kept in extensions (adapters record them as dropped). */
const EXTENSION_FIELDS = ["service_tier", "container", "context_management", "mcp_servers"] as const;
const EFFORTS: ReadonlySet<string> = new Set(["low", "medium", "high", "max", "xhigh", "minimal", "none"]);

function invalid(message: string): GatewayError {
  return new GatewayError({ status: 400, type: "invalid_request_error", message, source: "gateway" });
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function cacheControlOf(raw: unknown, path: string): CacheControl | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isObject(raw) || raw.type !== "ephemeral") throw invalid(`${path}.cache_control: expected {"type":"ephemeral"}`);
  return { type: "ephemeral", ...(typeof raw.ttl === "string" ? { ttl: raw.ttl } : {}) };
}

function textBlock(raw: Json, path: string): TextBlock {
  if (typeof raw.text !== "string") throw invalid(`${path}.text: Field required`);
  const cacheControl = cacheControlOf(raw.cache_control, path);
  return { type: "text", text: raw.text, ...(cacheControl ? { cacheControl } : {}) };
}

function imageBlock(raw: Json, path: string): ImageBlock {
  const source = raw.source;
  if (!isObject(source)) throw invalid(`${path}.source: Field required`);
  const cacheControl = cacheControlOf(raw.cache_control, path);
  if (source.type === "base64" && typeof source.media_type === "string" && typeof source.data === "string") {
    return { type: "image", source: { kind: "base64", mediaType: source.media_type, data: source.data }, ...(cacheControl ? { cacheControl } : {}) };
  }
  if (source.type === "url" && typeof source.url === "string") return { type: "image", source: { kind: "url", url: source.url }, ...(cacheControl ? { cacheControl } : {}) };
  throw invalid(`${path}.source: expected a base64 or url image source`);
}

function contentBlocks(raw: unknown, path: string, role: "user" | "assistant"): ContentBlock[] {
  if (typeof raw === "string") return [{ type: "text", text: raw }];
  if (!Array.isArray(raw)) throw invalid(`${path}: Input should be a valid string or list of content blocks`);
  return raw.map((block, i): ContentBlock => {
    const at = `${path}.${i}`;
    if (!isObject(block) || typeof block.type !== "string") throw invalid(`${at}: Input should be a content block object with a type`);
    switch (block.type) {
      case "text":
        return textBlock(block, at);
      case "image":
        return imageBlock(block, at);
      case "tool_use": {
        if (typeof block.id !== "string" || typeof block.name !== "string") throw invalid(`${at}: tool_use needs id and name`);
        const cacheControl = cacheControlOf(block.cache_control, at);
        return { type: "tool_use", id: block.id, name: block.name, input: block.input ?? {}, ...(cacheControl ? { cacheControl } : {}) };
      }
      case "tool_result": {
        if (role !== "user") throw invalid(`${at}: tool_result blocks belong in user messages`);
        if (typeof block.tool_use_id !== "string") throw invalid(`${at}.tool_use_id: Field required`);
        const inner = block.content === undefined ? [] : contentBlocks(block.content, `${at}.content`, "user");
        const content = inner.filter((b): b is TextBlock | ImageBlock => b.type === "text" || b.type === "image");
        if (content.length !== inner.length) throw invalid(`${at}.content: a tool result holds text and image blocks only`);
        const cacheControl = cacheControlOf(block.cache_control, at);
        return { type: "tool_result", toolUseId: block.tool_use_id, content, ...(block.is_error === true ? { isError: true } : {}), ...(cacheControl ? { cacheControl } : {}) };
      }
      case "thinking":
        if (typeof block.thinking !== "string") throw invalid(`${at}.thinking: Field required`);
        return { type: "thinking", thinking: block.thinking, ...(typeof block.signature === "string" ? { signature: block.signature } : {}) };
      case "redacted_thinking":
        if (typeof block.data !== "string") throw invalid(`${at}.data: Field required`);
        return { type: "redacted_thinking", data: block.data };
      default:
        throw invalid(`${at}.type: content block type '${block.type}' is not supported through the gateway`);
    }
  });
}

function toolsOf(raw: unknown): CanonicalTool[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw invalid("tools: Input should be a valid list");
  return raw.map((tool, i) => {
    if (!isObject(tool)) throw invalid(`tools.${i}: Input should be an object`);
    if (tool.type !== undefined && tool.type !== "custom") throw invalid(`tools.${i}.type: server tool '${String(tool.type)}' is not supported through the gateway`);
    if (typeof tool.name !== "string" || tool.name === "") throw invalid(`tools.${i}.name: Field required`);
    if (!isObject(tool.input_schema)) throw invalid(`tools.${i}.input_schema: Field required`);
    const cacheControl = cacheControlOf(tool.cache_control, `tools.${i}`);
    return { name: tool.name, ...(typeof tool.description === "string" ? { description: tool.description } : {}), parameters: tool.input_schema, ...(cacheControl ? { cacheControl } : {}) };
  });
}

function toolChoiceOf(raw: unknown): ToolChoice | undefined {
  if (raw === undefined) return undefined;
  if (!isObject(raw)) throw invalid("tool_choice: Input should be an object");
  const disableParallel = raw.disable_parallel_tool_use === true ? { disableParallel: true } : {};
  switch (raw.type) {
    case "auto":
      return { type: "auto", ...disableParallel };
    case "any":
      return { type: "any", ...disableParallel };
    case "none":
      return { type: "none" };
    case "tool":
      if (typeof raw.name !== "string") throw invalid("tool_choice.name: Field required");
      return { type: "tool", name: raw.name, ...disableParallel };
    default:
      throw invalid("tool_choice.type: expected auto, any, tool or none");
  }
}

function reasoningOf(thinking: unknown, outputConfig: unknown): ReasoningRequest | undefined {
  let reasoning: { -readonly [K in keyof ReasoningRequest]: ReasoningRequest[K] } | undefined;
  if (thinking !== undefined) {
    if (!isObject(thinking)) throw invalid("thinking: Input should be an object");
    if (thinking.type === "enabled") {
      if (typeof thinking.budget_tokens !== "number" || thinking.budget_tokens < 1) throw invalid("thinking.budget_tokens: Field required when thinking is enabled");
      reasoning = { mode: "enabled", budgetTokens: thinking.budget_tokens };
    } else if (thinking.type === "adaptive") reasoning = { mode: "adaptive" };
    else if (thinking.type === "disabled") reasoning = { mode: "disabled" };
    else throw invalid("thinking.type: expected enabled, adaptive or disabled");
    if (typeof thinking.display === "string") reasoning.display = thinking.display;
  }
  if (outputConfig !== undefined) {
    if (!isObject(outputConfig)) throw invalid("output_config: Input should be an object");
    if (outputConfig.effort !== undefined) {
      if (typeof outputConfig.effort !== "string" || !EFFORTS.has(outputConfig.effort)) throw invalid("output_config.effort: expected low, medium, high or max");
      reasoning = { ...reasoning, effort: outputConfig.effort as ReasoningEffort };
    }
  }
  return reasoning;
}

function num(value: unknown, path: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value)) throw invalid(`${path}: Input should be a valid number`);
  return value;
}

export function decodeAnthropicRequest(body: Json): CanonicalRequest {
  for (const field of Object.keys(body)) if (!MESSAGE_FIELDS.has(field)) throw invalid(`${field}: Extra inputs are not permitted`);
  if (typeof body.model !== "string" || body.model === "") throw invalid("model: Field required");
  if (typeof body.max_tokens !== "number" || !Number.isInteger(body.max_tokens) || body.max_tokens < 1) throw invalid("max_tokens: Field required (a positive integer)");
  if (!Array.isArray(body.messages) || body.messages.length === 0) throw invalid("messages: Field required (at least one message)");
  const messages: CanonicalMessage[] = body.messages.map((message, i) => {
    if (!isObject(message)) throw invalid(`messages.${i}: Input should be an object`);
    // Mid-conversation system messages (Claude Code sends them, beta mid-conversation-system): kept in place.
    if (message.role === "system") {
      const content = contentBlocks(message.content, `messages.${i}.content`, "user");
      if (content.some((b) => b.type !== "text")) throw invalid(`messages.${i}.content: a system message holds text blocks only`);
      return { role: "system", content };
    }
    if (message.role !== "user" && message.role !== "assistant") throw invalid(`messages.${i}.role: Input should be 'user', 'assistant' or 'system'`);
    return { role: message.role, content: contentBlocks(message.content, `messages.${i}.content`, message.role) };
  });
  let system: TextBlock[] = [];
  if (typeof body.system === "string") system = body.system === "" ? [] : [{ type: "text", text: body.system }];
  else if (Array.isArray(body.system)) {
    system = body.system.map((b, i) => {
      if (!isObject(b) || b.type !== "text") throw invalid(`system.${i}: system blocks must be text blocks`);
      return textBlock(b, `system.${i}`);
    });
  } else if (body.system !== undefined) throw invalid("system: Input should be a valid string or list of text blocks");
  if (body.stream !== undefined && typeof body.stream !== "boolean") throw invalid("stream: Input should be a valid boolean");
  if (body.stop_sequences !== undefined && (!Array.isArray(body.stop_sequences) || body.stop_sequences.some((s) => typeof s !== "string"))) throw invalid("stop_sequences: Input should be a list of strings");
  const metadata = isObject(body.metadata) ? body.metadata : undefined;
  const extensions: Json = {};
  for (const field of EXTENSION_FIELDS) if (body[field] !== undefined) extensions[field] = body[field];
  if (isObject(body.output_config)) for (const [k, v] of Object.entries(body.output_config)) if (k !== "effort") extensions[`output_config.${k}`] = v;
  const reasoning = reasoningOf(body.thinking, body.output_config);
  const toolChoice = toolChoiceOf(body.tool_choice);
  const temperature = num(body.temperature, "temperature");
  const topP = num(body.top_p, "top_p");
  const topK = num(body.top_k, "top_k");
  return {
    model: body.model,
    system,
    messages,
    tools: toolsOf(body.tools),
    ...(toolChoice ? { toolChoice } : {}),
    maxTokens: body.max_tokens,
    ...(temperature === undefined ? {} : { temperature }),
    ...(topP === undefined ? {} : { topP }),
    ...(topK === undefined ? {} : { topK }),
    ...(Array.isArray(body.stop_sequences) && body.stop_sequences.length > 0 ? { stop: body.stop_sequences as string[] } : {}),
    ...(reasoning ? { reasoning } : {}),
    stream: body.stream === true,
    ...(typeof metadata?.user_id === "string" ? { user: metadata.user_id } : {}),
    extensions: Object.keys(extensions).length > 0 ? { anthropic_messages: extensions } : {},
  };
}

function messageId(id: string): string {
  return id.startsWith("msg_") ? id : `msg_${id.replace(/[^A-Za-z0-9]/g, "").slice(0, 24) || randomBytes(12).toString("hex")}`;
}

function stopReasonOut(reason: StopReason): string {
  switch (reason) {
    case "max_tokens":
    case "stop_sequence":
    case "tool_use":
    case "pause_turn":
    case "refusal":
      return reason;
    case "content_filter":
      return "refusal";
    default:
      return "end_turn";
  }
}

/** Canonical usage has OpenAI semantics (input includes cached); Anthropic counts them apart. */
function usageOut(usage: CanonicalUsage): Json {
  return {
    input_tokens: Math.max(0, usage.input - usage.cacheRead - usage.cacheWrite),
    output_tokens: usage.output,
    cache_read_input_tokens: usage.cacheRead,
    cache_creation_input_tokens: usage.cacheWrite,
  };
}

function blockOut(block: ContentBlock): Json | null {
  switch (block.type) {
    case "text":
      return { type: "text", text: block.text };
    case "thinking":
      return { type: "thinking", thinking: block.thinking, signature: block.signature ?? "" };
    case "redacted_thinking":
      return { type: "redacted_thinking", data: block.data };
    case "tool_use":
      return { type: "tool_use", id: block.id, name: block.name, input: block.input ?? {} };
    default:
      return null;
  }
}

const ERROR_TYPES: Readonly<Record<number, string>> = {
  400: "invalid_request_error",
  401: "authentication_error",
  402: "billing_error",
  403: "permission_error",
  404: "not_found_error",
  413: "request_too_large",
  429: "rate_limit_error",
  529: "overloaded_error",
};

function anthropicErrorType(error: GatewayError): string {
  return ERROR_TYPES[error.status] ?? (error.status >= 500 ? "api_error" : "invalid_request_error");
}

function errorBody(error: GatewayError): Json {
  // Upstream failures say so in the message (clients show it), and in x-switchyard-error-source.
  const message = error.source === "upstream" && error.provider ? `${error.message} (upstream: ${error.provider})` : error.message;
  return { type: "error", error: { type: anthropicErrorType(error), message } };
}

function frame(event: string, data: Json): OutgoingSseFrame {
  return { event, data: JSON.stringify({ type: event, ...data }) };
}

function createAnthropicStreamEncoder(model: string): StreamEncoder {
  let usage: CanonicalUsage = ZERO_USAGE;
  let started = false;
  let stopped = false;
  let nextIndex = 0;
  const clientIndex = new Map<number, number>();
  const openBlocks = new Set<number>();

  const start = (id: string): OutgoingSseFrame =>
    frame("message_start", {
      message: { id: messageId(id || randomBytes(12).toString("hex")), type: "message", role: "assistant", model, content: [], stop_reason: null, stop_sequence: null, usage: usageOut(usage) },
    });

  return {
    encode(event: CanonicalStreamEvent): OutgoingSseFrame[] {
      if (stopped) return [];
      const out: OutgoingSseFrame[] = [];
      if (!started && event.type !== "message_start" && event.type !== "error") {
        started = true;
        out.push(start(""));
      }
      switch (event.type) {
        case "message_start":
          if (!started) {
            started = true;
            out.push(start(event.id));
          }
          break;
        case "block_start": {
          const index = nextIndex++;
          clientIndex.set(event.index, index);
          openBlocks.add(index);
          const b = event.block;
          const contentBlock =
            b.type === "text" ? { type: "text", text: "" }
            : b.type === "thinking" ? { type: "thinking", thinking: "", signature: "" }
            : b.type === "redacted_thinking" ? { type: "redacted_thinking", data: b.data }
            : { type: "tool_use", id: b.id, name: b.name, input: {} };
          out.push(frame("content_block_start", { index, content_block: contentBlock }));
          break;
        }
        case "text_delta":
          out.push(frame("content_block_delta", { index: clientIndex.get(event.index) ?? 0, delta: { type: "text_delta", text: event.text } }));
          break;
        case "thinking_delta":
          out.push(frame("content_block_delta", { index: clientIndex.get(event.index) ?? 0, delta: { type: "thinking_delta", thinking: event.thinking } }));
          break;
        case "signature_delta":
          out.push(frame("content_block_delta", { index: clientIndex.get(event.index) ?? 0, delta: { type: "signature_delta", signature: event.signature } }));
          break;
        case "tool_args_delta":
          out.push(frame("content_block_delta", { index: clientIndex.get(event.index) ?? 0, delta: { type: "input_json_delta", partial_json: event.partialJson } }));
          break;
        case "block_stop": {
          const index = clientIndex.get(event.index);
          if (index !== undefined && openBlocks.delete(index)) out.push(frame("content_block_stop", { index }));
          break;
        }
        case "usage":
          usage = mergeUsage(usage, event.usage);
          break;
        case "message_stop":
          for (const index of openBlocks) out.push(frame("content_block_stop", { index }));
          openBlocks.clear();
          out.push(frame("message_delta", { delta: { stop_reason: stopReasonOut(event.stopReason), stop_sequence: event.stopSequence ?? null }, usage: usageOut(usage) }));
          out.push(frame("message_stop", {}));
          stopped = true;
          break;
        case "error":
          out.push(frame("error", { error: errorBody(event.error).error as Json }));
          stopped = true;
          break;
      }
      return out;
    },
    finish(): OutgoingSseFrame[] {
      if (stopped) return [];
      stopped = true;
      return [frame("error", { error: { type: "api_error", message: "The upstream stream ended before the message was complete." } })];
    },
  };
}

export const anthropicMessagesCodec: IngressCodec = {
  api: "anthropic_messages",
  decodeRequest: (body) => decodeAnthropicRequest(body),
  encodeResponse(response: CanonicalResponse, model: string): unknown {
    return {
      id: messageId(response.id),
      type: "message",
      role: "assistant",
      model,
      content: response.content.map(blockOut).filter((b): b is Json => b !== null),
      stop_reason: stopReasonOut(response.stopReason),
      stop_sequence: response.stopSequence ?? null,
      usage: usageOut(response.usage),
    };
  },
  createStreamEncoder: createAnthropicStreamEncoder,
  encodeError(error: GatewayError): EncodedError {
    return { status: error.status, body: errorBody(error), headers: { "x-switchyard-error-source": error.source } };
  },
  encodeStreamError(error: GatewayError): OutgoingSseFrame[] {
    return [frame("error", { error: errorBody(error).error as Json })];
  },
};
