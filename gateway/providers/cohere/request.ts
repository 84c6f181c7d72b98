// Canonical request → Cohere v2 chat body. Pure; every value changed or dropped is recorded
// (PRODUCT §3.3). The mappings that are not one-to-one:
// - an assistant turn's text next to tool calls becomes its `tool_plan` (Cohere's name for
//   the words a model says before calling tools; the response maps it back to text);
// - tool results become `tool` messages; an error result is marked in its text, as Cohere
//   has no error flag;
// - thinking goes back as `thinking` content parts without the signature (Cohere has none);
//   redacted thinking cannot be sent;
// - thinking config (Anthropic budget or OpenAI effort) → `thinking` {type, token_budget},
//   for models that reason;
// - tool_choice "tool" (one named tool) has no Cohere form: REQUIRED is the closest.
import type { CanonicalMessage, CanonicalRequest, ContentBlock, ImageBlock, TransformLog } from "../../formats/canonical";
import { cohereModelTakesThinking, type CohereChatBody, type CohereContentPart, type CohereMessage, type CohereToolCall } from "./wire";

function imagePart(block: ImageBlock): CohereContentPart {
  const url = block.source.kind === "url" ? block.source.url : `data:${block.source.mediaType};base64,${block.source.data}`;
  return { type: "image_url", image_url: { url, ...(block.detail ? { detail: block.detail } : {}) } };
}

function textOf(blocks: readonly ContentBlock[]): string {
  return blocks.map((b) => (b.type === "text" ? b.text : "")).join("");
}

function hasCacheControl(request: CanonicalRequest): boolean {
  return request.system.some((b) => b.cacheControl) || request.messages.some((m) => m.content.some((b) => "cacheControl" in b && b.cacheControl)) || request.tools.some((t) => t.cacheControl);
}

function toolResultText(block: Extract<ContentBlock, { type: "tool_result" }>, param: string, transforms: TransformLog): string {
  if (block.content.some((b) => b.type === "image")) transforms.record({ param: `${param}.content.image`, action: "dropped", reason: "cohere tool messages carry text and documents only" });
  const text = textOf(block.content);
  if (!block.isError) return text;
  transforms.record({ param: `${param}.is_error`, action: "changed", to: "text prefix 'Error: '", reason: "cohere tool results have no error flag" });
  return `Error: ${text}`;
}

function assistantMessage(message: CanonicalMessage, i: number, transforms: TransformLog): CohereMessage | null {
  const parts: CohereContentPart[] = [];
  const toolCalls: CohereToolCall[] = [];
  let text = "";
  message.content.forEach((block, j) => {
    const param = `messages[${i}].content[${j}]`;
    if (block.type === "text") text += block.text;
    else if (block.type === "thinking") {
      parts.push({ type: "thinking", thinking: block.thinking });
      if (block.signature !== undefined) transforms.record({ param: `${param}.signature`, action: "dropped", reason: "cohere thinking has no signature" });
    } else if (block.type === "redacted_thinking") transforms.record({ param, action: "dropped", reason: "cohere cannot take redacted thinking" });
    else if (block.type === "tool_use") toolCalls.push({ id: block.id, type: "function", function: { name: block.name, arguments: block.inputJson ?? JSON.stringify(block.input ?? {}) } });
    else transforms.record({ param, action: "dropped", reason: `cohere assistant messages cannot hold ${block.type} blocks` });
  });
  if (toolCalls.length > 0) {
    // The words before a tool call are the plan Cohere itself would have produced.
    return { role: "assistant", ...(parts.length > 0 ? { content: parts } : {}), ...(text !== "" ? { tool_plan: text } : {}), tool_calls: toolCalls };
  }
  if (text !== "") parts.push({ type: "text", text });
  return parts.length > 0 ? { role: "assistant", content: parts } : null;
}

/** One canonical turn → Cohere messages (tool results first: they answer the previous turn). */
function cohereMessages(message: CanonicalMessage, i: number, transforms: TransformLog): CohereMessage[] {
  if (message.name !== undefined) transforms.record({ param: `messages[${i}].name`, action: "dropped", from: message.name, reason: "cohere messages have no name" });
  if (message.role === "system") return [{ role: "system", content: textOf(message.content) }];
  if (message.role === "assistant") {
    const m = assistantMessage(message, i, transforms);
    return m ? [m] : [];
  }
  const out: CohereMessage[] = [];
  const rest: CohereContentPart[] = [];
  message.content.forEach((block, j) => {
    const param = `messages[${i}].content[${j}]`;
    if (block.type === "tool_result") out.push({ role: "tool", tool_call_id: block.toolUseId, content: toolResultText(block, param, transforms) });
    else if (block.type === "text") rest.push({ type: "text", text: block.text });
    else if (block.type === "image") rest.push(imagePart(block));
    else transforms.record({ param, action: "dropped", reason: `cohere user messages cannot hold ${block.type} blocks` });
  });
  if (rest.length > 0) {
    const onlyText = rest.every((p) => p.type === "text");
    out.push({ role: "user", content: onlyText ? rest.map((p) => (p.type === "text" ? p.text : "")).join("\n") : rest });
  }
  return out;
}

function thinkingOf(request: CanonicalRequest, model: string, transforms: TransformLog): CohereChatBody["thinking"] | undefined {
  const r = request.reasoning;
  if (!r) return undefined;
  const from = r.mode ?? r.effort;
  if (!cohereModelTakesThinking(model)) {
    if (r.mode !== "disabled" && r.effort !== "none") transforms.record({ param: "thinking", action: "dropped", from, reason: `${model} does not reason (cohere answers 400 to thinking)` });
    return undefined;
  }
  if (r.mode === "disabled" || (r.mode === undefined && r.effort === "none")) return { type: "disabled" };
  if (r.effort !== undefined) transforms.record({ param: "output_config.effort", action: "dropped", from: r.effort, reason: "cohere thinking takes a token budget, not an effort" });
  if (r.display !== undefined) transforms.record({ param: "thinking.display", action: "dropped", from: r.display, reason: "cohere has no thinking display setting" });
  if (r.mode === "enabled" && r.budgetTokens !== undefined) {
    transforms.record({ param: "thinking.budget_tokens", action: "renamed", to: "thinking.token_budget", reason: "cohere calls it token_budget" });
    return { type: "enabled", token_budget: r.budgetTokens };
  }
  if (r.mode === "adaptive") transforms.record({ param: "thinking", action: "changed", from: "adaptive", to: "enabled", reason: "cohere thinking is enabled or disabled" });
  return { type: "enabled" };
}

/** Cohere answers 400 to p outside 0.01–0.99 (Anthropic clients send top_p 1) and k above 500. */
const P_RANGE = [0.01, 0.99] as const;
const K_RANGE = [0, 500] as const;

function clamped(value: number, [min, max]: readonly [number, number], param: string, transforms: TransformLog): number {
  const out = Math.min(max, Math.max(min, value));
  if (out !== value) transforms.record({ param, action: "changed", from: value, to: out, reason: `cohere accepts ${param === "top_p" ? "p" : "k"} from ${min} to ${max}` });
  return out;
}

export function buildCohereChatBody(request: CanonicalRequest, model: string, transforms: TransformLog): CohereChatBody {
  const messages: CohereMessage[] = [];
  const system = request.system.map((b) => b.text).filter((t) => t !== "").join("\n\n");
  if (system !== "") messages.push({ role: "system", content: system });
  request.messages.forEach((m, i) => messages.push(...cohereMessages(m, i, transforms)));
  const body: CohereChatBody = { model, messages };
  if (request.stream) body.stream = true;
  if (request.maxTokens !== undefined) body.max_tokens = request.maxTokens;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.p = clamped(request.topP, P_RANGE, "top_p", transforms);
  if (request.topK !== undefined) body.k = clamped(request.topK, K_RANGE, "top_k", transforms);
  if (request.stop && request.stop.length > 0) body.stop_sequences = [...request.stop];
  if (request.seed !== undefined) body.seed = request.seed;
  if (request.presencePenalty !== undefined) body.presence_penalty = request.presencePenalty;
  if (request.frequencyPenalty !== undefined) body.frequency_penalty = request.frequencyPenalty;
  if (request.tools.length > 0) {
    body.tools = request.tools.map((t) => ({ type: "function", function: { name: t.name, ...(t.description ? { description: t.description } : {}), parameters: t.parameters } }));
    if (request.tools.some((t) => t.strict)) {
      body.strict_tools = true;
      transforms.record({ param: "tools.strict", action: "changed", to: "strict_tools=true", reason: "cohere's strict mode applies to all tools at once" });
    }
  }
  const choice = request.toolChoice;
  if (choice) {
    if (choice.type === "any") body.tool_choice = "REQUIRED";
    else if (choice.type === "none") body.tool_choice = "NONE";
    else if (choice.type === "tool") {
      body.tool_choice = "REQUIRED";
      transforms.record({ param: "tool_choice", action: "changed", from: `tool:${choice.name}`, to: "REQUIRED", reason: "cohere cannot force one named tool" });
    }
    if (choice.type !== "none" && choice.disableParallel) transforms.record({ param: "tool_choice.disable_parallel_tool_use", action: "dropped", reason: "cohere has no parallel tool-call switch" });
  }
  const thinking = thinkingOf(request, model, transforms);
  if (thinking) body.thinking = thinking;
  const format = request.responseFormat;
  if (format) {
    if (format.type === "json_schema") {
      body.response_format = { type: "json_object", json_schema: format.schema };
      transforms.record({ param: "response_format", action: "changed", from: "json_schema", to: "json_object with json_schema", reason: "cohere expresses a schema as json_object.json_schema" });
    } else body.response_format = { type: format.type };
  }
  if (request.user !== undefined) transforms.record({ param: "user", action: "dropped", from: request.user, reason: "cohere chat has no end-user field" });
  if (hasCacheControl(request)) transforms.record({ param: "cache_control", action: "dropped", reason: "cohere has no prompt-cache marks" });
  for (const [api, fields] of Object.entries(request.extensions)) {
    for (const [param, value] of Object.entries(fields ?? {})) transforms.record({ param, action: "dropped", from: value, reason: `no cohere chat equivalent (${api} parameter)` });
  }
  return body;
}
