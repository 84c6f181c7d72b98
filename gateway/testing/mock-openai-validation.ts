// Request validation as strict as the real Chat Completions API: unknown top-level
// fields are rejected, so a gateway that adds or renames a field fails the tests.

export const CHAT_COMPLETION_FIELDS: ReadonlySet<string> = new Set([
  "model", "messages", "stream", "stream_options", "temperature", "top_p", "n", "stop",
  "max_tokens", "max_completion_tokens", "presence_penalty", "frequency_penalty", "logit_bias",
  "logprobs", "top_logprobs", "user", "tools", "tool_choice", "parallel_tool_calls",
  "response_format", "seed", "reasoning_effort", "modalities", "audio", "metadata", "store",
  "service_tier", "prediction", "web_search_options", "verbosity", "prompt_cache_key",
  "safety_identifier",
  // Deprecated but still accepted by the real API.
  "functions", "function_call",
]);

const ROLES = new Set(["system", "developer", "user", "assistant", "tool", "function"]);

export interface ValidationFailure {
  message: string;
  param: string | null;
  code: string | null;
}

export function validateChatRequest(body: unknown): ValidationFailure | null {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    return { message: "We could not parse the JSON body of your request. (HINT: the body must be a JSON object.)", param: null, code: null };
  }
  const request = body as Record<string, unknown>;
  for (const field of Object.keys(request)) {
    if (!CHAT_COMPLETION_FIELDS.has(field)) {
      return { message: `Unrecognized request argument supplied: ${field}`, param: null, code: null };
    }
  }
  if (typeof request.model !== "string" || request.model === "") {
    return { message: "you must provide a model parameter", param: null, code: null };
  }
  if (!Array.isArray(request.messages)) {
    return { message: "Missing required parameter: 'messages'.", param: "messages", code: "missing_required_parameter" };
  }
  if (request.messages.length === 0) {
    return { message: "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", param: "messages", code: "empty_array" };
  }
  for (const [i, message] of request.messages.entries()) {
    const role = message !== null && typeof message === "object" ? (message as { role?: unknown }).role : undefined;
    if (typeof role !== "string" || !ROLES.has(role)) {
      return { message: `Invalid value for 'messages[${i}].role'.`, param: `messages[${i}].role`, code: "invalid_value" };
    }
  }
  if (request.stream !== undefined && request.stream !== null && typeof request.stream !== "boolean") {
    return { message: "Invalid type for 'stream': expected a boolean.", param: "stream", code: "invalid_type" };
  }
  if (request.stream_options !== undefined && request.stream_options !== null && request.stream !== true) {
    return { message: "The 'stream_options' parameter is only allowed when 'stream' is enabled.", param: "stream_options", code: null };
  }
  if (request.n !== undefined && request.n !== null && (!Number.isInteger(request.n) || (request.n as number) < 1 || (request.n as number) > 128)) {
    return { message: "Invalid 'n': must be an integer between 1 and 128.", param: "n", code: "invalid_value" };
  }
  return null;
}
