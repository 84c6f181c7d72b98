// Mistral (PRODUCT §3.1, §3.3): OpenAI's chat wire format with a strict dialect. Mistral
// answers 422 `extra_forbidden` to any field it does not know and 400 to tool-call ids that
// are not 9 alphanumerics, and accepts `reasoning_effort` only as "none" or "high". Coding
// agents (Claude Code through the Anthropic ingress) send thinking and effort on every turn,
// so each of those is normalized here — and every change is recorded for the log's
// param_transformations.
import { createHash } from "node:crypto";
import type { CanonicalRequest, TransformLog } from "../../formats/canonical";
import { createOpenAIChatAdapter } from "../openai/openai-chat-adapter";

type Json = Record<string, unknown>;

export const MISTRAL_BASE_URL = "https://api.mistral.ai/v1";

/** Top-level fields Mistral's chat completions accept. */
export const MISTRAL_CHAT_FIELDS: ReadonlySet<string> = new Set([
  "model", "messages", "temperature", "top_p", "max_tokens", "stream", "stop", "random_seed", "response_format",
  "tools", "tool_choice", "presence_penalty", "frequency_penalty", "n", "parallel_tool_calls", "prediction",
  "prompt_mode", "safe_prompt", "reasoning_effort",
]);

const VALID_TOOL_CALL_ID = /^[A-Za-z0-9]{9}$/;
const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/**
 * A stable 9-alphanumeric id for any client id: the same client id maps to the same Mistral
 * id on every turn (the gateway keeps no conversation state), and valid ids stay as they are,
 * so ids Mistral itself issued round-trip unchanged.
 */
export function mistralToolCallId(clientId: string): string {
  if (VALID_TOOL_CALL_ID.test(clientId)) return clientId;
  const digest = createHash("sha256").update(clientId).digest();
  let out = "";
  for (let i = 0; i < 9; i++) out += ALPHANUMERIC[digest[i]! % ALPHANUMERIC.length];
  return out;
}

function normalizeEffort(value: unknown): "none" | "high" {
  return value === "none" || value === "minimal" || value === "low" ? "none" : "high";
}

function adjustBody(body: Json, request: CanonicalRequest, transforms: TransformLog): void {
  if ("max_completion_tokens" in body) {
    body.max_tokens = body.max_completion_tokens;
    delete body.max_completion_tokens;
    transforms.record({ param: "max_tokens", action: "renamed", to: "max_tokens", reason: "mistral has no max_completion_tokens" });
  }
  if ("stream_options" in body) {
    delete body.stream_options;
    transforms.record({ param: "stream_options", action: "dropped", reason: "mistral rejects stream_options (usage comes in the last chunk anyway)" });
  }
  if ("seed" in body) {
    body.random_seed = body.seed;
    delete body.seed;
    transforms.record({ param: "seed", action: "renamed", to: "random_seed", reason: "mistral calls it random_seed" });
  }
  if ("reasoning_effort" in body) {
    // Thinking switched on explicitly (Anthropic / Gemini clients) means "reason", whatever the
    // budget: a small budget must not turn into Mistral's "none".
    const explicitlyOn = request.reasoning?.mode === "enabled" || request.reasoning?.mode === "adaptive";
    const effort = explicitlyOn ? "high" : normalizeEffort(body.reasoning_effort);
    if (effort !== body.reasoning_effort) {
      transforms.record({ param: "reasoning_effort", action: "changed", from: body.reasoning_effort, to: effort, reason: "mistral accepts reasoning_effort none|high" });
      body.reasoning_effort = effort;
    }
  } else if (request.reasoning?.effort !== undefined || request.reasoning?.mode === "disabled") {
    // Thinking off but an effort given (Claude Code sends both): nothing Mistral can express.
    transforms.record({ param: "output_config.effort", action: "dropped", from: request.reasoning?.effort, reason: "thinking is disabled; mistral has no separate effort" });
  }
  // Tool-call ids: rewrite those Mistral would reject, consistently across the conversation.
  const mapped = new Map<string, string>();
  const map = (id: unknown): unknown => {
    if (typeof id !== "string") return id;
    const upstream = mistralToolCallId(id);
    if (upstream !== id && !mapped.has(id)) {
      mapped.set(id, upstream);
      transforms.record({ param: "tool_call_id", action: "changed", from: id, to: upstream, reason: "mistral requires tool-call ids of 9 alphanumerics" });
    }
    return upstream;
  };
  for (const message of (body.messages as Json[] | undefined) ?? []) {
    if (Array.isArray(message.tool_calls)) for (const call of message.tool_calls as Json[]) call.id = map(call.id);
    if (message.role === "tool") message.tool_call_id = map(message.tool_call_id);
    // The OpenAI SDK echoes these back on assistant messages; Mistral rejects them.
    for (const field of ["refusal", "annotations", "audio", "function_call"]) {
      if (field in message) {
        delete message[field];
        transforms.record({ param: `messages.${field}`, action: "dropped", reason: "mistral rejects unknown message fields" });
      }
    }
  }
  for (const field of Object.keys(body)) {
    if (!MISTRAL_CHAT_FIELDS.has(field)) {
      transforms.record({ param: field, action: "dropped", from: body[field], reason: "mistral answers 422 extra_forbidden to unknown fields" });
      delete body[field];
    }
  }
}

export const mistralAdapter = createOpenAIChatAdapter({ id: "mistral", defaultBaseUrl: MISTRAL_BASE_URL, dialect: { adjustBody } });
