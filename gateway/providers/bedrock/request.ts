// Canonical request → Bedrock Converse body. Pure; every value changed or dropped is recorded
// (PRODUCT §3.3). What Converse cannot take as such, and how it is mapped:
// - system prompts only at the top level: mid-conversation system turns are merged into
//   `system`, and the turns around them (now adjacent, same role) into one turn;
// - cache_control marks become `cachePoint` blocks placed right after the marked block;
// - thinking (with its signature) and redacted thinking become `reasoningContent`;
// - Anthropic's thinking config and top_k go to `additionalModelRequestFields` for Claude
//   models (Nova has its own shape; other families cannot take thinking);
// - a conversation holding toolUse/toolResult blocks must declare `toolConfig`, so tools
//   are synthesized from the history when the client sent none.
import type { CanonicalMessage, CanonicalRequest, ContentBlock, ImageBlock, ReasoningEffort, TextBlock, TransformLog } from "../../formats/canonical";
import {
  isClaudeModel,
  isNovaModel,
  type ConverseContentBlock,
  type ConverseImage,
  type ConverseImageFormat,
  type ConverseMessage,
  type ConverseRequestBody,
  type ConverseSystemBlock,
  type ConverseTool,
  type ConverseToolResultContent,
} from "./wire";

import { budgetForEffort, fitClaudeThinkingBudget, lastToolTurnLacksSignedThinking, MIN_CLAUDE_THINKING_BUDGET, recordThinkingOffForUnsignedTurn } from "../reasoning-capabilities";

type Json = Record<string, unknown>;

const CACHE_POINT = Object.freeze({ cachePoint: Object.freeze({ type: "default" as const }) });

/** Bedrock caches for its default duration; a client asking for another TTL gets it dropped. */
function recordCacheTtl(ttl: string | undefined, param: string, transforms: TransformLog): void {
  if (ttl !== undefined && ttl !== "5m") transforms.record({ param: `${param}.cache_control.ttl`, action: "dropped", from: ttl, reason: "bedrock cachePoint has no ttl; the default (5 minutes) applies" });
}

function imageFormat(mediaType: string): ConverseImageFormat | null {
  const subtype = mediaType.toLowerCase().replace(/^image\//, "");
  if (subtype === "jpg" || subtype === "jpeg") return "jpeg";
  if (subtype === "png" || subtype === "gif" || subtype === "webp") return subtype;
  return null;
}

/** Base64 bytes as Converse wants them; data: URLs (what OpenAI clients send) are unpacked. */
function converseImage(block: ImageBlock, param: string, transforms: TransformLog): ConverseImage | null {
  let mediaType: string;
  let data: string;
  if (block.source.kind === "base64") {
    mediaType = block.source.mediaType;
    data = block.source.data;
  } else {
    const match = /^data:([^;,]+);base64,(.*)$/s.exec(block.source.url);
    if (!match) {
      transforms.record({ param, action: "dropped", from: block.source.url.slice(0, 200), reason: "bedrock takes image bytes, not URLs (the gateway does not fetch them)" });
      return null;
    }
    mediaType = match[1]!;
    data = match[2]!;
  }
  const format = imageFormat(mediaType);
  if (!format) {
    transforms.record({ param, action: "dropped", from: mediaType, reason: "bedrock accepts png, jpeg, gif and webp images" });
    return null;
  }
  if (block.detail !== undefined) transforms.record({ param: `${param}.detail`, action: "dropped", from: block.detail, reason: "bedrock has no image detail setting" });
  return { format, source: { bytes: data } };
}

function toolInput(block: Extract<ContentBlock, { type: "tool_use" }>, param: string, transforms: TransformLog): unknown {
  if (block.inputJson !== undefined) {
    // The model once produced invalid JSON; Converse needs a JSON document, so send what parsed.
    transforms.record({ param: `${param}.input`, action: "changed", from: block.inputJson.slice(0, 200), to: block.input ?? {}, reason: "bedrock toolUse.input must be a JSON document" });
  }
  const input = block.input ?? {};
  return input !== null && typeof input === "object" && !Array.isArray(input) ? input : { value: input };
}

function toolResultContent(block: Extract<ContentBlock, { type: "tool_result" }>, param: string, transforms: TransformLog): ConverseToolResultContent[] {
  const out: ConverseToolResultContent[] = [];
  block.content.forEach((inner, j) => {
    if (inner.type === "text") {
      if (inner.text.trim() !== "") out.push({ text: inner.text });
    } else {
      const image = converseImage(inner, `${param}.content[${j}]`, transforms);
      if (image) out.push({ image });
    }
  });
  // An empty result is still an answer to the call; Converse rejects blank text, not this.
  return out;
}

/** One canonical content block → Converse blocks (the block, then a cachePoint when marked). */
function converseBlocks(block: ContentBlock, role: "user" | "assistant", param: string, transforms: TransformLog): ConverseContentBlock[] {
  const out: ConverseContentBlock[] = [];
  switch (block.type) {
    case "text":
      // Converse answers 400 "The text field in the ContentBlock object … is blank".
      if (block.text.trim() === "") transforms.record({ param, action: "dropped", from: block.text, reason: "bedrock rejects blank text blocks" });
      else out.push({ text: block.text });
      break;
    case "image": {
      const image = converseImage(block, param, transforms);
      if (image) out.push({ image });
      break;
    }
    case "tool_use":
      out.push({ toolUse: { toolUseId: block.id, name: block.name, input: toolInput(block, param, transforms) } });
      break;
    case "tool_result":
      out.push({ toolResult: { toolUseId: block.toolUseId, content: toolResultContent(block, param, transforms), ...(block.isError ? { status: "error" as const } : {}) } });
      break;
    case "thinking":
      if (role !== "assistant") {
        transforms.record({ param, action: "dropped", reason: "bedrock takes reasoning content in assistant turns only" });
        break;
      }
      // Claude verifies the signature of every reasoning block it is sent back; reasoning without
      // one (echoed by an OpenAI chat client as reasoning_content) would be rejected with a 400.
      if (block.signature === undefined) {
        transforms.record({ param, action: "dropped", reason: "bedrock only accepts reasoning content with the signature it issued" });
        break;
      }
      out.push({ reasoningContent: { reasoningText: { text: block.thinking, signature: block.signature } } });
      break;
    case "redacted_thinking":
      if (role !== "assistant") {
        transforms.record({ param, action: "dropped", reason: "bedrock takes reasoning content in assistant turns only" });
        break;
      }
      out.push({ reasoningContent: { redactedContent: block.data } });
      break;
  }
  const cacheControl = "cacheControl" in block ? block.cacheControl : undefined;
  if (cacheControl && out.length > 0) {
    out.push(CACHE_POINT);
    recordCacheTtl(cacheControl.ttl, param, transforms);
  }
  return out;
}

function systemBlocks(blocks: readonly TextBlock[], param: (i: number) => string, transforms: TransformLog): ConverseSystemBlock[] {
  const out: ConverseSystemBlock[] = [];
  blocks.forEach((b, i) => {
    // Blank system text is rejected like blank message text.
    if (b.text.trim() === "") return;
    out.push({ text: b.text });
    if (b.cacheControl) {
      out.push(CACHE_POINT);
      recordCacheTtl(b.cacheControl.ttl, param(i), transforms);
    }
  });
  return out;
}

function messagesAndSystem(request: CanonicalRequest, transforms: TransformLog): { messages: ConverseMessage[]; system: ConverseSystemBlock[] } {
  const system = systemBlocks(request.system, (i) => `system[${i}]`, transforms);
  const messages: Array<{ role: "user" | "assistant"; content: ConverseContentBlock[] }> = [];
  request.messages.forEach((message: CanonicalMessage, i) => {
    if (message.role === "system") {
      const text = message.content.filter((b): b is TextBlock => b.type === "text");
      system.push(...systemBlocks(text, (j) => `messages[${i}].content[${j}]`, transforms));
      transforms.record({ param: `messages[${i}]`, action: "merged", to: "system", reason: "bedrock converse takes system prompts only at the top level" });
      return;
    }
    const content = message.content.flatMap((b, j) => converseBlocks(b, message.role as "user" | "assistant", `messages[${i}].content[${j}]`, transforms));
    if (message.name !== undefined) transforms.record({ param: `messages[${i}].name`, action: "dropped", from: message.name, reason: "bedrock messages have no name" });
    if (content.length === 0) {
      transforms.record({ param: `messages[${i}]`, action: "dropped", reason: "nothing bedrock can take was left in this turn" });
      return;
    }
    const previous = messages[messages.length - 1];
    // Converse requires user and assistant turns to alternate.
    if (previous && previous.role === message.role) {
      previous.content.push(...content);
      transforms.record({ param: `messages[${i}]`, action: "merged", to: `turn ${messages.length - 1}`, reason: "bedrock converse requires alternating user and assistant turns" });
      return;
    }
    messages.push({ role: message.role, content });
  });
  return { messages, system };
}

function historyToolNames(messages: readonly ConverseMessage[]): { names: string[]; hasToolBlocks: boolean } {
  const names: string[] = [];
  let hasToolBlocks = false;
  for (const m of messages) {
    for (const b of m.content) {
      if ("toolUse" in b) {
        hasToolBlocks = true;
        if (!names.includes(b.toolUse.name)) names.push(b.toolUse.name);
      } else if ("toolResult" in b) hasToolBlocks = true;
    }
  }
  return { names, hasToolBlocks };
}

function toolConfig(request: CanonicalRequest, messages: readonly ConverseMessage[], transforms: TransformLog): ConverseRequestBody["toolConfig"] {
  const history = historyToolNames(messages);
  const choice = request.toolChoice;
  if (choice?.type === "none" && !history.hasToolBlocks) {
    if (request.tools.length > 0) transforms.record({ param: "tool_choice", action: "changed", from: "none", to: "tools omitted", reason: "bedrock has no tool_choice none; without tools the model cannot call one" });
    return undefined;
  }
  const tools: ConverseTool[] = [];
  request.tools.forEach((t, i) => {
    tools.push({ toolSpec: { name: t.name, ...(t.description ? { description: t.description } : {}), inputSchema: { json: t.parameters } } });
    if (t.strict !== undefined) transforms.record({ param: `tools[${i}].strict`, action: "dropped", from: t.strict, reason: "bedrock toolSpec has no strict flag" });
    if (t.cacheControl) {
      tools.push(CACHE_POINT);
      recordCacheTtl(t.cacheControl.ttl, `tools[${i}]`, transforms);
    }
  });
  if (tools.length === 0) {
    // Converse answers 400 "The toolConfig field must be defined when using toolUse and toolResult content blocks".
    if (history.names.length === 0) return undefined;
    for (const name of history.names) tools.push({ toolSpec: { name, inputSchema: { json: { type: "object" } } } });
    transforms.record({ param: "tools", action: "changed", to: history.names, reason: "bedrock requires toolConfig when the conversation holds tool calls; declared from the history" });
  }
  if (choice && choice.type !== "none" && choice.disableParallel) {
    transforms.record({ param: "tool_choice.disable_parallel_tool_use", action: "dropped", reason: "bedrock has no parallel tool-use switch" });
  }
  if (choice?.type === "none") {
    transforms.record({ param: "tool_choice", action: "changed", from: "none", to: "auto", reason: "bedrock has no tool_choice none, and tools must stay declared for the tool calls in the history" });
    return { tools };
  }
  const toolChoice = choice === undefined ? undefined : choice.type === "auto" ? { auto: {} } : choice.type === "any" ? { any: {} } : { tool: { name: choice.name } };
  return { tools, ...(toolChoice ? { toolChoice } : {}) };
}

function novaEffort(effort: ReasoningEffort | undefined, budget: number | undefined): "low" | "medium" | "high" {
  if (effort === "low" || effort === "minimal") return "low";
  if (effort === "high" || effort === "xhigh" || effort === "max") return "high";
  if (effort === "medium") return "medium";
  if (budget !== undefined) return budget >= 16_000 ? "high" : budget >= 4_000 ? "medium" : "low";
  return "medium";
}

/** Reasoning and top_k: Converse has no field for either; each model family takes its own. */
function additionalFields(request: CanonicalRequest, model: string, transforms: TransformLog): { fields: Json; raisedMaxTokens?: number } {
  const fields: Json = {};
  const maxTokens = request.maxTokens;
  let raisedMaxTokens: number | undefined;
  const reasoning = request.reasoning;
  const claude = isClaudeModel(model);
  const nova = isNovaModel(model);
  if (reasoning) {
    const on = reasoning.mode === "enabled" || reasoning.mode === "adaptive" || (reasoning.mode === undefined && reasoning.effort !== undefined && reasoning.effort !== "none");
    if (claude && on && lastToolTurnLacksSignedThinking(request.messages)) {
      // Claude requires the last assistant tool turn to start with its signed thinking when
      // thinking is on; a client of another family could not send it back (OpenAI chat has
      // no place for it), so thinking is off for this request instead of a 400.
      recordThinkingOffForUnsignedTurn(transforms);
    } else if (claude) {
      if (reasoning.mode === "enabled" || (reasoning.mode === undefined && on)) {
        // Effort alone (OpenAI-family clients) becomes a budget: Claude reasons only with thinking on.
        const asked = reasoning.mode === "enabled" ? reasoning.budgetTokens ?? MIN_CLAUDE_THINKING_BUDGET : budgetForEffort(reasoning.effort);
        const fitted = fitClaudeThinkingBudget(asked, maxTokens ?? asked + 1, transforms, "inferenceConfig.maxTokens");
        fields.thinking = { type: "enabled", budget_tokens: fitted.budget };
        if (maxTokens !== undefined && fitted.maxTokens !== maxTokens) raisedMaxTokens = fitted.maxTokens;
        transforms.record({ param: "thinking", action: "renamed", to: "additionalModelRequestFields.thinking", reason: "bedrock passes Claude's thinking config through additionalModelRequestFields" });
      } else if (reasoning.mode === "adaptive") {
        fields.thinking = { type: "adaptive" };
        transforms.record({ param: "thinking", action: "renamed", to: "additionalModelRequestFields.thinking", reason: "bedrock passes Claude's thinking config through additionalModelRequestFields" });
      }
      if (reasoning.effort !== undefined) transforms.record({ param: "output_config.effort", action: "dropped", from: reasoning.effort, reason: "effort is a beta on Bedrock; thinking budget applies" });
      if (reasoning.display !== undefined) transforms.record({ param: "thinking.display", action: "dropped", from: reasoning.display, reason: "not passed to Claude on Bedrock" });
    } else if (nova && on) {
      const effort = novaEffort(reasoning.effort, reasoning.budgetTokens);
      fields.reasoningConfig = { type: "enabled", maxReasoningEffort: effort };
      transforms.record({ param: "thinking", action: "changed", from: reasoning.mode ?? reasoning.effort, to: `additionalModelRequestFields.reasoningConfig.maxReasoningEffort=${effort}`, reason: "amazon nova expresses reasoning as reasoningConfig" });
    } else if (on || reasoning.effort !== undefined) {
      transforms.record({ param: "thinking", action: "dropped", from: reasoning.mode ?? reasoning.effort, reason: `no reasoning switch known for ${model} on bedrock` });
    }
  }
  if (request.topK !== undefined) {
    if (nova) {
      fields.inferenceConfig = { topK: request.topK };
      transforms.record({ param: "top_k", action: "renamed", to: "additionalModelRequestFields.inferenceConfig.topK", reason: "converse inferenceConfig has no top_k; nova takes it in its own inferenceConfig" });
    } else {
      fields.top_k = request.topK;
      transforms.record({ param: "top_k", action: "renamed", to: "additionalModelRequestFields.top_k", reason: "converse inferenceConfig has no top_k; passed as a model field" });
    }
  }
  return raisedMaxTokens === undefined ? { fields } : { fields, raisedMaxTokens };
}

export function buildConverseBody(request: CanonicalRequest, model: string, transforms: TransformLog): ConverseRequestBody {
  const { messages, system } = messagesAndSystem(request, transforms);
  const body: ConverseRequestBody = { messages };
  if (system.length > 0) body.system = system;
  const inference: NonNullable<ConverseRequestBody["inferenceConfig"]> = {};
  if (request.maxTokens !== undefined) inference.maxTokens = request.maxTokens;
  if (request.temperature !== undefined) inference.temperature = request.temperature;
  if (request.topP !== undefined) inference.topP = request.topP;
  if (request.stop && request.stop.length > 0) inference.stopSequences = [...request.stop];
  const additional = additionalFields(request, model, transforms);
  if (additional.raisedMaxTokens !== undefined) inference.maxTokens = additional.raisedMaxTokens;
  if (Object.keys(inference).length > 0) body.inferenceConfig = inference;
  const tools = toolConfig(request, messages, transforms);
  if (tools) body.toolConfig = tools;
  if (Object.keys(additional.fields).length > 0) body.additionalModelRequestFields = additional.fields;
  // Converse reports only the stop reason; Claude's matched sequence comes back on request.
  if (inference.stopSequences && isClaudeModel(model)) body.additionalModelResponseFieldPaths = ["/stop_sequence"];

  const dropped: Array<[string, unknown, string]> = [
    ["seed", request.seed, "bedrock converse has no seed"],
    ["presence_penalty", request.presencePenalty, "bedrock converse has no presence_penalty"],
    ["frequency_penalty", request.frequencyPenalty, "bedrock converse has no frequency_penalty"],
    ["user", request.user, "bedrock converse has no end-user field"],
  ];
  for (const [param, value, reason] of dropped) if (value !== undefined) transforms.record({ param, action: "dropped", from: value, reason });
  if (request.responseFormat && request.responseFormat.type !== "text") {
    transforms.record({ param: "response_format", action: "dropped", from: request.responseFormat.type, reason: "not mapped to bedrock converse" });
  }
  for (const [api, fields] of Object.entries(request.extensions)) {
    for (const [param, value] of Object.entries(fields ?? {})) transforms.record({ param, action: "dropped", from: value, reason: `no bedrock converse equivalent (${api} parameter)` });
  }
  return body;
}
