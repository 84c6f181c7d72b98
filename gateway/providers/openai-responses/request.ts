// Canonical request → an OpenAI Responses API body (POST {base}/responses). Pure; every value
// changed or dropped on the way is recorded in the TransformLog (PRODUCT §3.3).
//
// Notes on the choices below:
// - `store: false` unless the client (a Responses client) asked otherwise: the gateway is
//   stateless, and nobody asked OpenAI to keep the conversation.
// - Reasoning round-trips as `encrypted_content` (requested with include when reasoning is
//   on); thinking blocks without a signature cannot go back and are dropped, recorded.
// - Function tools get an explicit `strict: false` when the canonical tool has none: the
//   Responses API defaults to strict, Chat Completions and Anthropic do not.
import { createHash } from "node:crypto";
import type { CanonicalMessage, CanonicalRequest, ContentBlock, ImageBlock, TextBlock, TransformLog } from "../../formats/canonical";

import { reasoningRequested } from "../reasoning-capabilities";

type Json = Record<string, unknown>;

/** The Responses API rejects max_output_tokens below this. */
export const MIN_OUTPUT_TOKENS = 16;

/** Responses parameters a Responses client may have sent that go back upstream as they were. */
const RESTORED_FIELDS: ReadonlySet<string> = new Set([
  "client_metadata", "store", "include", "metadata", "prompt_cache_key", "prompt_cache_retention", "prompt_cache_options", "service_tier",
  "truncation", "safety_identifier", "top_logprobs", "max_tool_calls", "stream_options", "context_management", "moderation",
]);

function imageUrl(block: ImageBlock): string {
  return block.source.kind === "url" ? block.source.url : `data:${block.source.mediaType};base64,${block.source.data}`;
}

function inputPart(block: TextBlock | ImageBlock): Json {
  return block.type === "text" ? { type: "input_text", text: block.text } : { type: "input_image", image_url: imageUrl(block), detail: block.detail ?? "auto" };
}

function textOf(blocks: readonly ContentBlock[]): string {
  return blocks.map((b) => (b.type === "text" ? b.text : "")).join("");
}

/** Reasoning items need an id; a stable one from the content keeps requests reproducible. */
function reasoningId(signature: string): string {
  return `rs_${createHash("sha256").update(signature).digest("hex").slice(0, 48)}`;
}

function userItems(message: CanonicalMessage, index: number, transforms: TransformLog): Json[] {
  const items: Json[] = [];
  const rest: Json[] = [];
  for (const block of message.content) {
    if (block.type === "tool_result") {
      const onlyText = block.content.every((b) => b.type === "text");
      let output: string | Json[] = onlyText ? textOf(block.content) : block.content.map(inputPart);
      if (block.isError) {
        transforms.record({ param: `messages[${index}].content.tool_result.is_error`, action: "changed", to: "output prefixed with 'Error: '", reason: "Responses function_call_output has no error flag" });
        output = typeof output === "string" ? `Error: ${output}` : [{ type: "input_text", text: "Error:" }, ...output];
      }
      items.push({ type: "function_call_output", call_id: block.toolUseId, output });
    } else if (block.type === "text" || block.type === "image") {
      rest.push(inputPart(block));
    }
  }
  // Tool outputs answer the previous turn's calls, so they come before the user's new text.
  if (rest.length > 0) items.push({ type: "message", role: "user", content: rest });
  return items;
}

function assistantItems(message: CanonicalMessage, index: number, transforms: TransformLog): Json[] {
  const items: Json[] = [];
  let text = "";
  const flushText = () => {
    if (text !== "") items.push({ type: "message", role: "assistant", content: text });
    text = "";
  };
  for (const block of message.content) {
    switch (block.type) {
      case "text":
        text += block.text;
        break;
      case "thinking":
        flushText();
        if (block.signature === undefined || block.signature === "") {
          transforms.record({ param: `messages[${index}].content.thinking`, action: "dropped", reason: "reasoning without encrypted_content cannot be sent back to the Responses API" });
          break;
        }
        items.push({ type: "reasoning", id: reasoningId(block.signature), summary: block.thinking === "" ? [] : [{ type: "summary_text", text: block.thinking }], encrypted_content: block.signature });
        break;
      case "redacted_thinking":
        transforms.record({ param: `messages[${index}].content.redacted_thinking`, action: "dropped", reason: "the Responses API has no redacted thinking" });
        break;
      case "tool_use":
        flushText();
        items.push({ type: "function_call", call_id: block.id, name: block.name, arguments: block.inputJson ?? JSON.stringify(block.input ?? {}) });
        break;
      default:
        break;
    }
  }
  flushText();
  return items;
}

function inputItems(request: CanonicalRequest, transforms: TransformLog): Json[] {
  const items: Json[] = [];
  request.messages.forEach((message, index) => {
    if (message.name !== undefined) transforms.record({ param: `messages[${index}].name`, action: "dropped", from: message.name, reason: "Responses input messages have no name" });
    if (message.role === "system") items.push({ type: "message", role: "system", content: [{ type: "input_text", text: textOf(message.content) }] });
    else if (message.role === "assistant") items.push(...assistantItems(message, index, transforms));
    else items.push(...userItems(message, index, transforms));
  });
  return items;
}

/** Anthropic-style thinking / effort → Responses `reasoning`, recording what was translated. */
function reasoningOf(request: CanonicalRequest, transforms: TransformLog): Json | undefined {
  const r = request.reasoning;
  if (!r) return undefined;
  let effort: string | undefined = r.effort;
  if (effort === undefined && r.mode === "enabled") effort = r.budgetTokens === undefined ? "medium" : r.budgetTokens >= 16_000 ? "high" : r.budgetTokens >= 4_000 ? "medium" : "low";
  if (effort === undefined && r.mode === "adaptive") effort = "medium";
  // Reasoning asked for by a client of another family wants its text back (Anthropic thinking,
  // Gemini thoughts, chat's reasoning_content): OpenAI only returns it as a summary.
  const wantsText = reasoningRequested(r) && r.display !== "omitted";
  const summary = r.summary ?? (wantsText ? "auto" : undefined);
  if (effort === undefined && summary === undefined) {
    if (r.mode === "disabled") transforms.record({ param: "thinking", action: "dropped", from: "disabled", reason: "Responses models choose their own reasoning when no effort is given" });
    return undefined;
  }
  if (r.mode !== undefined && r.mode !== "disabled") {
    transforms.record({ param: "thinking", action: "changed", from: r.mode, to: `reasoning.effort=${effort ?? "default"}${summary ? `, reasoning.summary=${summary}` : ""}`, reason: "the Responses API expresses thinking as reasoning effort and summary" });
  }
  return { ...(effort === undefined ? {} : { effort }), ...(summary === undefined ? {} : { summary }) };
}

function recordDropped(request: CanonicalRequest, transforms: TransformLog): void {
  const dropped: Array<[string, unknown]> = [
    ["top_k", request.topK],
    ["stop", request.stop && request.stop.length > 0 ? request.stop : undefined],
    ["seed", request.seed],
    ["presence_penalty", request.presencePenalty],
    ["frequency_penalty", request.frequencyPenalty],
  ];
  for (const [param, value] of dropped) if (value !== undefined) transforms.record({ param, action: "dropped", from: value, reason: `the Responses API has no ${param}` });
  const hasCacheControl =
    request.system.some((b) => b.cacheControl) || request.messages.some((m) => m.content.some((b) => "cacheControl" in b && b.cacheControl)) || request.tools.some((t) => t.cacheControl);
  if (hasCacheControl) transforms.record({ param: "cache_control", action: "dropped", reason: "OpenAI caches prompts automatically" });
}

/** Extensions: a Responses client's own parameters go back; other families' are recorded as dropped. */
function applyExtensions(body: Json, request: CanonicalRequest, transforms: TransformLog): void {
  for (const [api, fields] of Object.entries(request.extensions)) {
    for (const [param, value] of Object.entries(fields ?? {})) {
      if (api !== "openai_responses") {
        transforms.record({ param, action: "dropped", from: value, reason: `no Responses API equivalent (${api} parameter)` });
      } else if (RESTORED_FIELDS.has(param)) {
        body[param] = value;
      } else if (param === "text.verbosity") {
        body.text = { ...(body.text as Json | undefined), verbosity: value };
      } else if (param === "reasoning.context" || param === "reasoning.mode") {
        body.reasoning = { ...(body.reasoning as Json | undefined), [param.slice("reasoning.".length)]: value };
      } else if (param === "tool_choice") {
        body.tool_choice = value;
      } else if (/^tools\[\d+\]$/.test(param)) {
        body.tools = [...((body.tools as Json[] | undefined) ?? []), value];
      } else {
        transforms.record({ param, action: "dropped", from: value, reason: "not carried through the canonical model" });
      }
    }
  }
}

export function buildResponsesBody(request: CanonicalRequest, model: string, transforms: TransformLog): Json {
  const body: Json = { model, input: inputItems(request, transforms) };
  if (request.system.length > 0) body.instructions = request.system.map((b) => b.text).join("\n\n");
  if (request.stream) body.stream = true;
  if (request.maxTokens !== undefined) {
    body.max_output_tokens = Math.max(request.maxTokens, MIN_OUTPUT_TOKENS);
    if (request.maxTokens < MIN_OUTPUT_TOKENS) {
      transforms.record({ param: "max_tokens", action: "changed", from: request.maxTokens, to: MIN_OUTPUT_TOKENS, reason: `the Responses API accepts max_output_tokens >= ${MIN_OUTPUT_TOKENS}` });
    }
  }
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.user !== undefined) body.user = request.user;
  if (request.tools.length > 0) {
    body.tools = request.tools.map((t) => ({ type: "function", name: t.name, ...(t.description ? { description: t.description } : {}), parameters: t.parameters, strict: t.strict ?? false }));
  }
  const choice = request.toolChoice;
  if (choice) {
    body.tool_choice = choice.type === "auto" ? "auto" : choice.type === "any" ? "required" : choice.type === "none" ? "none" : { type: "function", name: choice.name };
    if (choice.type !== "none" && choice.disableParallel) body.parallel_tool_calls = false;
  }
  const reasoning = reasoningOf(request, transforms);
  if (reasoning) body.reasoning = reasoning;
  if (request.responseFormat) {
    const f = request.responseFormat;
    const format =
      f.type === "json_schema"
        ? { type: "json_schema", name: f.name, schema: f.schema, ...(f.strict !== undefined ? { strict: f.strict } : {}), ...(f.description ? { description: f.description } : {}) }
        : { type: f.type };
    body.text = { format };
  }
  recordDropped(request, transforms);
  body.store = false;
  applyExtensions(body, request, transforms);
  // Without it a stateless caller cannot send the reasoning back on the next turn.
  const effort = (body.reasoning as Json | undefined)?.effort;
  if (body.reasoning !== undefined && effort !== "none" && body.store === false) {
    const include = Array.isArray(body.include) ? (body.include as unknown[]) : [];
    if (!include.includes("reasoning.encrypted_content")) body.include = [...include, "reasoning.encrypted_content"];
  }
  return body;
}
