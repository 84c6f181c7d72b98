// OpenAI Chat Completions request body → canonical request, for chat clients routed to a
// provider of another family (Anthropic, Gemini, Bedrock, Cohere). Validation is as strict as
// OpenAI's own: an unknown field, a wrong type or a missing value is a 400 naming the
// parameter (`messages[2].tool_call_id`), never a TypeError and never silently ignored.
// Fields OpenAI knows but the canonical model has no place for go to `extensions.openai_chat`,
// so the adapter that cannot send them records them as dropped.
import { GatewayError } from "../../errors";
import type {
  CacheControl,
  CanonicalMessage,
  CanonicalRequest,
  CanonicalTool,
  ContentBlock,
  ImageBlock,
  ReasoningEffort,
  ResponseFormat,
  TextBlock,
  ToolChoice,
  ToolResultBlock,
  ToolUseBlock,
} from "../../formats/canonical";
import { imageSourceOf, isObject, parseToolArguments } from "./openai-chat-wire";

type Json = Record<string, unknown>;

/** Every top-level field of ChatCompletionCreateParams (openai-node 6.x); anything else is a 400, as on OpenAI. */
const REQUEST_FIELDS: ReadonlySet<string> = new Set([
  "model", "messages", "audio", "frequency_penalty", "function_call", "functions", "logit_bias", "logprobs",
  "max_completion_tokens", "max_tokens", "metadata", "modalities", "moderation", "n", "parallel_tool_calls",
  "prediction", "presence_penalty", "prompt_cache_key", "prompt_cache_options", "prompt_cache_retention",
  "reasoning_effort", "response_format", "safety_identifier", "seed", "service_tier", "stop", "store", "stream",
  "stream_options", "temperature", "tool_choice", "tools", "top_logprobs", "top_p", "user", "verbosity",
  "web_search_options",
]);

type Check = "boolean" | "integer" | "string" | "object" | "array";

/**
 * Accepted without a canonical meaning: kept in extensions (adapters record them as dropped).
 * `stream_options` is type-checked here too, but becomes the canonical `streamUsage`.
 */
const EXTENSION_FIELDS: Readonly<Record<string, Check>> = {
  audio: "object",
  logit_bias: "object",
  logprobs: "boolean",
  metadata: "object",
  modalities: "array",
  moderation: "object",
  prediction: "object",
  prompt_cache_key: "string",
  prompt_cache_options: "object",
  prompt_cache_retention: "string",
  safety_identifier: "string",
  service_tier: "string",
  store: "boolean",
  stream_options: "object",
  top_logprobs: "integer",
  verbosity: "string",
  web_search_options: "object",
};

const EFFORTS: ReadonlySet<string> = new Set(["none", "minimal", "low", "medium", "high", "xhigh", "max"]);
const IMAGE_DETAILS: ReadonlySet<string> = new Set(["auto", "low", "high"]);

/** Fields each message role may carry. The OpenAI SDK echoes `refusal`, `annotations` (and `audio: null`) back on assistant turns. */
const MESSAGE_FIELDS: Readonly<Record<string, ReadonlySet<string>>> = {
  system: new Set(["role", "content", "name"]),
  developer: new Set(["role", "content", "name"]),
  user: new Set(["role", "content", "name"]),
  // `reasoning_content` / `thinking_blocks`: what this gateway (and DeepSeek, LiteLLM) put on assistant messages; clients echo them.
  assistant: new Set(["role", "content", "name", "refusal", "annotations", "audio", "tool_calls", "function_call", "reasoning_content", "thinking_blocks"]),
  // LangChain sends `name` on tool messages; OpenAI tolerates it.
  tool: new Set(["role", "content", "tool_call_id", "name"]),
  function: new Set(["role", "content", "name"]),
};

// ── errors, in OpenAI's wording and codes ────────────────────────────────────────────────

function badRequest(param: string, code: string, message: string): GatewayError {
  return new GatewayError({ status: 400, type: "invalid_request_error", code, param, message, source: "gateway" });
}

const missing = (param: string) => badRequest(param, "missing_required_parameter", `Missing required parameter: '${param}'.`);
const wrongType = (param: string, expected: string) => badRequest(param, "invalid_type", `Invalid type for '${param}': expected ${expected}.`);
const badValue = (param: string, why: string) => badRequest(param, "invalid_value", `Invalid value for '${param}': ${why}`);
const unknownField = (param: string) => badRequest(param, "unknown_parameter", `Unrecognized request argument supplied: ${param}`);
const unsupported = (param: string, why: string) => badRequest(param, "unsupported_parameter", `'${param}' is not supported through the gateway: ${why}`);

function onlyFields(raw: Json, allowed: ReadonlySet<string>, path: string): void {
  for (const key of Object.keys(raw)) if (!allowed.has(key)) throw unknownField(path === "" ? key : `${path}.${key}`);
}

// ── scalars ──────────────────────────────────────────────────────────────────────────────

/** OpenAI treats `null` as "not sent" for every optional parameter; so does the gateway. */
function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function numberIn(value: unknown, param: string, min: number, max: number): number | undefined {
  if (!present(value)) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value)) throw wrongType(param, "a number");
  if (value < min || value > max) throw badValue(param, `expected a value between ${min} and ${max}, but got ${value} instead.`);
  return value;
}

function integer(value: unknown, param: string, min = Number.MIN_SAFE_INTEGER): number | undefined {
  if (!present(value)) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value)) throw wrongType(param, "an integer");
  if (value < min) throw badValue(param, `expected a value >= ${min}, but got ${value} instead.`);
  return value;
}

function checkType(value: unknown, check: Check, param: string): void {
  const ok =
    check === "boolean" ? typeof value === "boolean"
    : check === "integer" ? typeof value === "number" && Number.isInteger(value)
    : check === "string" ? typeof value === "string"
    : check === "object" ? isObject(value)
    : Array.isArray(value);
  if (!ok) throw wrongType(param, check === "integer" ? "an integer" : check === "array" ? "an array" : check === "object" ? "an object" : `a ${check}`);
}

function optionalString(value: unknown, param: string): string | undefined {
  if (!present(value)) return undefined;
  if (typeof value !== "string") throw wrongType(param, "a string");
  return value;
}

// ── content ──────────────────────────────────────────────────────────────────────────────

/**
 * A prompt-cache mark on a content part: OpenAI's `prompt_cache_breakpoint: {mode:"explicit"}`,
 * or Anthropic's `cache_control` as OpenRouter and LiteLLM clients send it on chat parts
 * (the reason to accept it: such clients route to Claude and expect their breakpoints kept).
 */
function cacheMarkOf(part: Json, path: string): CacheControl | undefined {
  const control = part.cache_control;
  if (present(control)) {
    if (!isObject(control) || control.type !== "ephemeral") throw badValue(`${path}.cache_control`, `expected {"type": "ephemeral"}.`);
    onlyFields(control, new Set(["type", "ttl"]), `${path}.cache_control`);
    const ttl = optionalString(control.ttl, `${path}.cache_control.ttl`);
    return { type: "ephemeral", ...(ttl === undefined ? {} : { ttl }) };
  }
  const breakpoint = part.prompt_cache_breakpoint;
  if (present(breakpoint)) {
    if (!isObject(breakpoint) || breakpoint.mode !== "explicit") throw badValue(`${path}.prompt_cache_breakpoint`, `expected {"mode": "explicit"}.`);
    onlyFields(breakpoint, new Set(["mode"]), `${path}.prompt_cache_breakpoint`);
    return { type: "ephemeral" };
  }
  return undefined;
}

function withCache<T extends object>(block: T, cacheControl: CacheControl | undefined): T {
  return cacheControl ? { ...block, cacheControl } : block;
}

const TEXT_PART_FIELDS: ReadonlySet<string> = new Set(["type", "text", "cache_control", "prompt_cache_breakpoint"]);
const IMAGE_PART_FIELDS: ReadonlySet<string> = new Set(["type", "image_url", "cache_control", "prompt_cache_breakpoint"]);

function textPart(part: Json, path: string): TextBlock {
  onlyFields(part, TEXT_PART_FIELDS, path);
  if (typeof part.text !== "string") throw part.text === undefined ? missing(`${path}.text`) : wrongType(`${path}.text`, "a string");
  return withCache<TextBlock>({ type: "text", text: part.text }, cacheMarkOf(part, path));
}

function imagePart(part: Json, path: string): ImageBlock {
  onlyFields(part, IMAGE_PART_FIELDS, path);
  const image = part.image_url;
  if (!isObject(image)) throw image === undefined ? missing(`${path}.image_url`) : wrongType(`${path}.image_url`, "an object");
  onlyFields(image, new Set(["url", "detail"]), `${path}.image_url`);
  if (typeof image.url !== "string" || image.url === "") throw missing(`${path}.image_url.url`);
  const detail = optionalString(image.detail, `${path}.image_url.detail`);
  if (detail !== undefined && !IMAGE_DETAILS.has(detail)) throw badValue(`${path}.image_url.detail`, "expected 'auto', 'low' or 'high'.");
  return withCache<ImageBlock>({ type: "image", source: imageSourceOf(image.url), ...(detail === undefined ? {} : { detail }) }, cacheMarkOf(part, path));
}

function partsArray(content: unknown, path: string): Json[] {
  if (!Array.isArray(content)) throw wrongType(path, "a string or an array of content parts");
  if (content.length === 0) throw badValue(path, "empty array. Expected an array with minimum length 1.");
  return content.map((part, i) => {
    if (!isObject(part)) throw wrongType(`${path}[${i}]`, "an object");
    if (typeof part.type !== "string") throw missing(`${path}[${i}].type`);
    return part;
  });
}

/** System, developer and tool messages: a string or text parts only. */
function textContent(content: unknown, path: string): TextBlock[] {
  if (content === undefined || content === null) throw missing(path);
  if (typeof content === "string") return [{ type: "text", text: content }];
  return partsArray(content, path).map((part, i) => {
    if (part.type !== "text") throw badValue(`${path}[${i}].type`, `expected 'text', but got '${String(part.type)}'.`);
    return textPart(part, `${path}[${i}]`);
  });
}

function userContent(content: unknown, path: string): Array<TextBlock | ImageBlock> {
  if (content === undefined || content === null) throw missing(path);
  if (typeof content === "string") return [{ type: "text", text: content }];
  return partsArray(content, path).map((part, i) => {
    const at = `${path}[${i}]`;
    switch (part.type) {
      case "text":
        return textPart(part, at);
      case "image_url":
        return imagePart(part, at);
      // Dropping audio or a file would answer a different question than the one asked.
      case "input_audio":
        throw unsupported(`${at}.type`, "audio input cannot be translated for this provider.");
      case "file":
        throw unsupported(`${at}.type`, "file parts cannot be translated for this provider.");
      default:
        throw badValue(`${at}.type`, `expected 'text', 'image_url', 'input_audio' or 'file', but got '${String(part.type)}'.`);
    }
  });
}

// ── messages ─────────────────────────────────────────────────────────────────────────────

function toolCallOf(call: unknown, path: string): ToolUseBlock {
  if (!isObject(call)) throw wrongType(path, "an object");
  if (call.type === "custom") throw unsupported(`${path}.type`, "custom tools cannot be translated for this provider.");
  onlyFields(call, new Set(["id", "type", "function"]), path);
  if (present(call.type) && call.type !== "function") throw badValue(`${path}.type`, "expected 'function'.");
  if (typeof call.id !== "string" || call.id === "") throw missing(`${path}.id`);
  const fn = call.function;
  if (!isObject(fn)) throw fn === undefined ? missing(`${path}.function`) : wrongType(`${path}.function`, "an object");
  onlyFields(fn, new Set(["name", "arguments"]), `${path}.function`);
  if (typeof fn.name !== "string" || fn.name === "") throw missing(`${path}.function.name`);
  if (typeof fn.arguments !== "string") throw fn.arguments === undefined ? missing(`${path}.function.arguments`) : wrongType(`${path}.function.arguments`, "a string");
  return { type: "tool_use", id: call.id, name: fn.name, ...parseToolArguments(fn.arguments) };
}

/** Reasoning a client echoes back: LiteLLM-style `thinking_blocks` (with signatures) win over plain `reasoning_content`. */
function echoedThinking(message: Json, path: string): ContentBlock[] {
  if (present(message.thinking_blocks)) {
    if (!Array.isArray(message.thinking_blocks)) throw wrongType(`${path}.thinking_blocks`, "an array");
    return message.thinking_blocks.map((block, i): ContentBlock => {
      const at = `${path}.thinking_blocks[${i}]`;
      if (!isObject(block)) throw wrongType(at, "an object");
      if (block.type === "thinking") {
        onlyFields(block, new Set(["type", "thinking", "signature"]), at);
        if (typeof block.thinking !== "string") throw missing(`${at}.thinking`);
        const signature = optionalString(block.signature, `${at}.signature`);
        return { type: "thinking", thinking: block.thinking, ...(signature === undefined ? {} : { signature }) };
      }
      if (block.type === "redacted_thinking") {
        onlyFields(block, new Set(["type", "data"]), at);
        if (typeof block.data !== "string") throw missing(`${at}.data`);
        return { type: "redacted_thinking", data: block.data };
      }
      throw badValue(`${at}.type`, "expected 'thinking' or 'redacted_thinking'.");
    });
  }
  const reasoning = optionalString(message.reasoning_content, `${path}.reasoning_content`);
  return reasoning ? [{ type: "thinking", thinking: reasoning }] : [];
}

function assistantMessage(message: Json, path: string, name: string | undefined, legacyCallId: string): CanonicalMessage {
  const blocks: ContentBlock[] = echoedThinking(message, path);
  const content = message.content;
  if (typeof content === "string") {
    if (content !== "") blocks.push({ type: "text", text: content });
  } else if (Array.isArray(content)) {
    partsArray(content, `${path}.content`).forEach((part, i) => {
      const at = `${path}.content[${i}]`;
      if (part.type === "text") blocks.push(textPart(part, at));
      else if (part.type === "refusal") {
        onlyFields(part, new Set(["type", "refusal"]), at);
        if (typeof part.refusal !== "string") throw missing(`${at}.refusal`);
        blocks.push({ type: "text", text: part.refusal });
      } else throw badValue(`${at}.type`, `expected 'text' or 'refusal', but got '${String(part.type)}'.`);
    });
  } else if (present(content)) throw wrongType(`${path}.content`, "a string, an array of content parts or null");
  // A refusal is what the assistant said: other providers see it as its text.
  const refusal = optionalString(message.refusal, `${path}.refusal`);
  if (refusal && !blocks.some((b) => b.type === "text")) blocks.push({ type: "text", text: refusal });
  if (present(message.annotations) && !Array.isArray(message.annotations)) throw wrongType(`${path}.annotations`, "an array");
  if (present(message.audio)) throw unsupported(`${path}.audio`, "earlier audio answers cannot be translated for this provider.");
  if (present(message.tool_calls)) {
    if (!Array.isArray(message.tool_calls)) throw wrongType(`${path}.tool_calls`, "an array");
    message.tool_calls.forEach((call, i) => blocks.push(toolCallOf(call, `${path}.tool_calls[${i}]`)));
  }
  if (present(message.function_call)) {
    // Legacy function calling has no ids; a stable one per message pairs it with the `function` reply.
    const fn = message.function_call;
    if (!isObject(fn)) throw wrongType(`${path}.function_call`, "an object");
    onlyFields(fn, new Set(["name", "arguments"]), `${path}.function_call`);
    if (typeof fn.name !== "string" || fn.name === "") throw missing(`${path}.function_call.name`);
    if (typeof fn.arguments !== "string") throw missing(`${path}.function_call.arguments`);
    blocks.push({ type: "tool_use", id: legacyCallId, name: fn.name, ...parseToolArguments(fn.arguments) });
  }
  if (!blocks.some((b) => b.type !== "thinking" && b.type !== "redacted_thinking")) {
    // `content: ""` is a valid (empty) answer on OpenAI; `null` without tool calls is not.
    if (typeof content !== "string") throw badValue(`${path}.content`, "an assistant message needs content or tool_calls.");
    blocks.push({ type: "text", text: "" });
  }
  return { role: "assistant", content: blocks, ...(name === undefined ? {} : { name }) };
}

interface DecodedMessages {
  system: TextBlock[];
  messages: CanonicalMessage[];
}

function decodeMessages(raw: unknown): DecodedMessages {
  if (raw === undefined || raw === null) throw missing("messages");
  if (!Array.isArray(raw)) throw wrongType("messages", "an array");
  if (raw.length === 0) throw badValue("messages", "empty array. Expected an array with minimum length 1.");
  const system: TextBlock[] = [];
  const messages: CanonicalMessage[] = [];
  // Consecutive tool results answer one assistant turn: they become one user turn, in order.
  let toolTurn: ToolResultBlock[] | null = null;
  let pendingLegacyCall: string | null = null;
  const addToolResult = (block: ToolResultBlock) => {
    if (toolTurn) toolTurn.push(block);
    else {
      toolTurn = [block];
      messages.push({ role: "user", content: toolTurn });
    }
  };

  raw.forEach((message, i) => {
    const path = `messages[${i}]`;
    if (!isObject(message)) throw wrongType(path, "an object");
    if (message.role === undefined) throw missing(`${path}.role`);
    const allowed = typeof message.role === "string" ? MESSAGE_FIELDS[message.role] : undefined;
    if (!allowed) throw badValue(`${path}.role`, "expected one of 'system', 'developer', 'user', 'assistant', 'tool' or 'function'.");
    onlyFields(message, allowed, path);
    const name = optionalString(message.name, `${path}.name`);
    const isToolReply = message.role === "tool" || message.role === "function";
    if (!isToolReply) toolTurn = null;

    switch (message.role) {
      case "system":
      case "developer": {
        const content = textContent(message.content, `${path}.content`);
        // Leading ones are the system prompt; later ones stay where the client put them.
        if (messages.length === 0) system.push(...content);
        else messages.push({ role: "system", content, ...(name === undefined ? {} : { name }) });
        break;
      }
      case "user":
        messages.push({ role: "user", content: userContent(message.content, `${path}.content`), ...(name === undefined ? {} : { name }) });
        break;
      case "assistant": {
        const legacyId = `call_legacy_${i}`;
        const turn = assistantMessage(message, path, name, legacyId);
        pendingLegacyCall = present(message.function_call) ? legacyId : null;
        messages.push(turn);
        break;
      }
      case "tool": {
        if (typeof message.tool_call_id !== "string" || message.tool_call_id === "") throw missing(`${path}.tool_call_id`);
        addToolResult({ type: "tool_result", toolUseId: message.tool_call_id, content: textContent(message.content, `${path}.content`) });
        break;
      }
      case "function": {
        if (name === undefined || name === "") throw missing(`${path}.name`);
        if (pendingLegacyCall === null) throw badValue(`${path}.role`, "a function message must follow an assistant message with a function_call.");
        if (present(message.content) && typeof message.content !== "string") throw wrongType(`${path}.content`, "a string or null");
        const text = typeof message.content === "string" ? message.content : "";
        addToolResult({ type: "tool_result", toolUseId: pendingLegacyCall, content: [{ type: "text", text }] });
        pendingLegacyCall = null;
        break;
      }
    }
  });
  return { system, messages };
}

// ── tools and parameters ─────────────────────────────────────────────────────────────────

/** A function without `parameters` takes none (OpenAI's rule); other families require a schema. */
const NO_PARAMETERS: Readonly<Record<string, unknown>> = Object.freeze({ type: "object", properties: {} });

function decodeTools(raw: unknown): CanonicalTool[] {
  if (!present(raw)) return [];
  if (!Array.isArray(raw)) throw wrongType("tools", "an array");
  return raw.map((tool, i) => {
    const path = `tools[${i}]`;
    if (!isObject(tool)) throw wrongType(path, "an object");
    if (tool.type === "custom") throw unsupported(`${path}.type`, "custom (free-form) tools cannot be translated for this provider.");
    if (tool.type !== "function") throw tool.type === undefined ? missing(`${path}.type`) : badValue(`${path}.type`, "expected 'function'.");
    onlyFields(tool, new Set(["type", "function"]), path);
    const fn = tool.function;
    if (!isObject(fn)) throw fn === undefined ? missing(`${path}.function`) : wrongType(`${path}.function`, "an object");
    onlyFields(fn, new Set(["name", "description", "parameters", "strict"]), `${path}.function`);
    if (typeof fn.name !== "string" || fn.name === "") throw missing(`${path}.function.name`);
    const description = optionalString(fn.description, `${path}.function.description`);
    if (present(fn.parameters) && !isObject(fn.parameters)) throw wrongType(`${path}.function.parameters`, "an object");
    if (present(fn.strict) && typeof fn.strict !== "boolean") throw wrongType(`${path}.function.strict`, "a boolean");
    return {
      name: fn.name,
      ...(description === undefined ? {} : { description }),
      parameters: isObject(fn.parameters) ? fn.parameters : NO_PARAMETERS,
      ...(typeof fn.strict === "boolean" ? { strict: fn.strict } : {}),
    };
  });
}

function decodeToolChoice(raw: unknown, parallel: unknown, hasTools: boolean): ToolChoice | undefined {
  if (present(parallel) && typeof parallel !== "boolean") throw wrongType("parallel_tool_calls", "a boolean");
  // Only `false` changes anything (parallel calls are the default), and only when there are tools to call.
  const disableParallel = parallel === false && hasTools ? { disableParallel: true } : {};
  if (!present(raw)) return parallel === false && hasTools ? { type: "auto", disableParallel: true } : undefined;
  if (raw === "none") return { type: "none" };
  if (raw === "auto") return { type: "auto", ...disableParallel };
  if (raw === "required") return { type: "any", ...disableParallel };
  if (typeof raw === "string") throw badValue("tool_choice", "expected 'none', 'auto', 'required' or a named function.");
  if (!isObject(raw)) throw wrongType("tool_choice", "a string or an object");
  if (raw.type === "allowed_tools" || raw.type === "custom") throw unsupported("tool_choice.type", `'${raw.type}' cannot be translated for this provider.`);
  if (raw.type !== "function") throw badValue("tool_choice.type", "expected 'function'.");
  onlyFields(raw, new Set(["type", "function"]), "tool_choice");
  if (!isObject(raw.function)) throw missing("tool_choice.function");
  onlyFields(raw.function, new Set(["name"]), "tool_choice.function");
  if (typeof raw.function.name !== "string" || raw.function.name === "") throw missing("tool_choice.function.name");
  return { type: "tool", name: raw.function.name, ...disableParallel };
}

function decodeResponseFormat(raw: unknown): ResponseFormat | undefined {
  if (!present(raw)) return undefined;
  if (!isObject(raw)) throw wrongType("response_format", "an object");
  switch (raw.type) {
    case "text":
    case "json_object":
      onlyFields(raw, new Set(["type"]), "response_format");
      return { type: raw.type };
    case "json_schema": {
      onlyFields(raw, new Set(["type", "json_schema"]), "response_format");
      const spec = raw.json_schema;
      if (!isObject(spec)) throw missing("response_format.json_schema");
      onlyFields(spec, new Set(["name", "description", "schema", "strict"]), "response_format.json_schema");
      if (typeof spec.name !== "string" || spec.name === "") throw missing("response_format.json_schema.name");
      if (present(spec.schema) && !isObject(spec.schema)) throw wrongType("response_format.json_schema.schema", "an object");
      if (present(spec.strict) && typeof spec.strict !== "boolean") throw wrongType("response_format.json_schema.strict", "a boolean");
      const description = optionalString(spec.description, "response_format.json_schema.description");
      return {
        type: "json_schema",
        name: spec.name,
        schema: isObject(spec.schema) ? spec.schema : {},
        ...(typeof spec.strict === "boolean" ? { strict: spec.strict } : {}),
        ...(description === undefined ? {} : { description }),
      };
    }
    default:
      throw badValue("response_format.type", "expected 'text', 'json_object' or 'json_schema'.");
  }
}

function decodeStop(raw: unknown): string[] | undefined {
  if (!present(raw)) return undefined;
  if (typeof raw === "string") return [raw];
  if (!Array.isArray(raw) || raw.some((s) => typeof s !== "string")) throw wrongType("stop", "a string or an array of strings");
  return raw.length === 0 ? undefined : (raw as string[]);
}

function decodeMaxTokens(body: Json): number | undefined {
  const legacy = integer(body.max_tokens, "max_tokens", 1);
  const current = integer(body.max_completion_tokens, "max_completion_tokens", 1);
  // Two different limits cannot both be honoured; picking one silently would change the answer's length.
  if (legacy !== undefined && current !== undefined && legacy !== current) {
    throw badValue("max_tokens", "'max_tokens' and 'max_completion_tokens' differ; send only one.");
  }
  return current ?? legacy;
}

function decodeStreamOptions(raw: unknown, stream: boolean): void {
  if (!present(raw)) return;
  if (!stream) throw badValue("stream_options", "'stream_options' is only allowed when 'stream' is enabled.");
  if (!isObject(raw)) throw wrongType("stream_options", "an object");
  onlyFields(raw, new Set(["include_usage", "include_obfuscation"]), "stream_options");
  for (const key of ["include_usage", "include_obfuscation"]) if (present(raw[key]) && typeof raw[key] !== "boolean") throw wrongType(`stream_options.${key}`, "a boolean");
}

export function decodeOpenAIChatRequest(body: Json): CanonicalRequest {
  for (const field of Object.keys(body)) if (!REQUEST_FIELDS.has(field)) throw unknownField(field);
  if (typeof body.model !== "string" || body.model.trim() === "") throw body.model === undefined ? missing("model") : wrongType("model", "a non-empty string");
  // Legacy function calling answers in `function_call`, a shape the translated path does not produce;
  // a legacy client would find no call in the answer, so it is told up front.
  if (present(body.functions)) throw unsupported("functions", "the deprecated 'functions' parameter is not translated; use 'tools'.");
  if (present(body.function_call)) throw unsupported("function_call", "the deprecated 'function_call' parameter is not translated; use 'tool_choice'.");
  if (present(body.stream) && typeof body.stream !== "boolean") throw wrongType("stream", "a boolean");
  const stream = body.stream === true;
  decodeStreamOptions(body.stream_options, stream);

  // Providers other than OpenAI return one choice; answering n>1 with one would break clients
  // that read choices[1], and fanning out n upstream calls would multiply cost unseen.
  const n = integer(body.n, "n", 1);
  if (n !== undefined && n > 1) throw unsupported("n", "only n=1 can be served by this provider.");

  const { system, messages } = decodeMessages(body.messages);
  const tools = decodeTools(body.tools);
  const toolChoice = decodeToolChoice(body.tool_choice, body.parallel_tool_calls, tools.length > 0);
  const maxTokens = decodeMaxTokens(body);
  const temperature = numberIn(body.temperature, "temperature", 0, 2);
  const topP = numberIn(body.top_p, "top_p", 0, 1);
  const presencePenalty = numberIn(body.presence_penalty, "presence_penalty", -2, 2);
  const frequencyPenalty = numberIn(body.frequency_penalty, "frequency_penalty", -2, 2);
  const seed = integer(body.seed, "seed");
  const stop = decodeStop(body.stop);
  const user = optionalString(body.user, "user");
  const effort = optionalString(body.reasoning_effort, "reasoning_effort");
  if (effort !== undefined && !EFFORTS.has(effort)) throw badValue("reasoning_effort", "expected one of 'none', 'minimal', 'low', 'medium', 'high', 'xhigh' or 'max'.");
  const responseFormat = decodeResponseFormat(body.response_format);

  const extensions: Json = {};
  for (const [field, check] of Object.entries(EXTENSION_FIELDS)) {
    // Honoured by the gateway's encoder (`streamUsage`), so not a parameter any provider drops.
    if (field === "stream_options" || !present(body[field])) continue;
    checkType(body[field], check, field);
    extensions[field] = body[field];
  }

  return {
    model: body.model.trim(),
    system,
    messages,
    tools,
    ...(toolChoice ? { toolChoice } : {}),
    ...(maxTokens === undefined ? {} : { maxTokens }),
    ...(temperature === undefined ? {} : { temperature }),
    ...(topP === undefined ? {} : { topP }),
    ...(stop ? { stop } : {}),
    ...(seed === undefined ? {} : { seed }),
    ...(presencePenalty === undefined ? {} : { presencePenalty }),
    ...(frequencyPenalty === undefined ? {} : { frequencyPenalty }),
    ...(effort === undefined ? {} : { reasoning: { effort: effort as ReasoningEffort } }),
    ...(responseFormat ? { responseFormat } : {}),
    stream,
    ...(stream && isObject(body.stream_options) && body.stream_options.include_usage === true ? { streamUsage: true } : {}),
    ...(user === undefined ? {} : { user }),
    extensions: Object.keys(extensions).length > 0 ? { openai_chat: extensions } : {},
  };
}

/** Whether the client asked for the final usage chunk (OpenAI sends none otherwise). */
export function includeUsageRequested(request: CanonicalRequest): boolean {
  return request.streamUsage === true;
}
