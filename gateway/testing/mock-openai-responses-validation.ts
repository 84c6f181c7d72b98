// Request validation as strict as the real Responses API (POST /v1/responses), with its error
// wording: unknown fields anywhere → `Unknown parameter: 'input[0].foo'.` (unknown_parameter),
// missing ones → missing_required_parameter, bad values → invalid_value, and the stateful
// checks a stateless caller trips over: previous_response_id, function_call_output without
// its call, reasoning items without verifiable encrypted_content.

export interface ResponsesValidationFailure {
  readonly status: number;
  readonly message: string;
  readonly param: string | null;
  readonly code: string | null;
}

type Json = Record<string, unknown>;

// The SDK's ResponseCreateParams plus what the live API also takes (max_tool_calls, and
// client_metadata, which Codex CLI sends on every turn).
export const RESPONSES_CREATE_FIELDS: ReadonlySet<string> = new Set([
  "background", "client_metadata", "context_management", "conversation", "include", "input", "instructions", "max_output_tokens",
  "max_tool_calls", "metadata", "model", "moderation", "parallel_tool_calls", "previous_response_id", "prompt",
  "prompt_cache_key", "prompt_cache_options", "prompt_cache_retention", "reasoning", "safety_identifier",
  "service_tier", "store", "stream", "stream_options", "temperature", "text", "tool_choice", "tools",
  "top_logprobs", "top_p", "truncation", "user",
]);

const INCLUDABLE = [
  "file_search_call.results", "web_search_call.results", "web_search_call.action.sources", "message.input_image.image_url",
  "computer_call_output.output.image_url", "code_interpreter_call.outputs", "reasoning.encrypted_content", "message.output_text.logprobs",
];
const EFFORTS = ["none", "minimal", "low", "medium", "high", "xhigh", "max"];
const SUMMARIES = ["auto", "concise", "detailed"];
const HOSTED_TOOL_TYPES = new Set([
  "web_search", "web_search_2025_08_26", "web_search_preview", "web_search_preview_2025_03_11", "file_search", "computer",
  "computer_use_preview", "code_interpreter", "image_generation", "mcp", "local_shell", "shell", "custom", "namespace",
  "tool_search", "apply_patch",
]);
const ITEM_FIELDS: Readonly<Record<string, ReadonlySet<string>>> = {
  message: new Set(["type", "role", "content", "id", "status", "phase"]),
  function_call: new Set(["type", "call_id", "name", "arguments", "id", "status", "namespace", "caller"]),
  function_call_output: new Set(["type", "call_id", "output", "id", "status", "caller"]),
  reasoning: new Set(["type", "id", "summary", "content", "encrypted_content", "status"]),
};
const PART_FIELDS: Readonly<Record<string, ReadonlySet<string>>> = {
  input_text: new Set(["type", "text", "prompt_cache_breakpoint"]),
  input_image: new Set(["type", "image_url", "file_id", "detail", "prompt_cache_breakpoint"]),
  input_file: new Set(["type", "file_data", "file_id", "file_url", "filename", "detail", "prompt_cache_breakpoint"]),
  output_text: new Set(["type", "text", "annotations", "logprobs"]),
  refusal: new Set(["type", "refusal"]),
};
const FUNCTION_TOOL_FIELDS = new Set(["type", "name", "parameters", "strict", "description", "allowed_callers", "defer_loading", "output_schema"]);

const fail = (message: string, param: string | null, code: string | null, status = 400): ResponsesValidationFailure => ({ status, message, param, code });
const unknown = (param: string) => fail(`Unknown parameter: '${param}'.`, param, "unknown_parameter");
const missing = (param: string) => fail(`Missing required parameter: '${param}'.`, param, "missing_required_parameter");
const invalidValue = (param: string, value: unknown, supported: readonly string[]) =>
  fail(`Invalid value: '${String(value)}'. Supported values are: ${supported.map((s) => `'${s}'`).join(", ")}.`, param, "invalid_value");
const invalidType = (param: string, expected: string) => fail(`Invalid type for '${param}': expected ${expected}.`, param, "invalid_type");

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function firstUnknown(raw: Json, allowed: ReadonlySet<string>, path: string): ResponsesValidationFailure | null {
  for (const field of Object.keys(raw)) if (!allowed.has(field)) return unknown(path === "" ? field : `${path}.${field}`);
  return null;
}

function validateNumber(body: Json, field: string, min: number, max: number, integer: boolean): ResponsesValidationFailure | null {
  const value = body[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== "number" || (integer && !Number.isInteger(value))) return invalidType(field, integer ? "an integer" : "a decimal");
  const kind = integer ? "integer" : "decimal";
  if (value < min) return fail(`Invalid '${field}': ${kind} below minimum value. Expected a value >= ${min}, but got ${value} instead.`, field, `${kind}_below_min_value`);
  if (value > max) return fail(`Invalid '${field}': ${kind} above maximum value. Expected a value <= ${max}, but got ${value} instead.`, field, `${kind}_above_max_value`);
  return null;
}

function validateContent(content: unknown, path: string, role: string): ResponsesValidationFailure | null {
  if (typeof content === "string") return null;
  if (!Array.isArray(content)) return invalidType(path, "a string or an array of content parts");
  const allowed = role === "assistant" ? ["output_text", "refusal"] : ["input_text", "input_image", "input_file"];
  for (const [j, part] of content.entries()) {
    const at = `${path}[${j}]`;
    if (!isObject(part)) return invalidType(at, "an object");
    if (!allowed.includes(String(part.type))) return invalidValue(`${at}.type`, part.type, allowed);
    const extra = firstUnknown(part, PART_FIELDS[String(part.type)]!, at);
    if (extra) return extra;
    if ((part.type === "input_text" || part.type === "output_text") && typeof part.text !== "string") return missing(`${at}.text`);
    if (part.type === "input_image") {
      if (typeof part.image_url !== "string" && typeof part.file_id !== "string") return missing(`${at}.image_url`);
      if (part.detail !== undefined && !["low", "high", "auto", "original"].includes(String(part.detail))) return invalidValue(`${at}.detail`, part.detail, ["low", "high", "auto", "original"]);
    }
  }
  return null;
}

function validateInput(input: unknown, isIssued: (encrypted: string) => boolean): ResponsesValidationFailure | null {
  if (typeof input === "string") return null;
  if (!Array.isArray(input)) return invalidType("input", "a string or an array of input items");
  const calls = new Set<string>();
  for (const [i, raw] of input.entries()) {
    const at = `input[${i}]`;
    if (!isObject(raw)) return invalidType(at, "an object");
    const type = raw.type === undefined && raw.role !== undefined ? "message" : String(raw.type);
    const allowed = ITEM_FIELDS[type];
    if (!allowed) return invalidValue(`${at}.type`, raw.type, Object.keys(ITEM_FIELDS));
    const extra = firstUnknown(raw, allowed, at);
    if (extra) return extra;
    if (type === "message") {
      if (!["user", "assistant", "system", "developer"].includes(String(raw.role))) return invalidValue(`${at}.role`, raw.role, ["user", "assistant", "system", "developer"]);
      if (raw.content === undefined) return missing(`${at}.content`);
      const bad = validateContent(raw.content, `${at}.content`, String(raw.role));
      if (bad) return bad;
    } else if (type === "function_call") {
      for (const field of ["call_id", "name", "arguments"]) if (typeof raw[field] !== "string") return missing(`${at}.${field}`);
      calls.add(raw.call_id as string);
    } else if (type === "function_call_output") {
      if (typeof raw.call_id !== "string") return missing(`${at}.call_id`);
      if (raw.output === undefined) return missing(`${at}.output`);
      if (!calls.has(raw.call_id)) return fail(`No tool call found for function call output with call_id ${raw.call_id}.`, "input", null);
      if (typeof raw.output !== "string") {
        const bad = validateContent(raw.output, `${at}.output`, "user");
        if (bad) return bad;
      }
    } else if (type === "reasoning") {
      if (!Array.isArray(raw.summary)) return missing(`${at}.summary`);
      const id = typeof raw.id === "string" ? raw.id : "";
      if (typeof raw.encrypted_content !== "string") {
        return fail(`Item with id '${id}' not found. Items are not persisted when \`store\` is set to false. Try again with \`store\` set to true, or remove this item from your input.`, "input", null, 404);
      }
      if (!isIssued(raw.encrypted_content)) return fail(`The encrypted content for item ${id} could not be verified.`, "input", "invalid_encrypted_content");
    }
  }
  return null;
}

function validateTools(tools: unknown): ResponsesValidationFailure | null {
  if (tools === undefined || tools === null) return null;
  if (!Array.isArray(tools)) return invalidType("tools", "an array");
  for (const [i, tool] of tools.entries()) {
    const at = `tools[${i}]`;
    if (!isObject(tool)) return invalidType(at, "an object");
    if (tool.type === "function") {
      const extra = firstUnknown(tool, FUNCTION_TOOL_FIELDS, at);
      if (extra) return extra;
      if (typeof tool.name !== "string" || tool.name === "") return missing(`${at}.name`);
      if (tool.parameters !== undefined && tool.parameters !== null && !isObject(tool.parameters)) return invalidType(`${at}.parameters`, "an object");
      if (tool.strict !== undefined && tool.strict !== null && typeof tool.strict !== "boolean") return invalidType(`${at}.strict`, "a boolean");
    } else if (!HOSTED_TOOL_TYPES.has(String(tool.type))) {
      return invalidValue(`${at}.type`, tool.type, ["function", ...HOSTED_TOOL_TYPES]);
    }
  }
  return null;
}

function validateToolChoice(choice: unknown, tools: unknown): ResponsesValidationFailure | null {
  if (choice === undefined || choice === null) return null;
  if (typeof choice === "string") return ["none", "auto", "required"].includes(choice) ? null : invalidValue("tool_choice", choice, ["none", "auto", "required"]);
  if (!isObject(choice)) return invalidType("tool_choice", "a string or an object");
  if (choice.type === "function") {
    const names = Array.isArray(tools) ? (tools as Json[]).filter((t) => t.type === "function").map((t) => t.name) : [];
    if (!names.includes(choice.name)) return fail(`Tool choice 'function' with name '${String(choice.name)}' not found in 'tools' parameter.`, "tool_choice", null);
  }
  return null;
}

function validateReasoning(reasoning: unknown): ResponsesValidationFailure | null {
  if (reasoning === undefined || reasoning === null) return null;
  if (!isObject(reasoning)) return invalidType("reasoning", "an object");
  const extra = firstUnknown(reasoning, new Set(["effort", "summary", "generate_summary", "context", "mode"]), "reasoning");
  if (extra) return extra;
  if (reasoning.effort !== undefined && reasoning.effort !== null && !EFFORTS.includes(String(reasoning.effort))) return invalidValue("reasoning.effort", reasoning.effort, EFFORTS);
  if (reasoning.summary !== undefined && reasoning.summary !== null && !SUMMARIES.includes(String(reasoning.summary))) return invalidValue("reasoning.summary", reasoning.summary, SUMMARIES);
  return null;
}

function validateText(text: unknown): ResponsesValidationFailure | null {
  if (text === undefined || text === null) return null;
  if (!isObject(text)) return invalidType("text", "an object");
  const extra = firstUnknown(text, new Set(["format", "verbosity"]), "text");
  if (extra) return extra;
  const format = text.format;
  if (format === undefined || format === null) return null;
  if (!isObject(format)) return invalidType("text.format", "an object");
  if (format.type === "json_schema") {
    const bad = firstUnknown(format, new Set(["type", "name", "schema", "strict", "description"]), "text.format");
    if (bad) return bad;
    if (typeof format.name !== "string") return missing("text.format.name");
    if (!isObject(format.schema)) return missing("text.format.schema");
  } else if (format.type !== "text" && format.type !== "json_object") {
    return invalidValue("text.format.type", format.type, ["text", "json_object", "json_schema"]);
  }
  return null;
}

/** The first failure, as the Responses API reports it, or null. `isIssued` says whether an encrypted_content came from this server. */
export function validateResponsesRequest(body: unknown, isIssued: (encrypted: string) => boolean): ResponsesValidationFailure | null {
  if (!isObject(body)) return fail("We could not parse the JSON body of your request. (HINT: the body must be a JSON object.)", null, null);
  const extra = firstUnknown(body, RESPONSES_CREATE_FIELDS, "");
  if (extra) return extra;
  if (typeof body.model !== "string" || body.model === "") return missing("model");
  if (body.input === undefined || body.input === null) return missing("input");
  if (typeof body.previous_response_id === "string") {
    return fail(`Previous response with id '${body.previous_response_id}' not found.`, "previous_response_id", "previous_response_not_found");
  }
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== "boolean") return invalidType("stream", "a boolean");
  if (body.stream_options !== undefined && body.stream_options !== null && body.stream !== true) {
    return fail("Invalid value for 'stream_options': only allowed when 'stream' is true.", "stream_options", "invalid_value");
  }
  for (const check of [
    validateNumber(body, "max_output_tokens", 16, 1_000_000, true),
    validateNumber(body, "temperature", 0, 2, false),
    validateNumber(body, "top_p", 0, 1, false),
  ]) {
    if (check) return check;
  }
  if (body.include !== undefined && body.include !== null) {
    if (!Array.isArray(body.include)) return invalidType("include", "an array");
    for (const [i, value] of body.include.entries()) if (!INCLUDABLE.includes(String(value))) return invalidValue(`include[${i}]`, value, INCLUDABLE);
  }
  if (body.parallel_tool_calls !== undefined && body.parallel_tool_calls !== null && typeof body.parallel_tool_calls !== "boolean") return invalidType("parallel_tool_calls", "a boolean");
  if (body.store !== undefined && body.store !== null && typeof body.store !== "boolean") return invalidType("store", "a boolean");
  return validateReasoning(body.reasoning) ?? validateText(body.text) ?? validateTools(body.tools) ?? validateToolChoice(body.tool_choice, body.tools) ?? validateInput(body.input, isIssued);
}
