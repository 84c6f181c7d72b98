// A strict mock of Anthropic's Messages API (POST /v1/messages, /v1/messages/count_tokens,
// GET /v1/models), as strict as the real one where gateways usually go wrong:
// - 401 authentication_error for a missing or wrong key (x-api-key, or Authorization: Bearer
//   as current SDKs send it), 400 without anthropic-version;
// - 400 invalid_request_error "<path>: Extra inputs are not permitted" for any unknown field,
//   at the top level and inside messages, content blocks, tools, tool_choice and thinking,
//   with the real error paths (`messages.0.content.1.tool_use.foo`, `tools.0.custom.foo`);
// - max_tokens required; roles alternate and start with user; every tool_result answers a
//   tool_use of the previous turn and comes first in its turn; thinking budget_tokens ≥ 1024
//   and < max_tokens; thinking blocks sent back must carry the signature this mock issued.
// Answers follow gateway/testing/mock-scenarios.ts. With thinking enabled or adaptive a signed
// thinking block comes first. Usage reports the prompt cache: the prompt up to the last
// cache_control mark is written to the cache on first sight and read from it afterwards.
// Streams use the exact event order of the API (message_start, content_block_start, ping,
// deltas, content_block_stop, …, message_delta, message_stop), with `event:` lines.
// Models named in MOCK_ANTHROPIC_MODELS trigger failures for error tests.
//
//   tsx gateway/testing/mock-anthropic-upstream.ts --port 9003
import { createHmac, randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { encodeSseData } from "../transport/sse";
import { argumentPieces, REASONING_TOKENS, scenarioOutcome, scenarioTokens, streamPiecesOf, type ScenarioOutcome } from "./mock-scenarios";

type Json = Record<string, unknown>;

export const MOCK_ANTHROPIC_MODELS = {
  /** 529 overloaded_error, as Anthropic answers under load. */
  overloaded: "mock-overloaded",
  /** 429 rate_limit_error with a retry-after header. */
  rateLimit: "mock-rate-limit",
  /** 500 api_error. */
  apiError: "mock-api-error",
  /** A stream that starts, sends one text delta, then an `error` event (overloaded_error). */
  streamError: "mock-stream-error",
} as const;

export interface MockAnthropicRequest {
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: unknown;
}

export interface MockAnthropicUpstream {
  /** Base URL WITHOUT /v1: clients append /v1/messages. */
  readonly url: string;
  readonly requests: MockAnthropicRequest[];
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------
// Wire schema: the fields the API accepts on each object.

// Sampling parameters (temperature, top_p, top_k) as API version 2023-06-01 documents them;
// the rest as the current SDK sends them.
const MESSAGE_FIELDS = new Set([
  "model", "messages", "max_tokens", "system", "metadata", "stop_sequences", "stream", "temperature", "top_p", "top_k",
  "tools", "tool_choice", "thinking", "output_config", "service_tier", "container", "context_management", "mcp_servers",
  "cache_control", "diagnostics", "inference_geo", "speed", "user_profile_id", "workspace_id",
]);
const COUNT_TOKENS_FIELDS = new Set(["model", "messages", "system", "tools", "tool_choice", "thinking", "output_config", "context_management", "mcp_servers", "cache_control"]);
const BLOCK_FIELDS: Readonly<Record<string, ReadonlySet<string>>> = {
  text: new Set(["type", "text", "cache_control", "citations"]),
  image: new Set(["type", "source", "cache_control"]),
  tool_use: new Set(["type", "id", "name", "input", "cache_control", "caller", "toolset_name"]),
  tool_result: new Set(["type", "tool_use_id", "content", "is_error", "cache_control", "toolset_name"]),
  thinking: new Set(["type", "thinking", "signature"]),
  redacted_thinking: new Set(["type", "data"]),
};
const IMAGE_SOURCE_FIELDS: Readonly<Record<string, ReadonlySet<string>>> = {
  base64: new Set(["type", "media_type", "data"]),
  url: new Set(["type", "url"]),
};
const TOOL_FIELDS = new Set(["type", "name", "description", "input_schema", "cache_control", "strict", "allowed_callers", "defer_loading", "eager_input_streaming", "input_examples"]);
const TOOL_CHOICE_FIELDS: Readonly<Record<string, ReadonlySet<string>>> = {
  auto: new Set(["type", "disable_parallel_tool_use"]),
  any: new Set(["type", "disable_parallel_tool_use"]),
  tool: new Set(["type", "name", "disable_parallel_tool_use"]),
  none: new Set(["type"]),
};
const THINKING_FIELDS: Readonly<Record<string, ReadonlySet<string>>> = {
  enabled: new Set(["type", "budget_tokens", "display"]),
  adaptive: new Set(["type", "display"]),
  disabled: new Set(["type"]),
};
const OUTPUT_CONFIG_FIELDS = new Set(["effort", "format"]);
const EFFORTS = new Set(["low", "medium", "high", "xhigh", "max"]);
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,128}$/;
const MIN_THINKING_BUDGET = 1024;

/** Signatures are an HMAC of the thinking text: the mock can tell its own from forged or altered ones. */
const SIGNING_KEY = "switchyard-mock-anthropic-thinking";

export function mockThinkingSignature(thinking: string): string {
  return createHmac("sha256", SIGNING_KEY).update(thinking).digest("base64");
}

// ---------------------------------------------------------------------------------------
// Validation, in the order and words of the real API.

class Rejection extends Error {
  constructor(
    readonly status: number,
    readonly errorType: string,
    message: string,
  ) {
    super(message);
  }
}

const invalid = (message: string) => new Rejection(400, "invalid_request_error", message);
const extra = (path: string) => invalid(`${path}: Extra inputs are not permitted`);
const required = (path: string) => invalid(`${path}: Field required`);

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function onlyFields(obj: Json, allowed: ReadonlySet<string>, path: string): void {
  for (const field of Object.keys(obj)) if (!allowed.has(field)) throw extra(path === "" ? field : `${path}.${field}`);
}

function tagged(raw: unknown, path: string, tags: Readonly<Record<string, ReadonlySet<string>>>): { tag: string; obj: Json } {
  if (!isObject(raw)) throw invalid(`${path}: Input should be a valid dictionary or object to extract fields from`);
  const tag = raw.type;
  if (typeof tag !== "string" || !(tag in tags)) {
    const expected = Object.keys(tags).map((t) => `'${t}'`).join(", ");
    throw invalid(`${path}: Input tag '${String(tag)}' found using 'type' does not match any of the expected tags: ${expected}`);
  }
  onlyFields(raw, tags[tag]!, `${path}.${tag}`);
  return { tag, obj: raw };
}

function checkCacheControl(raw: unknown, path: string): void {
  if (raw === undefined) return;
  const { obj } = tagged(raw, `${path}.cache_control`, { ephemeral: new Set(["type", "ttl"]) });
  if (obj.ttl !== undefined && obj.ttl !== "5m" && obj.ttl !== "1h") throw invalid(`${path}.cache_control.ephemeral.ttl: Input should be '5m' or '1h'`);
}

function checkTextBlock(obj: Json, path: string): void {
  if (typeof obj.text !== "string") throw required(`${path}.text.text`);
  if (obj.text === "") throw invalid("messages: text content blocks must be non-empty");
  checkCacheControl(obj.cache_control, `${path}.text`);
}

function checkImageBlock(obj: Json, path: string): void {
  if (obj.source === undefined) throw required(`${path}.image.source`);
  const { tag, obj: source } = tagged(obj.source, `${path}.image.source`, IMAGE_SOURCE_FIELDS);
  if (tag === "base64" && (typeof source.media_type !== "string" || typeof source.data !== "string")) throw required(`${path}.image.source.base64.data`);
  if (tag === "url" && typeof source.url !== "string") throw required(`${path}.image.source.url.url`);
  checkCacheControl(obj.cache_control, `${path}.image`);
}

function checkBlock(raw: unknown, path: string, role: "user" | "assistant"): Json {
  const { tag, obj } = tagged(raw, path, BLOCK_FIELDS);
  switch (tag) {
    case "text":
      checkTextBlock(obj, path);
      break;
    case "image":
      checkImageBlock(obj, path);
      break;
    case "tool_use":
      for (const field of ["id", "name"]) if (typeof obj[field] !== "string") throw required(`${path}.tool_use.${field}`);
      if (!isObject(obj.input)) throw invalid(`${path}.tool_use.input: Input should be a valid dictionary`);
      checkCacheControl(obj.cache_control, `${path}.tool_use`);
      break;
    case "tool_result": {
      if (typeof obj.tool_use_id !== "string") throw required(`${path}.tool_result.tool_use_id`);
      if (obj.is_error !== undefined && typeof obj.is_error !== "boolean") throw invalid(`${path}.tool_result.is_error: Input should be a valid boolean`);
      if (Array.isArray(obj.content)) {
        obj.content.forEach((inner, i) => {
          const at = `${path}.tool_result.content.${i}`;
          const { tag: innerTag, obj: innerObj } = tagged(inner, at, { text: BLOCK_FIELDS.text!, image: BLOCK_FIELDS.image! });
          if (innerTag === "text") checkTextBlock(innerObj, at);
          else checkImageBlock(innerObj, at);
        });
      } else if (obj.content !== undefined && typeof obj.content !== "string") throw invalid(`${path}.tool_result.content: Input should be a valid string or list`);
      checkCacheControl(obj.cache_control, `${path}.tool_result`);
      break;
    }
    case "thinking":
      if (typeof obj.thinking !== "string") throw required(`${path}.thinking.thinking`);
      if (typeof obj.signature !== "string") throw required(`${path}.thinking.signature`);
      if (role === "assistant" && obj.signature !== mockThinkingSignature(obj.thinking)) throw invalid(`${path}: Invalid \`signature\` in \`thinking\` block`);
      break;
    case "redacted_thinking":
      if (typeof obj.data !== "string") throw required(`${path}.redacted_thinking.data`);
      break;
  }
  return obj;
}

function blocksOf(content: unknown, path: string, role: "user" | "assistant"): Json[] {
  if (typeof content === "string") {
    if (content === "") throw invalid("messages: text content blocks must be non-empty");
    return [{ type: "text", text: content }];
  }
  if (!Array.isArray(content)) throw invalid(`${path}: Input should be a valid list`);
  return content.map((block, j) => checkBlock(block, `${path}.${j}`, role));
}

function checkMessages(raw: unknown): Array<{ role: "user" | "assistant"; blocks: Json[] }> {
  if (raw === undefined) throw required("messages");
  if (!Array.isArray(raw)) throw invalid("messages: Input should be a valid list");
  if (raw.length === 0) throw invalid("messages: at least one message is required");
  const messages = raw.map((message, i) => {
    const path = `messages.${i}`;
    if (!isObject(message)) throw invalid(`${path}: Input should be a valid dictionary`);
    onlyFields(message, new Set(["role", "content"]), path);
    if (message.role !== "user" && message.role !== "assistant") throw invalid(`${path}.role: Input should be 'user' or 'assistant'`);
    if (message.content === undefined) throw required(`${path}.content`);
    const role: "user" | "assistant" = message.role;
    const blocks = blocksOf(message.content, `${path}.content`, role);
    if (blocks.length === 0 && i !== raw.length - 1) throw invalid(`${path}: all messages must have non-empty content except for the optional final assistant message`);
    return { role, blocks };
  });
  if (messages.length > 0 && messages[0]!.role !== "user") throw invalid('messages: first message must use the "user" role');
  messages.forEach((message, i) => {
    const previous = messages[i - 1];
    if (previous && previous.role === message.role) throw invalid(`messages: roles must alternate between "user" and "assistant", but found multiple "${message.role}" roles in a row`);
    const toolUseIds = new Set((previous?.blocks ?? []).filter((b) => b.type === "tool_use").map((b) => b.id as string));
    // Results must open the turn that follows tool calls, one per call.
    let leading = 0;
    while (leading < message.blocks.length && message.blocks[leading]!.type === "tool_result") leading++;
    message.blocks.forEach((block, j) => {
      if (block.type !== "tool_result") return;
      if (!toolUseIds.has(block.tool_use_id as string)) {
        throw invalid(`messages.${i}.content.${j}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${String(block.tool_use_id)}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`);
      }
    });
    if (toolUseIds.size > 0) {
      const answered = new Set(message.blocks.slice(0, leading).map((b) => b.tool_use_id as string));
      const missing = [...toolUseIds].filter((id) => !answered.has(id));
      if (missing.length > 0) {
        throw invalid(`messages.${i - 1}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(", ")}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`);
      }
    }
  });
  return messages;
}

function checkSystem(raw: unknown): Json[] {
  if (raw === undefined) return [];
  if (typeof raw === "string") return raw === "" ? [] : [{ type: "text", text: raw }];
  if (!Array.isArray(raw)) throw invalid("system: Input should be a valid string or list");
  return raw.map((block, i) => {
    const { obj } = tagged(block, `system.${i}`, { text: BLOCK_FIELDS.text! });
    checkTextBlock(obj, `system.${i}`);
    return obj;
  });
}

function checkTools(raw: unknown): Json[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw invalid("tools: Input should be a valid list");
  return raw.map((tool, i) => {
    const path = `tools.${i}.custom`;
    if (!isObject(tool)) throw invalid(`tools.${i}: Input should be a valid dictionary`);
    if (tool.type !== undefined && tool.type !== "custom") throw invalid(`tools.${i}: Input tag '${String(tool.type)}' found using 'type' does not match any of the expected tags`);
    onlyFields(tool, TOOL_FIELDS, path);
    if (typeof tool.name !== "string") throw required(`${path}.name`);
    if (!TOOL_NAME.test(tool.name)) throw invalid(`${path}.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'`);
    if (!isObject(tool.input_schema)) throw required(`${path}.input_schema`);
    checkCacheControl(tool.cache_control, path);
    return tool;
  });
}

interface CheckedRequest {
  readonly body: Json;
  readonly system: Json[];
  readonly messages: Array<{ role: "user" | "assistant"; blocks: Json[] }>;
  readonly tools: Json[];
  readonly thinking: string | null;
}

/** Throws a Rejection for the first problem, as the API reports it. */
function checkRequest(body: unknown, countTokens: boolean): CheckedRequest {
  if (!isObject(body)) throw invalid("There was an error parsing the body of your request: expected a JSON object.");
  onlyFields(body, countTokens ? COUNT_TOKENS_FIELDS : MESSAGE_FIELDS, "");
  if (typeof body.model !== "string" || body.model === "") throw required("model");
  if (!countTokens) {
    if (body.max_tokens === undefined) throw required("max_tokens");
    if (typeof body.max_tokens !== "number" || !Number.isInteger(body.max_tokens)) throw invalid("max_tokens: Input should be a valid integer");
    if (body.max_tokens < 1) throw invalid("max_tokens: Input should be greater than or equal to 1");
  }
  const messages = checkMessages(body.messages);
  const system = checkSystem(body.system);
  const tools = checkTools(body.tools);
  if (body.stream !== undefined && typeof body.stream !== "boolean") throw invalid("stream: Input should be a valid boolean");
  if (body.temperature !== undefined && (typeof body.temperature !== "number" || body.temperature < 0 || body.temperature > 1)) throw invalid("temperature: Input should be less than or equal to 1");
  if (body.stop_sequences !== undefined && (!Array.isArray(body.stop_sequences) || body.stop_sequences.some((s) => typeof s !== "string"))) throw invalid("stop_sequences: Input should be a valid list of strings");
  if (body.metadata !== undefined) {
    if (!isObject(body.metadata)) throw invalid("metadata: Input should be a valid dictionary");
    onlyFields(body.metadata, new Set(["user_id"]), "metadata");
  }
  if (body.tool_choice !== undefined) {
    const { tag, obj } = tagged(body.tool_choice, "tool_choice", TOOL_CHOICE_FIELDS);
    if (tag === "tool" && typeof obj.name !== "string") throw required("tool_choice.tool.name");
  }
  let thinking: string | null = null;
  if (body.thinking !== undefined) {
    const { tag, obj } = tagged(body.thinking, "thinking", THINKING_FIELDS);
    thinking = tag;
    if (tag === "enabled") {
      if (obj.budget_tokens === undefined) throw required("thinking.enabled.budget_tokens");
      if (typeof obj.budget_tokens !== "number" || !Number.isInteger(obj.budget_tokens)) throw invalid("thinking.enabled.budget_tokens: Input should be a valid integer");
      if (obj.budget_tokens < MIN_THINKING_BUDGET) throw invalid(`thinking.enabled.budget_tokens: Input should be greater than or equal to ${MIN_THINKING_BUDGET}`);
      if (!countTokens && (body.max_tokens as number) <= obj.budget_tokens) {
        throw invalid("`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size");
      }
    }
    // With thinking on, the last assistant turn of a tool loop must start with its thinking.
    if (tag !== "disabled" && Array.isArray(body.messages)) {
      const messages = body.messages as Json[];
      const lastAssistant = messages.map((m, i) => [m, i] as const).reverse().find(([m]) => m.role === "assistant");
      const content = lastAssistant && Array.isArray(lastAssistant[0].content) ? (lastAssistant[0].content as Json[]) : [];
      if (lastAssistant && content.some((b) => b.type === "tool_use") && content[0]?.type !== "thinking" && content[0]?.type !== "redacted_thinking") {
        throw invalid(`messages.${lastAssistant[1]}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${String(content[0]?.type)}\`. When \`thinking\` is enabled, a final \`assistant\` message must start with a thinking block (preceeding the lastmost set of \`tool_use\` and \`tool_result\` blocks). We recommend you include thinking blocks from previous turns.`);
      }
    }
  }
  if (body.output_config !== undefined) {
    if (!isObject(body.output_config)) throw invalid("output_config: Input should be a valid dictionary");
    onlyFields(body.output_config, OUTPUT_CONFIG_FIELDS, "output_config");
    const { effort, format } = body.output_config;
    if (effort !== undefined && (typeof effort !== "string" || !EFFORTS.has(effort))) throw invalid("output_config.effort: Input should be 'low', 'medium', 'high', 'xhigh' or 'max'");
    if (format !== undefined) {
      const { obj } = tagged(format, "output_config.format", { json_schema: new Set(["type", "schema"]) });
      if (!isObject(obj.schema)) throw required("output_config.format.json_schema.schema");
    }
  }
  return { body, system, messages, tools, thinking };
}

// ---------------------------------------------------------------------------------------
// Answers.

function textOfBlocks(blocks: readonly Json[]): string {
  return blocks.flatMap((b) => (b.type === "text" && typeof b.text === "string" ? [b.text] : [])).join(" ");
}

function toolResultText(block: Json): string {
  if (typeof block.content === "string") return block.content;
  return Array.isArray(block.content) ? textOfBlocks(block.content as Json[]) : "";
}

function outcomeFor(request: CheckedRequest): ScenarioOutcome {
  const last = request.messages[request.messages.length - 1];
  const results = last?.role === "user" ? last.blocks.filter((b) => b.type === "tool_result") : [];
  // The last user *text*: a turn holding only tool results does not replace the question.
  const lastUser = [...request.messages].reverse().find((m) => m.role === "user" && m.blocks.some((b) => b.type === "text"));
  return scenarioOutcome({
    lastUserText: lastUser ? textOfBlocks(lastUser.blocks) : "",
    toolResultText: results.length > 0 ? results.map(toolResultText).join(" ") : null,
    toolNames: request.tools.map((t) => String(t.name)),
    wantsReasoning: request.thinking === "enabled" || request.thinking === "adaptive",
  });
}

interface PromptUsage {
  readonly input_tokens: number;
  readonly cache_creation_input_tokens: number;
  readonly cache_read_input_tokens: number;
}

/**
 * Prompt tokens in Anthropic's three parts. Each tool, system block and content block counts
 * scenarioTokens of its JSON; everything up to the last cache_control mark is the cacheable
 * prefix, written on first sight and read afterwards (per mock instance, like a cache would).
 */
function promptUsage(request: CheckedRequest, seenPrefixes: Set<string>): PromptUsage {
  const items = [...request.tools, ...request.system, ...request.messages.flatMap((m) => m.blocks)];
  let lastMark = -1;
  items.forEach((item, i) => {
    if (item.cache_control !== undefined) lastMark = i;
  });
  const tokens = items.map((item) => {
    const { cache_control: _mark, ...rest } = item;
    return scenarioTokens(JSON.stringify(rest));
  });
  const prefix = tokens.slice(0, lastMark + 1).reduce((a, b) => a + b, 0);
  const rest = tokens.slice(lastMark + 1).reduce((a, b) => a + b, 0);
  if (prefix === 0) return { input_tokens: rest, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
  const key = JSON.stringify([request.body.model, items.slice(0, lastMark + 1)]);
  const hit = seenPrefixes.has(key);
  seenPrefixes.add(key);
  return { input_tokens: rest, cache_creation_input_tokens: hit ? 0 : prefix, cache_read_input_tokens: hit ? prefix : 0 };
}

interface Answer {
  readonly blocks: Json[];
  readonly stopReason: string;
  readonly stopSequence: string | null;
  readonly outputTokens: number;
  /** The part of outputTokens spent thinking (output_tokens_details.thinking_tokens). */
  readonly thinkingTokens: number;
}

function messageId(): string {
  return `msg_01${randomBytes(12).toString("hex")}`;
}

function toolUseId(): string {
  return `toolu_01${randomBytes(11).toString("hex")}`;
}

/** The scenario outcome as content blocks, honouring stop_sequences and max_tokens on text. */
function answerFor(request: CheckedRequest, outcome: ScenarioOutcome): Answer {
  const blocks: Json[] = [];
  let outputTokens = 0;
  if (outcome.reasoning) {
    blocks.push({ type: "thinking", thinking: outcome.reasoning, signature: mockThinkingSignature(outcome.reasoning) });
    outputTokens += REASONING_TOKENS;
  }
  if (outcome.kind === "tool_call") {
    blocks.push({ type: "tool_use", id: toolUseId(), name: outcome.toolName, input: outcome.arguments });
    return { blocks, stopReason: "tool_use", stopSequence: null, outputTokens: outputTokens + 8, thinkingTokens: outputTokens };
  }
  let text = outcome.text;
  let stopReason = "end_turn";
  let stopSequence: string | null = null;
  for (const stop of (request.body.stop_sequences as string[] | undefined) ?? []) {
    const at = text.indexOf(stop);
    if (at >= 0) {
      text = text.slice(0, at);
      stopReason = "stop_sequence";
      stopSequence = stop;
    }
  }
  const maxTokens = request.body.max_tokens as number;
  const words = text.split(/(?<=\s)/);
  if (scenarioTokens(text) > maxTokens) {
    text = words.slice(0, maxTokens).join("").trimEnd();
    stopReason = "max_tokens";
    stopSequence = null;
  }
  if (text !== "") blocks.push({ type: "text", text });
  return { blocks, stopReason, stopSequence, outputTokens: outputTokens + scenarioTokens(text), thinkingTokens: outputTokens };
}

function usageJson(prompt: PromptUsage, outputTokens: number, thinkingTokens: number): Json {
  return {
    ...prompt,
    cache_creation: { ephemeral_5m_input_tokens: prompt.cache_creation_input_tokens, ephemeral_1h_input_tokens: 0 },
    output_tokens: outputTokens,
    output_tokens_details: { thinking_tokens: thinkingTokens },
    service_tier: "standard",
  };
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": String(Buffer.byteLength(payload)), "request-id": `req_${randomBytes(12).toString("hex")}`, ...headers });
  res.end(payload);
}

function sendError(res: http.ServerResponse, status: number, type: string, message: string, headers: Record<string, string> = {}): void {
  send(res, status, { type: "error", error: { type, message }, request_id: `req_${randomBytes(12).toString("hex")}` }, headers);
}

function writeEvent(res: http.ServerResponse, data: Json): void {
  res.write(`event: ${String(data.type)}\n${encodeSseData(JSON.stringify(data))}`);
}

function respondStream(res: http.ServerResponse, request: CheckedRequest, answer: Answer, prompt: PromptUsage, failMidway: boolean): void {
  res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", "request-id": `req_${randomBytes(12).toString("hex")}` });
  writeEvent(res, {
    type: "message_start",
    message: { id: messageId(), type: "message", role: "assistant", model: request.body.model, content: [], stop_reason: null, stop_sequence: null, usage: usageJson(prompt, 1, 0) },
  });
  answer.blocks.forEach((block, index) => {
    if (block.type === "thinking") {
      writeEvent(res, { type: "content_block_start", index, content_block: { type: "thinking", thinking: "" } });
      if (index === 0) writeEvent(res, { type: "ping" });
      for (const piece of streamPiecesOf(block.thinking as string)) writeEvent(res, { type: "content_block_delta", index, delta: { type: "thinking_delta", thinking: piece } });
      writeEvent(res, { type: "content_block_delta", index, delta: { type: "signature_delta", signature: block.signature } });
    } else if (block.type === "tool_use") {
      writeEvent(res, { type: "content_block_start", index, content_block: { type: "tool_use", id: block.id, name: block.name, input: {} } });
      if (index === 0) writeEvent(res, { type: "ping" });
      writeEvent(res, { type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: "" } });
      for (const piece of argumentPieces(block.input as Json)) writeEvent(res, { type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: piece } });
    } else {
      writeEvent(res, { type: "content_block_start", index, content_block: { type: "text", text: "" } });
      if (index === 0) writeEvent(res, { type: "ping" });
      const pieces = streamPiecesOf(block.text as string);
      for (const piece of failMidway ? pieces.slice(0, 1) : pieces) writeEvent(res, { type: "content_block_delta", index, delta: { type: "text_delta", text: piece } });
      if (failMidway) {
        // What Anthropic sends when it becomes overloaded after the stream started.
        writeEvent(res, { type: "error", error: { type: "overloaded_error", message: "Overloaded" } });
        res.end();
        return;
      }
    }
    writeEvent(res, { type: "content_block_stop", index });
  });
  if (res.writableEnded) return;
  writeEvent(res, { type: "message_delta", delta: { stop_reason: answer.stopReason, stop_sequence: answer.stopSequence }, usage: { output_tokens: answer.outputTokens, output_tokens_details: { thinking_tokens: answer.thinkingTokens } } });
  writeEvent(res, { type: "message_stop" });
  res.end();
}

function handleMessages(res: http.ServerResponse, body: unknown, seenPrefixes: Set<string>): void {
  const request = checkRequest(body, false);
  const model = request.body.model as string;
  if (model === MOCK_ANTHROPIC_MODELS.overloaded) return sendError(res, 529, "overloaded_error", "Overloaded");
  if (model === MOCK_ANTHROPIC_MODELS.rateLimit) {
    return sendError(res, 429, "rate_limit_error", "This request would exceed the rate limit for your organization of 50 requests per minute.", { "retry-after": "7" });
  }
  if (model === MOCK_ANTHROPIC_MODELS.apiError) return sendError(res, 500, "api_error", "Internal server error");
  const answer = answerFor(request, outcomeFor(request));
  // The failure cuts the first text block (a tool-call answer streams whole).
  const failMidway = model === MOCK_ANTHROPIC_MODELS.streamError && request.body.stream === true;
  const prompt = promptUsage(request, seenPrefixes);
  if (request.body.stream === true) return respondStream(res, request, answer, prompt, failMidway);
  send(res, 200, {
    id: messageId(),
    type: "message",
    role: "assistant",
    model,
    content: answer.blocks,
    stop_reason: answer.stopReason,
    stop_sequence: answer.stopSequence,
    usage: usageJson(prompt, answer.outputTokens, answer.thinkingTokens),
  });
}

function handleCountTokens(res: http.ServerResponse, body: unknown): void {
  const request = checkRequest(body, true);
  const prompt = promptUsage(request, new Set());
  send(res, 200, { input_tokens: prompt.input_tokens + prompt.cache_creation_input_tokens + prompt.cache_read_input_tokens });
}

export async function startMockAnthropicUpstream(opts: { apiKey?: string; port?: number } = {}): Promise<MockAnthropicUpstream> {
  const requests: MockAnthropicRequest[] = [];
  const seenPrefixes = new Set<string>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = (req.url ?? "/").split("?")[0] ?? "/";
      const raw = Buffer.concat(chunks).toString("utf8");
      let body: unknown;
      let parseError: string | null = null;
      try {
        body = raw === "" ? undefined : JSON.parse(raw);
      } catch (error) {
        parseError = (error as Error).message;
      }
      requests.push({ path, headers: req.headers, body });
      // Current SDKs send the key as a bearer token; older clients and gateways as x-api-key.
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
      const key = req.headers["x-api-key"] ?? bearer;
      if (opts.apiKey !== undefined) {
        if (key === undefined) return sendError(res, 401, "authentication_error", "x-api-key header is required");
        if (key !== opts.apiKey) return sendError(res, 401, "authentication_error", "invalid x-api-key");
      }
      if (req.headers["anthropic-version"] === undefined) return sendError(res, 400, "invalid_request_error", "anthropic-version: header is required");
      if (req.method === "GET" && path === "/v1/models") {
        const data = [{ type: "model", id: "claude-sonnet-4-5-20250929", display_name: "Claude Sonnet 4.5", created_at: "2025-09-29T00:00:00Z" }];
        return send(res, 200, { data, has_more: false, first_id: data[0]!.id, last_id: data[0]!.id });
      }
      const route = req.method === "POST" && path === "/v1/messages" ? "messages" : req.method === "POST" && path === "/v1/messages/count_tokens" ? "count" : null;
      if (route === null) return sendError(res, 404, "not_found_error", "Not Found");
      if (parseError !== null) return sendError(res, 400, "invalid_request_error", `There was an error parsing the body of your request: ${parseError}`);
      try {
        if (route === "messages") handleMessages(res, body, seenPrefixes);
        else handleCountTokens(res, body);
      } catch (error) {
        if (!(error instanceof Rejection)) throw error;
        sendError(res, error.status, error.errorType, error.message);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const i = process.argv.indexOf("--port");
  const mock = await startMockAnthropicUpstream({ port: i > 0 ? Number(process.argv[i + 1]) : 9003 });
  console.log(`mock Anthropic upstream on ${mock.url} (clients call ${mock.url}/v1/messages)`);
}
