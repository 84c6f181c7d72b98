// Canonical request → a Gemini generateContent body (AI Studio and Vertex AI take the same
// body; the model and stream-ness go in the URL). Lossless where Gemini can express it, and
// every change recorded (PRODUCT §3.3):
//   - the system prompt → systemInstruction; system turns in the middle of the conversation
//     are merged into it (Gemini has no system role in `contents`);
//   - tool results → functionResponse parts named after the matching tool_use (Gemini matches
//     responses to calls by name and order; it has no call ids, and Vertex rejects `id`);
//   - thinking → thinkingConfig through the capability table (gemini-thinking.ts);
//   - thinking signatures → thoughtSignature on the part after the thinking (gemini-parts.ts);
//   - Gemini-only parameters a Gemini client sent (safetySettings, cachedContent, non-function
//     tools, ...) come back from `extensions.gemini`; other families' extensions are dropped.
import { gatewayErrors } from "../../errors";
import type { CanonicalMessage, CanonicalRequest, ContentBlock, TransformLog } from "../../formats/canonical";
import { assistantBlocksToParts, imageToPart, toolNamesById, toolResultResponse } from "./gemini-parts";
import { geminiThinkingConfig } from "./gemini-thinking";
import type { GeminiContent, GeminiPart, Json } from "./gemini-wire";
import { isGemini3OrLater, SKIP_THOUGHT_SIGNATURE } from "./gemini-wire";

/** Gemini accepts at most 5 stop sequences (400 above). */
const MAX_STOP_SEQUENCES = 5;

export interface GeminiBodyOptions {
  /** Provider id, for the errors of a request Gemini cannot be sent. */
  readonly providerId: string;
  /** Vertex AI accepts request `labels`; the Developer API rejects them. */
  readonly vertex: boolean;
}

function textOf(blocks: readonly ContentBlock[]): string {
  return blocks.map((b) => (b.type === "text" ? b.text : "")).join("");
}

function userParts(message: CanonicalMessage, index: number, names: ReadonlyMap<string, string>, options: GeminiBodyOptions, transforms: TransformLog): GeminiPart[] {
  const responses: GeminiPart[] = [];
  const rest: GeminiPart[] = [];
  for (const block of message.content) {
    if (block.type === "tool_result") {
      const name = names.get(block.toolUseId);
      if (name === undefined) {
        throw gatewayErrors.invalidRequest(`messages[${index}]: the tool result for '${block.toolUseId}' answers no tool call in the conversation; ${options.providerId} (Gemini) matches tool results to calls by name.`, "messages");
      }
      responses.push({ functionResponse: { name, response: toolResultResponse(block) } });
      if (block.content.some((b) => b.type === "image")) transforms.record({ param: `messages[${index}].tool_result.image`, action: "dropped", reason: "gemini function responses carry JSON only" });
    } else if (block.type === "text") rest.push({ text: block.text });
    else if (block.type === "image") rest.push(imageToPart(block));
  }
  // Function responses first: they answer the previous model turn, which Gemini checks.
  return [...responses, ...rest];
}

/**
 * Gemini 3 answers 400 when a function call in the history lacks its thought signature (a
 * conversation written by another model, or a client that drops signatures). Google documents
 * a sentinel for exactly that case; the first call of each turn gets it, and it is recorded.
 */
function fillMissingSignatures(contents: GeminiContent[], model: string, transforms: TransformLog): void {
  if (!isGemini3OrLater(model)) return;
  contents.forEach((content, i) => {
    if (content.role !== "model") return;
    const first = content.parts.findIndex((p) => p.functionCall !== undefined);
    if (first === -1 || content.parts[first]!.thoughtSignature !== undefined) return;
    (content.parts as GeminiPart[])[first] = { ...content.parts[first]!, thoughtSignature: SKIP_THOUGHT_SIGNATURE };
    transforms.record({ param: `messages[${i}].thinking.signature`, action: "changed", from: null, to: SKIP_THOUGHT_SIGNATURE, reason: "gemini 3 requires a thought signature on function calls; none was in the history" });
  });
}

function responseSchemaOf(request: CanonicalRequest, transforms: TransformLog): Json {
  const format = request.responseFormat;
  if (!format || format.type === "text") return {};
  if (format.type === "json_object") return { responseMimeType: "application/json" };
  if (format.strict !== undefined) transforms.record({ param: "response_format.json_schema.strict", action: "dropped", from: format.strict, reason: "gemini always follows responseJsonSchema" });
  return { responseMimeType: "application/json", responseJsonSchema: format.schema };
}

/** Gemini parameters a Gemini client sent that have no canonical field (gateway/ingress/gemini/). */
function restoreGeminiExtensions(body: Json, generationConfig: Json, extensions: Readonly<Record<string, unknown>>, options: GeminiBodyOptions, transforms: TransformLog): void {
  for (const [key, value] of Object.entries(extensions)) {
    if (key.startsWith("generationConfig.")) generationConfig[key.slice("generationConfig.".length)] = value;
    else if (key === "tools" && Array.isArray(value)) body.tools = [...((body.tools as unknown[] | undefined) ?? []), ...value];
    else if (key === "toolConfig.retrievalConfig") body.toolConfig = { ...((body.toolConfig as Json | undefined) ?? {}), retrievalConfig: value };
    else if (key === "toolConfig.functionCallingConfig.mode") {
      const toolConfig = (body.toolConfig as Json | undefined) ?? {};
      body.toolConfig = { ...toolConfig, functionCallingConfig: { ...((toolConfig.functionCallingConfig as Json | undefined) ?? {}), mode: value } };
    } else if (key === "labels" && !options.vertex) transforms.record({ param: "labels", action: "dropped", from: value, reason: "only Vertex AI accepts request labels" });
    else if (key === "safetySettings" || key === "cachedContent" || key === "labels") body[key] = value;
    else transforms.record({ param: key, action: "dropped", from: value, reason: `${options.providerId} does not take it in translation` });
  }
}

export function buildGeminiBody(request: CanonicalRequest, model: string, transforms: TransformLog, options: GeminiBodyOptions): Json {
  const system: string[] = request.system.map((b) => b.text);
  const contents: GeminiContent[] = [];
  const names = toolNamesById(request.messages);
  let droppedThinking = false;
  request.messages.forEach((message, i) => {
    if (message.role === "system") {
      system.push(textOf(message.content));
      transforms.record({ param: `messages[${i}]`, action: "merged", to: "systemInstruction", reason: "gemini has no system turns inside contents" });
      return;
    }
    const parts =
      message.role === "assistant"
        ? assistantBlocksToParts(message.content, {
            functionCallIds: false,
            onDropped: (block) => {
              if (block.type === "redacted_thinking") droppedThinking = true;
            },
          })
        : userParts(message, i, names, options, transforms);
    if (message.name !== undefined) transforms.record({ param: `messages[${i}].name`, action: "dropped", from: message.name, reason: "gemini turns have no name" });
    // Gemini rejects a turn without parts ("contents.parts must not be empty").
    if (parts.length === 0) {
      transforms.record({ param: `messages[${i}]`, action: "dropped", reason: "nothing in the turn that gemini can carry" });
      return;
    }
    contents.push({ role: message.role === "assistant" ? "model" : "user", parts });
  });
  if (droppedThinking) transforms.record({ param: "messages.content.redacted_thinking", action: "dropped", reason: "gemini cannot carry another provider's redacted thinking" });
  fillMissingSignatures(contents, model, transforms);

  const body: Json = { contents };
  if (system.length > 0) body.systemInstruction = { parts: [{ text: system.join("\n\n") }] };

  if (request.tools.length > 0) {
    body.tools = [{
      functionDeclarations: request.tools.map((tool) => ({
        name: tool.name,
        ...(tool.description !== undefined ? { description: tool.description } : {}),
        // JSON Schema as the client wrote it: `parameters` takes only Google's OpenAPI subset
        // and answers "Unknown name" to $ref, const, additionalProperties and the like.
        parametersJsonSchema: tool.parameters,
      })),
    }];
    if (request.tools.some((t) => t.strict !== undefined)) transforms.record({ param: "tools.strict", action: "dropped", reason: "gemini has no strict function schemas" });
  }
  const choice = request.toolChoice;
  if (choice) {
    const config =
      choice.type === "auto" ? { mode: "AUTO" }
      : choice.type === "any" ? { mode: "ANY" }
      : choice.type === "none" ? { mode: "NONE" }
      : { mode: "ANY", allowedFunctionNames: [choice.name] };
    body.toolConfig = { functionCallingConfig: config };
    if (choice.type !== "none" && choice.disableParallel) transforms.record({ param: "tool_choice.disable_parallel_tool_use", action: "dropped", from: true, reason: "gemini has no switch for parallel function calls" });
  }
  const cacheMarked = request.system.some((b) => b.cacheControl) || request.messages.some((m) => m.content.some((b) => "cacheControl" in b && b.cacheControl)) || request.tools.some((t) => t.cacheControl);
  if (cacheMarked) transforms.record({ param: "cache_control", action: "dropped", reason: "gemini caches implicitly (explicit caches are cachedContent resources)" });

  const generationConfig: Json = {};
  if (request.maxTokens !== undefined) generationConfig.maxOutputTokens = request.maxTokens;
  if (request.temperature !== undefined) generationConfig.temperature = request.temperature;
  if (request.topP !== undefined) generationConfig.topP = request.topP;
  if (request.topK !== undefined) generationConfig.topK = request.topK;
  if (request.stop && request.stop.length > 0) {
    generationConfig.stopSequences = request.stop.slice(0, MAX_STOP_SEQUENCES);
    if (request.stop.length > MAX_STOP_SEQUENCES) transforms.record({ param: "stop", action: "changed", from: request.stop.length, to: MAX_STOP_SEQUENCES, reason: "gemini accepts at most 5 stop sequences" });
  }
  if (request.seed !== undefined) generationConfig.seed = request.seed;
  if (request.presencePenalty !== undefined) generationConfig.presencePenalty = request.presencePenalty;
  if (request.frequencyPenalty !== undefined) generationConfig.frequencyPenalty = request.frequencyPenalty;
  Object.assign(generationConfig, responseSchemaOf(request, transforms));
  const thinkingConfig = geminiThinkingConfig(request, model, transforms);
  if (thinkingConfig) generationConfig.thinkingConfig = thinkingConfig;
  if (request.user !== undefined) transforms.record({ param: "user", action: "dropped", from: request.user, reason: "gemini has no end-user field" });

  for (const [api, fields] of Object.entries(request.extensions)) {
    if (api === "gemini") restoreGeminiExtensions(body, generationConfig, fields ?? {}, options, transforms);
    else for (const [param, value] of Object.entries(fields ?? {})) transforms.record({ param, action: "dropped", from: value, reason: `no Gemini equivalent (${api} parameter)` });
  }
  if (Object.keys(generationConfig).length > 0) body.generationConfig = generationConfig;
  return body;
}

