// Canonical request → Anthropic Messages request body (POST /v1/messages). Pure: the adapter
// wraps the body in an HTTP request. Anthropic is stricter than the canonical model in a few
// places, and each adjustment below is recorded in the TransformLog (PRODUCT §3.3):
// - only a top-level `system`: system turns in the middle of a conversation are merged into
//   the neighbouring user turn (keeping their place, so a cached prefix stays valid);
// - turns must alternate user / assistant: adjacent turns of one role are merged, with the
//   tool results first in a user turn (the API rejects a tool result after other content);
// - `max_tokens` is required; thinking budgets must be ≥ 1024 and below max_tokens;
// - thinking blocks replayed in a request must carry the signature Anthropic issued.
// What an Anthropic client sent that has no canonical field (extensions.anthropic_messages)
// goes back as it came, so that an Anthropic → Anthropic translation loses nothing.
import type {
  CacheControl,
  CanonicalMessage,
  CanonicalRequest,
  CanonicalTool,
  ContentBlock,
  ImageBlock,
  ReasoningEffort,
  TextBlock,
  TransformLog,
} from "../../formats/canonical";

import { budgetForEffort, fitClaudeThinkingBudget, lastToolTurnLacksSignedThinking, MIN_CLAUDE_THINKING_BUDGET, reasoningRequested, recordThinkingOffForUnsignedTurn } from "../reasoning-capabilities";

type Json = Record<string, unknown>;

/** Sent when the client gave no max_tokens (other families make it optional). */
export const DEFAULT_MAX_TOKENS = 4096;
/** Anthropic's smallest accepted `thinking.budget_tokens`. */
export const MIN_THINKING_BUDGET = MIN_CLAUDE_THINKING_BUDGET;

/** Efforts `output_config.effort` accepts; the others are mapped to the nearest one. */
const ANTHROPIC_EFFORTS: ReadonlySet<ReasoningEffort> = new Set<ReasoningEffort>(["low", "medium", "high", "xhigh", "max"]);

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function withCache(out: Json, cacheControl: CacheControl | undefined): Json {
  if (cacheControl) out.cache_control = { type: cacheControl.type, ...(cacheControl.ttl ? { ttl: cacheControl.ttl } : {}) };
  return out;
}

function textOut(block: TextBlock): Json {
  return withCache({ type: "text", text: block.text }, block.cacheControl);
}

function imageOut(block: ImageBlock, path: string, transforms: TransformLog): Json {
  if (block.detail !== undefined) transforms.record({ param: `${path}.detail`, action: "dropped", from: block.detail, reason: "anthropic images have no detail level" });
  const source = block.source.kind === "url" ? { type: "url", url: block.source.url } : { type: "base64", media_type: block.source.mediaType, data: block.source.data };
  return withCache({ type: "image", source }, block.cacheControl);
}

type Role = "user" | "assistant";

/** One canonical block in a turn of `role` → Anthropic block, or null when it cannot go (recorded). */
function blockOut(block: ContentBlock, role: Role, path: string, transforms: TransformLog): Json | null {
  switch (block.type) {
    case "text":
      if (block.text === "") {
        transforms.record({ param: path, action: "dropped", reason: "anthropic rejects empty text blocks" });
        return null;
      }
      return textOut(block);
    case "image":
      return imageOut(block, path, transforms);
    case "tool_use": {
      if (role !== "assistant") break;
      // Anthropic takes the arguments as an object; invalid JSON the model produced cannot be replayed verbatim.
      const input = isObject(block.input) ? block.input : {};
      if (block.inputJson !== undefined || !isObject(block.input)) {
        transforms.record({ param: `${path}.input`, action: "changed", from: block.inputJson ?? block.input, to: input, reason: "anthropic tool_use input must be a JSON object" });
      }
      return withCache({ type: "tool_use", id: block.id, name: block.name, input }, block.cacheControl);
    }
    case "tool_result": {
      if (role !== "user") break;
      const content: Json[] = [];
      block.content.forEach((inner, i) => {
        const out = inner.type === "text" ? blockOut(inner, "user", `${path}.content[${i}]`, transforms) : imageOut(inner, `${path}.content[${i}]`, transforms);
        if (out) content.push(out);
      });
      return withCache({ type: "tool_result", tool_use_id: block.toolUseId, ...(content.length > 0 ? { content } : {}), ...(block.isError ? { is_error: true } : {}) }, block.cacheControl);
    }
    case "thinking":
      if (role !== "assistant") break;
      // The API verifies the signature of every thinking block it is sent; reasoning from a
      // provider that signs nothing (or another provider's token) would be rejected.
      if (block.signature === undefined || block.signature === "") {
        transforms.record({ param: path, action: "dropped", reason: "anthropic only accepts thinking blocks with the signature it issued" });
        return null;
      }
      return { type: "thinking", thinking: block.thinking, signature: block.signature };
    case "redacted_thinking":
      if (role !== "assistant") break;
      return { type: "redacted_thinking", data: block.data };
  }
  transforms.record({ param: path, action: "dropped", reason: `anthropic has no ${block.type} block in ${role} turns` });
  return null;
}

interface Turn {
  role: Role;
  content: Json[];
  /** Index of the first canonical message in this turn, for transformation paths. */
  from: number;
}

/** Tool results must open a user turn (they answer the previous assistant turn). */
function toolResultsFirst(content: Json[]): Json[] {
  return [...content.filter((b) => b.type === "tool_result"), ...content.filter((b) => b.type !== "tool_result")];
}

/**
 * Canonical messages → alternating Anthropic turns. System turns before the first
 * user/assistant turn join the top-level system (returned apart); later ones become user
 * text in place.
 */
function turnsOf(messages: readonly CanonicalMessage[], transforms: TransformLog): { leadingSystem: Json[]; turns: Turn[] } {
  const leadingSystem: Json[] = [];
  const turns: Turn[] = [];
  let seenConversation = false;
  messages.forEach((message, i) => {
    const path = `messages[${i}]`;
    if (message.name !== undefined) transforms.record({ param: `${path}.name`, action: "dropped", from: message.name, reason: "anthropic messages have no name" });
    let role: Role;
    if (message.role === "system") {
      const texts = message.content.filter((b): b is TextBlock => b.type === "text" && b.text !== "");
      if (!seenConversation) {
        leadingSystem.push(...texts.map(textOut));
        transforms.record({ param: path, action: "merged", to: "system", reason: "anthropic takes system prompts only at the top level" });
        return;
      }
      transforms.record({ param: path, action: "merged", to: "user turn", reason: "anthropic has no system role inside messages; kept in place as user text" });
      role = "user";
    } else {
      role = message.role;
      seenConversation = true;
    }
    const content = message.content.flatMap((block, j) => {
      const out = blockOut(block, role, `${path}.content[${j}]`, transforms);
      return out ? [out] : [];
    });
    if (content.length === 0) {
      transforms.record({ param: path, action: "dropped", reason: "anthropic rejects turns without content" });
      return;
    }
    const previous = turns[turns.length - 1];
    if (previous && previous.role === role) {
      if (message.role !== "system") transforms.record({ param: path, action: "merged", to: `messages[${previous.from}]`, reason: "anthropic needs alternating user and assistant turns" });
      previous.content = role === "user" ? toolResultsFirst([...previous.content, ...content]) : [...previous.content, ...content];
      return;
    }
    turns.push({ role, content: role === "user" ? toolResultsFirst(content) : content, from: i });
  });
  return { leadingSystem, turns };
}

function toolOut(tool: CanonicalTool): Json {
  return withCache(
    {
      name: tool.name,
      ...(tool.description !== undefined ? { description: tool.description } : {}),
      input_schema: tool.parameters,
      ...(tool.strict !== undefined ? { strict: tool.strict } : {}),
    },
    tool.cacheControl,
  );
}

function toolChoiceOut(request: CanonicalRequest, transforms: TransformLog): Json | undefined {
  const choice = request.toolChoice;
  if (!choice) return undefined;
  if (request.tools.length === 0) {
    transforms.record({ param: "tool_choice", action: "dropped", from: choice.type, reason: "anthropic accepts tool_choice only with tools" });
    return undefined;
  }
  if (choice.type === "none") return { type: "none" };
  const parallel = choice.disableParallel ? { disable_parallel_tool_use: true } : {};
  return choice.type === "tool" ? { type: "tool", name: choice.name, ...parallel } : { type: choice.type, ...parallel };
}

/** max_tokens and the thinking budget together: Anthropic wants 1024 ≤ budget < max_tokens. */
function thinkingOut(request: CanonicalRequest, maxTokens: number, transforms: TransformLog): { thinking?: Json; maxTokens: number } {
  const r = request.reasoning;
  if (!r) return { maxTokens };
  const display = r.display !== undefined ? { display: r.display } : {};
  if (r.mode === "disabled") return { thinking: { type: "disabled" }, maxTokens };
  if (reasoningRequested(r) && lastToolTurnLacksSignedThinking(request.messages)) {
    recordThinkingOffForUnsignedTurn(transforms);
    return { maxTokens };
  }
  if (r.mode === "adaptive") return { thinking: { type: "adaptive", ...display }, maxTokens };
  if (r.mode === undefined) {
    // An OpenAI-family client's effort alone: Claude reasons only with thinking on.
    if (!reasoningRequested(r)) return { maxTokens };
    const fitted = fitClaudeThinkingBudget(budgetForEffort(r.effort), maxTokens, transforms);
    transforms.record({ param: "reasoning_effort", action: "changed", from: r.effort, to: `thinking.enabled budget_tokens=${fitted.budget}`, reason: "claude reasons only with thinking enabled" });
    return { thinking: { type: "enabled", budget_tokens: fitted.budget }, maxTokens: fitted.maxTokens };
  }
  const fitted = fitClaudeThinkingBudget(r.budgetTokens ?? MIN_THINKING_BUDGET, maxTokens, transforms);
  return { thinking: { type: "enabled", budget_tokens: fitted.budget, ...display }, maxTokens: fitted.maxTokens };
}

function effortOut(effort: ReasoningEffort | undefined, transforms: TransformLog): ReasoningEffort | undefined {
  if (effort === undefined || ANTHROPIC_EFFORTS.has(effort)) return effort;
  if (effort === "minimal") {
    transforms.record({ param: "output_config.effort", action: "changed", from: effort, to: "low", reason: "anthropic efforts are low|medium|high|xhigh|max" });
    return "low";
  }
  transforms.record({ param: "output_config.effort", action: "dropped", from: effort, reason: "anthropic has no effort 'none'; thinking stays as requested" });
  return undefined;
}

export function buildAnthropicBody(request: CanonicalRequest, model: string, transforms: TransformLog): Json {
  const { leadingSystem, turns } = turnsOf(request.messages, transforms);
  const system = [...request.system.filter((b) => b.text !== "").map(textOut), ...leadingSystem];

  let maxTokens = request.maxTokens;
  if (maxTokens === undefined) {
    transforms.record({ param: "max_tokens", action: "changed", to: DEFAULT_MAX_TOKENS, reason: "anthropic requires max_tokens" });
    maxTokens = DEFAULT_MAX_TOKENS;
  }
  const thinking = thinkingOut(request, maxTokens, transforms);

  const body: Json = { model, max_tokens: thinking.maxTokens, messages: turns.map((t) => ({ role: t.role, content: t.content })) };
  // A lone plain system prompt goes as a string, as most Anthropic clients send it.
  if (system.length === 1 && system[0]!.cache_control === undefined) body.system = system[0]!.text;
  else if (system.length > 0) body.system = system;
  if (request.stream) body.stream = true;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.topK !== undefined) body.top_k = request.topK;
  if (request.stop && request.stop.length > 0) body.stop_sequences = [...request.stop];
  if (request.user !== undefined) body.metadata = { user_id: request.user };
  if (request.tools.length > 0) body.tools = request.tools.map(toolOut);
  const toolChoice = toolChoiceOut(request, transforms);
  if (toolChoice) body.tool_choice = toolChoice;
  if (thinking.thinking) body.thinking = thinking.thinking;

  const outputConfig: Json = {};
  const effort = effortOut(request.reasoning?.effort, transforms);
  if (effort !== undefined) outputConfig.effort = effort;
  if (request.reasoning?.summary !== undefined) transforms.record({ param: "reasoning.summary", action: "dropped", from: request.reasoning.summary, reason: "anthropic returns thinking itself, not summaries on request" });
  const format = request.responseFormat;
  if (format?.type === "json_schema") {
    outputConfig.format = { type: "json_schema", schema: format.schema };
    transforms.record({ param: "response_format", action: "renamed", to: "output_config.format", reason: "anthropic structured outputs take the schema only (name, strict and description are not sent)" });
  } else if (format?.type === "json_object") {
    transforms.record({ param: "response_format", action: "dropped", from: "json_object", reason: "anthropic has JSON outputs only with a schema" });
  }

  if (request.seed !== undefined) transforms.record({ param: "seed", action: "dropped", from: request.seed, reason: "anthropic has no seed" });
  if (request.presencePenalty !== undefined) transforms.record({ param: "presence_penalty", action: "dropped", from: request.presencePenalty, reason: "anthropic has no presence_penalty" });
  if (request.frequencyPenalty !== undefined) transforms.record({ param: "frequency_penalty", action: "dropped", from: request.frequencyPenalty, reason: "anthropic has no frequency_penalty" });

  for (const [api, fields] of Object.entries(request.extensions)) {
    for (const [param, value] of Object.entries(fields ?? {})) {
      if (api !== "anthropic_messages") {
        transforms.record({ param, action: "dropped", from: value, reason: `no anthropic equivalent (${api} parameter)` });
      } else if (param.startsWith("output_config.")) {
        // The ingress keeps output_config members other than effort under dotted names.
        outputConfig[param.slice("output_config.".length)] = value;
      } else {
        body[param] = value;
      }
    }
  }
  if (Object.keys(outputConfig).length > 0) body.output_config = outputConfig;
  return body;
}
