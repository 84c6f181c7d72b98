// POST /v1/responses bodies → the canonical request. As strict as the Responses API itself:
// an unknown field, anywhere we look, is a 400 naming it (`Unknown parameter: 'input[2].foo'.`),
// so a client bug shows up here and not as a confusing upstream error.
//
// Decisions (documented in the README's API section):
// - The gateway is stateless. `previous_response_id`, `conversation`, `prompt` (stored
//   prompts), `background: true` and `item_reference` items would need stored state: 400.
//   `store` is accepted and kept in extensions, so adapters record it as dropped.
// - Tools other than `function` (web_search, file_search, custom, mcp, …) run on OpenAI's side
//   or need grammar support no other family has. They are dropped, kept in extensions
//   (`tools[3]`), so the adapter records each drop and a Responses upstream can restore them.
//   Codex CLI declares some of these on every turn; a 400 would make it unusable.
// - Reasoning items become thinking blocks whose signature is `encrypted_content`, so they
//   round-trip unchanged through any provider that signs its thinking (Anthropic).
import type {
  CacheControl,
  CanonicalMessage,
  CanonicalRequest,
  CanonicalTool,
  ContentBlock,
  ImageBlock,
  ReasoningEffort,
  ReasoningRequest,
  ResponseFormat,
  TextBlock,
  ToolChoice,
  ToolResultBlock,
} from "../../formats/canonical";
import { invalidParam, responsesErrors as err } from "./responses-errors";

type Json = Record<string, unknown>;

/**
 * Top-level fields of a create-response request: the openai SDK's ResponseCreateParamsBase,
 * plus max_tool_calls and client_metadata (Codex CLI sends it on every turn; the API takes it).
 */
const REQUEST_FIELDS: ReadonlySet<string> = new Set([
  "background", "client_metadata", "context_management", "conversation", "include", "input", "instructions", "max_output_tokens",
  "max_tool_calls", "metadata", "model", "moderation", "parallel_tool_calls", "previous_response_id", "prompt",
  "prompt_cache_key", "prompt_cache_options", "prompt_cache_retention", "reasoning", "safety_identifier",
  "service_tier", "store", "stream", "stream_options", "temperature", "text", "tool_choice", "tools",
  "top_logprobs", "top_p", "truncation", "user",
]);
/** Accepted without a canonical meaning: kept as sent in extensions (adapters record or restore them). */
const EXTENSION_FIELDS = [
  "client_metadata", "context_management", "include", "max_tool_calls", "metadata", "moderation", "prompt_cache_key", "prompt_cache_options",
  "prompt_cache_retention", "safety_identifier", "service_tier", "store", "stream_options", "top_logprobs", "truncation",
] as const;
/** Fields that only make sense with state kept by the server. */
const STATEFUL_FIELDS: Readonly<Record<string, string>> = {
  previous_response_id: "the gateway is stateless and stores no responses; send the whole conversation in 'input' (with store: false, as Codex does).",
  conversation: "the gateway is stateless and keeps no conversations; send the whole conversation in 'input'.",
  prompt: "stored prompt templates live on OpenAI's side; send 'instructions' and 'input' instead.",
};

const ROLES = ["user", "assistant", "system", "developer"] as const;
const EFFORTS: readonly string[] = ["none", "minimal", "low", "medium", "high", "xhigh", "max"];
const SUMMARIES: readonly string[] = ["auto", "concise", "detailed"];

/** Allowed fields per input item type (SDK ResponseInputItem variants the gateway can express). */
const ITEM_FIELDS: Readonly<Record<string, ReadonlySet<string>>> = {
  message: new Set(["type", "role", "content", "id", "status", "phase"]),
  function_call: new Set(["type", "call_id", "name", "arguments", "id", "status", "namespace", "caller"]),
  function_call_output: new Set(["type", "call_id", "output", "id", "status", "caller"]),
  reasoning: new Set(["type", "id", "summary", "content", "encrypted_content", "status"]),
};
const PART_FIELDS: Readonly<Record<string, ReadonlySet<string>>> = {
  input_text: new Set(["type", "text", "prompt_cache_breakpoint"]),
  input_image: new Set(["type", "image_url", "file_id", "detail", "prompt_cache_breakpoint"]),
  output_text: new Set(["type", "text", "annotations", "logprobs"]),
  refusal: new Set(["type", "refusal"]),
};
const FUNCTION_TOOL_FIELDS: ReadonlySet<string> = new Set(["type", "name", "parameters", "strict", "description", "allowed_callers", "defer_loading", "output_schema"]);

/** Prefix marking an Anthropic redacted_thinking block carried in `encrypted_content` (see encode-responses-response.ts). */
export const REDACTED_THINKING_PREFIX = "sy-redacted:";

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function rejectUnknown(raw: Json, allowed: ReadonlySet<string>, path: string): void {
  for (const field of Object.keys(raw)) if (!allowed.has(field)) throw err.unknown(`${path}.${field}`);
}

function optionalNumber(body: Json, field: string, min: number, max: number, integer = false): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || (integer && !Number.isInteger(value))) throw err.type(field, integer ? "an integer" : "a decimal", value);
  if (value < min || value > max) throw err.range(field, value, integer ? "integer" : "decimal", value < min ? { min } : { max });
  return value;
}

function optionalBoolean(body: Json, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw err.type(field, "a boolean", value);
  return value;
}

function optionalString(body: Json, field: string, path = field): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw err.type(path, "a string", value);
  return value;
}

/** OpenAI's explicit prompt-cache breakpoint is the same idea as Anthropic's cache_control. */
function cacheControlOf(raw: unknown, path: string): CacheControl | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isObject(raw) || raw.mode !== "explicit") throw err.value(`${path}.prompt_cache_breakpoint.mode`, isObject(raw) ? raw.mode : raw, ["explicit"]);
  return { type: "ephemeral" };
}

function imageBlock(part: Json, path: string): ImageBlock {
  if (typeof part.file_id === "string") throw err.unsupported(`${path}.file_id`, "files uploaded to OpenAI cannot be read by other providers; send the image as image_url (a URL or a data: URL).");
  if (typeof part.image_url !== "string" || part.image_url === "") throw err.missing(`${path}.image_url`);
  const detail = part.detail === undefined || part.detail === null ? undefined : String(part.detail);
  const cacheControl = cacheControlOf(part.prompt_cache_breakpoint, path);
  const dataUrl = /^data:([^;,]+);base64,(.*)$/s.exec(part.image_url);
  const source: ImageBlock["source"] = dataUrl ? { kind: "base64", mediaType: dataUrl[1]!, data: dataUrl[2]! } : { kind: "url", url: part.image_url };
  return { type: "image", source, ...(detail ? { detail } : {}), ...(cacheControl ? { cacheControl } : {}) };
}

/** Content of a message item; assistant turns carry output parts, the others input parts. */
function messageContent(raw: unknown, path: string, role: (typeof ROLES)[number]): Array<TextBlock | ImageBlock> {
  if (typeof raw === "string") return raw === "" ? [] : [{ type: "text", text: raw }];
  if (!Array.isArray(raw)) throw err.type(path, "a string or an array of content parts", raw);
  const allowed = role === "assistant" ? ["output_text", "refusal", "input_text"] : ["input_text", "input_image"];
  return raw.map((part, i): TextBlock | ImageBlock => {
    const at = `${path}[${i}]`;
    if (!isObject(part)) throw err.type(at, "an object", part);
    if (part.type === "input_file") throw err.unsupported(`${at}.type`, "file inputs have no equivalent in the other provider APIs.");
    if (typeof part.type !== "string" || !allowed.includes(part.type)) throw err.value(`${at}.type`, part.type, allowed);
    rejectUnknown(part, PART_FIELDS[part.type]!, at);
    if (part.type === "input_image") return imageBlock(part, at);
    const text = part.type === "refusal" ? part.refusal : part.text;
    if (typeof text !== "string") throw err.missing(`${at}.${part.type === "refusal" ? "refusal" : "text"}`);
    const cacheControl = cacheControlOf(part.prompt_cache_breakpoint, at);
    return { type: "text", text, ...(cacheControl ? { cacheControl } : {}) };
  });
}

function toolResultContent(raw: unknown, path: string): Array<TextBlock | ImageBlock> {
  if (typeof raw === "string") return [{ type: "text", text: raw }];
  if (!Array.isArray(raw)) throw err.type(path, "a string or an array of input_text / input_image parts", raw);
  return messageContent(raw, path, "user");
}

/**
 * Consecutive items that belong to one turn (an assistant's reasoning, text and function
 * calls; tool outputs answering them) are grouped, because every other family wants turns.
 */
class TurnBuilder {
  readonly messages: CanonicalMessage[] = [];
  readonly leadingSystem: TextBlock[] = [];

  push(role: CanonicalMessage["role"], blocks: readonly ContentBlock[], mergeWithPrevious: boolean): void {
    if (blocks.length === 0) return;
    const last = this.messages[this.messages.length - 1];
    if (mergeWithPrevious && last?.role === role) {
      this.messages[this.messages.length - 1] = { ...last, content: [...last.content, ...blocks] };
      return;
    }
    this.messages.push({ role, content: [...blocks] });
  }

  /** Whether the last user turn holds only tool results (more results join it). */
  lastIsToolResults(): boolean {
    const last = this.messages[this.messages.length - 1];
    return last?.role === "user" && last.content.every((b) => b.type === "tool_result");
  }
}

function decodeItem(raw: unknown, i: number, turns: TurnBuilder): void {
  const at = `input[${i}]`;
  if (!isObject(raw)) throw err.type(at, "an object", raw);
  // EasyInputMessage may omit `type`.
  const type = raw.type === undefined && raw.role !== undefined ? "message" : raw.type;
  if (type === "item_reference") throw err.unsupported(`${at}.type`, "item references point at items stored by OpenAI; the gateway is stateless, send the item itself.");
  if (typeof type !== "string" || !(type in ITEM_FIELDS)) {
    throw err.value(`${at}.type`, type, Object.keys(ITEM_FIELDS));
  }
  rejectUnknown(raw, ITEM_FIELDS[type]!, at);
  switch (type) {
    case "message": {
      if (typeof raw.role !== "string" || !(ROLES as readonly string[]).includes(raw.role)) {
        if (raw.role === undefined) throw err.missing(`${at}.role`);
        throw err.value(`${at}.role`, raw.role, ROLES);
      }
      const role = raw.role as (typeof ROLES)[number];
      if (raw.content === undefined) throw err.missing(`${at}.content`);
      const content = messageContent(raw.content, `${at}.content`, role);
      if (role === "system" || role === "developer") {
        if (content.some((b) => b.type !== "text")) throw err.value(`${at}.content`, "input_image", ["input_text"]);
        // Instructions before any turn form the system prompt; later ones stay where they are.
        if (turns.messages.length === 0) turns.leadingSystem.push(...(content as TextBlock[]));
        else turns.push("system", content, false);
        return;
      }
      // Assistant text joins the reasoning / calls around it; user messages stay separate.
      turns.push(role, content, role === "assistant");
      return;
    }
    case "function_call": {
      if (typeof raw.call_id !== "string" || raw.call_id === "") throw err.missing(`${at}.call_id`);
      if (typeof raw.name !== "string" || raw.name === "") throw err.missing(`${at}.name`);
      if (typeof raw.arguments !== "string") throw err.missing(`${at}.arguments`);
      let input: unknown = {};
      let inputJson: string | undefined;
      try {
        input = raw.arguments.trim() === "" ? {} : JSON.parse(raw.arguments);
      } catch {
        // The model produced invalid JSON: keep the exact text, providers get it back as sent.
        inputJson = raw.arguments;
      }
      turns.push("assistant", [{ type: "tool_use", id: raw.call_id, name: raw.name, input, ...(inputJson === undefined ? {} : { inputJson }) }], true);
      return;
    }
    case "function_call_output": {
      if (typeof raw.call_id !== "string" || raw.call_id === "") throw err.missing(`${at}.call_id`);
      if (raw.output === undefined || raw.output === null) throw err.missing(`${at}.output`);
      const result: ToolResultBlock = { type: "tool_result", toolUseId: raw.call_id, content: toolResultContent(raw.output, `${at}.output`) };
      turns.push("user", [result], turns.lastIsToolResults());
      return;
    }
    case "reasoning": {
      if (!Array.isArray(raw.summary)) throw err.missing(`${at}.summary`);
      const texts = raw.summary.map((part, j) => {
        if (!isObject(part) || part.type !== "summary_text" || typeof part.text !== "string") throw err.type(`${at}.summary[${j}]`, "a summary_text part", part);
        return part.text;
      });
      const encrypted = optionalString(raw, "encrypted_content", `${at}.encrypted_content`);
      if (encrypted?.startsWith(REDACTED_THINKING_PREFIX)) {
        turns.push("assistant", [{ type: "redacted_thinking", data: encrypted.slice(REDACTED_THINKING_PREFIX.length) }], true);
        return;
      }
      // Raw reasoning text (open-weight models) when there is no summary.
      const content = Array.isArray(raw.content) ? (raw.content as unknown[]).map((c) => (isObject(c) && typeof c.text === "string" ? c.text : "")).join("") : "";
      const thinking = texts.length > 0 ? texts.join("\n\n") : content;
      if (thinking === "" && encrypted === undefined) return;
      turns.push("assistant", [{ type: "thinking", thinking, ...(encrypted === undefined ? {} : { signature: encrypted }) }], true);
      return;
    }
  }
}

function decodeTools(raw: unknown, extensions: Json): CanonicalTool[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw err.type("tools", "an array", raw);
  const tools: CanonicalTool[] = [];
  raw.forEach((tool, i) => {
    const at = `tools[${i}]`;
    if (!isObject(tool)) throw err.type(at, "an object", tool);
    if (typeof tool.type !== "string") throw err.missing(`${at}.type`);
    if (tool.type !== "function") {
      extensions[at] = tool;
      return;
    }
    if (tool.function !== undefined) {
      throw err.missing(`${at}.name`, " Responses API function tools take name, parameters and strict at the top level, not nested under 'function' as in Chat Completions.");
    }
    rejectUnknown(tool, FUNCTION_TOOL_FIELDS, at);
    if (typeof tool.name !== "string" || tool.name === "") throw err.missing(`${at}.name`);
    if (tool.parameters !== undefined && tool.parameters !== null && !isObject(tool.parameters)) throw err.type(`${at}.parameters`, "an object", tool.parameters);
    const strict = optionalBoolean(tool, "strict");
    const description = optionalString(tool, "description", `${at}.description`);
    for (const extra of ["allowed_callers", "defer_loading", "output_schema"]) if (tool[extra] !== undefined && tool[extra] !== null) extensions[`${at}.${extra}`] = tool[extra];
    tools.push({
      name: tool.name,
      ...(description ? { description } : {}),
      parameters: isObject(tool.parameters) ? tool.parameters : { type: "object", properties: {} },
      ...(strict === undefined ? {} : { strict }),
    });
  });
  return tools;
}

function decodeToolChoice(raw: unknown, parallel: boolean | undefined, extensions: Json): ToolChoice | undefined {
  const disableParallel = parallel === false ? { disableParallel: true } : {};
  if (raw === undefined || raw === null) return parallel === false ? { type: "auto", disableParallel: true } : undefined;
  if (raw === "auto") return { type: "auto", ...disableParallel };
  if (raw === "required") return { type: "any", ...disableParallel };
  if (raw === "none") return { type: "none" };
  if (typeof raw === "string") throw err.value("tool_choice", raw, ["none", "auto", "required"]);
  if (!isObject(raw) || typeof raw.type !== "string") throw err.type("tool_choice", "a string or an object with a type", raw);
  if (raw.type === "function") {
    if (typeof raw.name !== "string" || raw.name === "") throw err.missing("tool_choice.name");
    return { type: "tool", name: raw.name, ...disableParallel };
  }
  // allowed_tools and hosted-tool choices: the closest canonical choice, the rest kept.
  extensions.tool_choice = raw;
  if (raw.type === "allowed_tools") return { type: raw.mode === "required" ? "any" : "auto", ...disableParallel };
  return { type: "auto", ...disableParallel };
}

function decodeReasoning(raw: unknown, extensions: Json): ReasoningRequest | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isObject(raw)) throw err.type("reasoning", "an object", raw);
  rejectUnknown(raw, new Set(["effort", "summary", "generate_summary", "context", "mode"]), "reasoning");
  const out: { effort?: ReasoningEffort; summary?: string } = {};
  if (raw.effort !== undefined && raw.effort !== null) {
    if (typeof raw.effort !== "string" || !EFFORTS.includes(raw.effort)) throw err.value("reasoning.effort", raw.effort, EFFORTS);
    out.effort = raw.effort as ReasoningEffort;
  }
  // generate_summary is the deprecated name of summary.
  const summary = raw.summary ?? raw.generate_summary;
  if (summary !== undefined && summary !== null) {
    if (typeof summary !== "string" || !SUMMARIES.includes(summary)) throw err.value("reasoning.summary", summary, SUMMARIES);
    out.summary = summary;
  }
  for (const field of ["context", "mode"]) if (raw[field] !== undefined && raw[field] !== null) extensions[`reasoning.${field}`] = raw[field];
  return out.effort === undefined && out.summary === undefined ? undefined : out;
}

function decodeTextFormat(raw: unknown, extensions: Json): ResponseFormat | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isObject(raw)) throw err.type("text", "an object", raw);
  rejectUnknown(raw, new Set(["format", "verbosity"]), "text");
  if (raw.verbosity !== undefined && raw.verbosity !== null) {
    if (!["low", "medium", "high"].includes(String(raw.verbosity))) throw err.value("text.verbosity", raw.verbosity, ["low", "medium", "high"]);
    extensions["text.verbosity"] = raw.verbosity;
  }
  const format = raw.format;
  if (format === undefined || format === null) return undefined;
  if (!isObject(format)) throw err.type("text.format", "an object", format);
  switch (format.type) {
    case "text":
      rejectUnknown(format, new Set(["type"]), "text.format");
      return { type: "text" };
    case "json_object":
      rejectUnknown(format, new Set(["type"]), "text.format");
      return { type: "json_object" };
    case "json_schema": {
      rejectUnknown(format, new Set(["type", "name", "schema", "strict", "description"]), "text.format");
      if (typeof format.name !== "string" || format.name === "") throw err.missing("text.format.name");
      if (!isObject(format.schema)) throw err.missing("text.format.schema");
      const strict = optionalBoolean(format, "strict");
      const description = optionalString(format, "description", "text.format.description");
      return { type: "json_schema", name: format.name, schema: format.schema, ...(strict === undefined ? {} : { strict }), ...(description ? { description } : {}) };
    }
    default:
      throw err.value("text.format.type", format.type, ["text", "json_object", "json_schema"]);
  }
}

function decodeInput(body: Json): TurnBuilder {
  const turns = new TurnBuilder();
  const input = body.input;
  if (input === undefined || input === null) throw err.missing("input");
  if (typeof input === "string") {
    turns.push("user", [{ type: "text", text: input }], false);
    return turns;
  }
  if (!Array.isArray(input)) throw err.type("input", "a string or an array of input items", input);
  input.forEach((item, i) => decodeItem(item, i, turns));
  return turns;
}

export function decodeResponsesRequest(body: Json): CanonicalRequest {
  // 1. Shape: no unknown fields, nothing that needs server-side state.
  for (const field of Object.keys(body)) if (!REQUEST_FIELDS.has(field)) throw err.unknown(field);
  for (const [field, why] of Object.entries(STATEFUL_FIELDS)) if (body[field] !== undefined && body[field] !== null) throw err.unsupported(field, why);
  if (body.background === true) throw err.unsupported("background", "background responses are stored and polled; the gateway is stateless. Use stream: true for long responses.");
  if (typeof body.model !== "string" || body.model === "") throw body.model === undefined ? err.missing("model") : err.type("model", "a non-empty string", body.model);

  // 2. Conversation.
  const turns = decodeInput(body);
  const instructions = optionalString(body, "instructions");
  const system: TextBlock[] = [...(instructions ? [{ type: "text" as const, text: instructions }] : []), ...turns.leadingSystem];
  if (turns.messages.length === 0) throw invalidParam("Invalid 'input': it needs at least one user, assistant or tool item besides system / developer messages.", "input", "empty_array");

  // 3. Parameters; what has no canonical field is kept for the adapters.
  const extensions: Json = {};
  for (const field of EXTENSION_FIELDS) if (body[field] !== undefined && body[field] !== null) extensions[field] = body[field];
  if (body.include !== undefined && body.include !== null && (!Array.isArray(body.include) || body.include.some((v) => typeof v !== "string"))) throw err.type("include", "an array of strings", body.include);
  if (body.metadata !== undefined && body.metadata !== null && (!isObject(body.metadata) || Object.values(body.metadata).some((v) => typeof v !== "string"))) {
    throw err.type("metadata", "an object of string values", body.metadata);
  }
  optionalBoolean(body, "store");
  const stream = optionalBoolean(body, "stream") === true;
  if (body.stream_options !== undefined && body.stream_options !== null && !stream) throw err.value("stream_options", body.stream_options, ["only with stream: true"]);
  const tools = decodeTools(body.tools, extensions);
  const parallel = optionalBoolean(body, "parallel_tool_calls");
  const toolChoice = decodeToolChoice(body.tool_choice, parallel, extensions);
  const reasoning = decodeReasoning(body.reasoning, extensions);
  const responseFormat = decodeTextFormat(body.text, extensions);
  // The Responses API's own minimum: fewer output tokens cannot hold a useful answer.
  const maxTokens = optionalNumber(body, "max_output_tokens", 16, Number.MAX_SAFE_INTEGER, true);
  const temperature = optionalNumber(body, "temperature", 0, 2);
  const topP = optionalNumber(body, "top_p", 0, 1);
  const user = optionalString(body, "user");

  return {
    model: body.model,
    system,
    messages: turns.messages,
    tools,
    ...(toolChoice ? { toolChoice } : {}),
    ...(maxTokens === undefined ? {} : { maxTokens }),
    ...(temperature === undefined ? {} : { temperature }),
    ...(topP === undefined ? {} : { topP }),
    ...(reasoning ? { reasoning } : {}),
    ...(responseFormat ? { responseFormat } : {}),
    stream,
    ...(user === undefined ? {} : { user }),
    extensions: Object.keys(extensions).length > 0 ? { openai_responses: extensions } : {},
  };
}
