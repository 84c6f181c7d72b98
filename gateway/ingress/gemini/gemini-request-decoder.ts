// A Gemini client's generateContent body → the canonical request. The model and stream-ness
// come from the path (`models/{model}:streamGenerateContent`), not the body. Validation is as
// strict as Google's (unknown names are 400 INVALID_ARGUMENT, in Google's wording), so a body
// that works here works against Google and the reverse.
//
// Gemini function calls carry no ids; the canonical model needs them to pair a tool_use with
// its tool_result. Calls get deterministic ids (from their turn, name and arguments: the same
// on every re-send of the conversation), and each functionResponse is paired with the earliest
// unanswered call of the same name (or with the call its `id` names, when the client sent one).
//
// Parameters without a canonical field stay in `extensions.gemini` under their wire path, so
// the Gemini adapter can restore them and any other adapter records them as dropped.
import { GatewayError } from "../../errors";
import type { CanonicalMessage, CanonicalRequest, CanonicalTool, ContentBlock, ReasoningEffort, ReasoningRequest, ResponseFormat, TextBlock, ToolChoice } from "../../formats/canonical";
import { geminiToolCallId, modelPartsToBlocks, toolResultFromResponse } from "../../providers/gemini/gemini-parts";
import type { GeminiPart, Json } from "../../providers/gemini/gemini-wire";
import {
  fieldPath,
  GeminiSchemaError,
  invalidValueError,
  isJsonObject,
  partDataField,
  readBool,
  readGeminiStruct,
  readInt,
  readList,
  readNumber,
  readString,
} from "../../providers/gemini/gemini-wire";
import type { DecodeContext } from "../types";
import { openApiToJsonSchema } from "./openapi-schema";

/** Decoding state of one request: extensions collected on the way, calls waiting for responses. */
interface DecodeState {
  readonly extensions: Json;
  readonly pendingCalls: Array<{ readonly id: string; readonly name: string }>;
}

function invalid(message: string): GatewayError {
  return new GatewayError({ status: 400, type: "invalid_request_error", code: "invalid_argument", message, source: "gateway" });
}

function unsupported(at: string, what: string): GeminiSchemaError {
  return new GeminiSchemaError(`${at}: ${what} is not supported through the gateway.`);
}

/** One part, typed, after Google's field and oneof checks. */
function readPart(raw: unknown, at: string, state: DecodeState): { part: GeminiPart; data: string } {
  const p = readGeminiStruct(raw, "part", at, "Part");
  const data = partDataField(p, at);
  const part: { -readonly [K in keyof GeminiPart]: GeminiPart[K] } = {};
  if (p.thought !== undefined) part.thought = readBool(p.thought, fieldPath(at, "thought"));
  if (p.thoughtSignature !== undefined) part.thoughtSignature = readString(p.thoughtSignature, fieldPath(at, "thoughtSignature"));
  for (const field of ["mediaResolution", "partMetadata"] as const) if (p[field] !== undefined) state.extensions[fieldPath(at, field)] = p[field];
  if (p.videoMetadata !== undefined) throw unsupported(fieldPath(at, "videoMetadata"), "video");
  switch (data) {
    case "text":
      part.text = readString(p.text, fieldPath(at, "text"));
      break;
    case "inlineData": {
      const where = fieldPath(at, "inlineData");
      const inline = readGeminiStruct(p.inlineData, "inlineData", where, "Blob");
      const mimeType = readString(inline.mimeType, fieldPath(where, "mimeType"));
      if (!mimeType.startsWith("image/")) throw unsupported(where, `inline data of type ${mimeType} (images only)`);
      part.inlineData = { mimeType, data: readString(inline.data, fieldPath(where, "data")) };
      break;
    }
    case "fileData": {
      const where = fieldPath(at, "fileData");
      const file = readGeminiStruct(p.fileData, "fileData", where, "FileData");
      const mimeType = file.mimeType === undefined ? undefined : readString(file.mimeType, fieldPath(where, "mimeType"));
      if (mimeType !== undefined && !mimeType.startsWith("image/")) throw unsupported(where, `file data of type ${mimeType} (images only)`);
      part.fileData = { fileUri: readString(file.fileUri, fieldPath(where, "fileUri")), ...(mimeType ? { mimeType } : {}) };
      break;
    }
    case "functionCall": {
      const where = fieldPath(at, "functionCall");
      const call = readGeminiStruct(p.functionCall, "functionCall", where, "FunctionCall");
      const name = readString(call.name, fieldPath(where, "name"));
      if (call.args !== undefined && !isJsonObject(call.args)) throw invalidValueError(fieldPath(where, "args"), "type.googleapis.com/google.protobuf.Struct", call.args);
      part.functionCall = { name, ...(call.args !== undefined ? { args: call.args as Json } : {}), ...(call.id !== undefined ? { id: readString(call.id, fieldPath(where, "id")) } : {}) };
      break;
    }
    case "functionResponse": {
      const where = fieldPath(at, "functionResponse");
      const response = readGeminiStruct(p.functionResponse, "functionResponse", where, "FunctionResponse");
      if (response.parts !== undefined) throw unsupported(fieldPath(where, "parts"), "a multimodal function response");
      if (!isJsonObject(response.response)) throw invalidValueError(fieldPath(where, "response"), "type.googleapis.com/google.protobuf.Struct", response.response);
      part.functionResponse = {
        name: readString(response.name, fieldPath(where, "name")),
        response: response.response,
        ...(response.id !== undefined ? { id: readString(response.id, fieldPath(where, "id")) } : {}),
      };
      break;
    }
    default:
      throw unsupported(fieldPath(at, data), "code execution");
  }
  return { part, data };
}

function userBlocks(parts: readonly GeminiPart[], at: string, state: DecodeState): ContentBlock[] {
  return parts.map((part, j): ContentBlock => {
    const where = `${at}.parts[${j}]`;
    if (part.thought === true) throw new GeminiSchemaError(`${where}: thought parts belong in model turns.`);
    if (part.functionCall) throw new GeminiSchemaError(`${where}: a function_call belongs in a model turn.`);
    if (part.functionResponse) {
      const response = part.functionResponse;
      let found = response.id === undefined ? -1 : state.pendingCalls.findIndex((c) => c.id === response.id);
      if (found === -1) found = state.pendingCalls.findIndex((c) => c.name === response.name);
      if (found === -1) throw new GeminiSchemaError(`${where}.function_response: no earlier function call named "${response.name}" is waiting for a response.`);
      const [call] = state.pendingCalls.splice(found, 1);
      const result = toolResultFromResponse(response.response);
      return { type: "tool_result", toolUseId: call!.id, content: result.content, ...(result.isError ? { isError: true } : {}) };
    }
    if (part.inlineData) return { type: "image", source: { kind: "base64", mediaType: part.inlineData.mimeType, data: part.inlineData.data } };
    if (part.fileData) return { type: "image", source: { kind: "url", url: part.fileData.fileUri } };
    return { type: "text", text: part.text ?? "" };
  });
}

function messagesOf(raw: unknown, state: DecodeState): CanonicalMessage[] {
  if (raw === undefined || (Array.isArray(raw) && raw.length === 0)) throw new GeminiSchemaError("* GenerateContentRequest.contents: contents is not specified\n");
  return readList(raw, "contents").map((rawContent, i): CanonicalMessage => {
    const at = `contents[${i}]`;
    const content = readGeminiStruct(rawContent, "content", at, "Content");
    const role = content.role === undefined ? "user" : readString(content.role, fieldPath(at, "role"));
    // "function" is the role older clients give to turns of function responses.
    if (role !== "user" && role !== "model" && role !== "function") throw new GeminiSchemaError("Please use a valid role: user, model.");
    const rawParts = content.parts === undefined ? [] : readList(content.parts, fieldPath(at, "parts"));
    if (rawParts.length === 0) throw new GeminiSchemaError(`* GenerateContentRequest.${at}.parts: contents.parts must not be empty.\n`);
    const parts = rawParts.map((p, j) => readPart(p, `${at}.parts[${j}]`, state).part);
    if (role !== "model") return { role: "user", content: userBlocks(parts, at, state) };
    parts.forEach((part, j) => {
      if (part.functionResponse) throw new GeminiSchemaError(`${at}.parts[${j}]: a function_response belongs in a user turn.`);
    });
    const blocks = modelPartsToBlocks(parts, (call, ordinal) => geminiToolCallId(`${i}:${call.name}:${JSON.stringify(call.args ?? {})}`, ordinal));
    for (const block of blocks) if (block.type === "tool_use") state.pendingCalls.push({ id: block.id, name: block.name });
    return { role: "assistant", content: blocks };
  });
}

function systemOf(raw: unknown, state: DecodeState): TextBlock[] {
  if (raw === undefined) return [];
  const content = readGeminiStruct(raw, "content", "system_instruction", "Content");
  const parts = content.parts === undefined ? [] : readList(content.parts, "system_instruction.parts");
  return parts.flatMap((p, j) => {
    const { part } = readPart(p, `system_instruction.parts[${j}]`, state);
    if (part.text === undefined) throw new GeminiSchemaError(`system_instruction.parts[${j}]: a system instruction holds text parts only.`);
    return part.text === "" ? [] : [{ type: "text" as const, text: part.text }];
  });
}

function toolsOf(raw: unknown, state: DecodeState): CanonicalTool[] {
  if (raw === undefined) return [];
  const tools: CanonicalTool[] = [];
  const otherTools: Json[] = [];
  readList(raw, "tools").forEach((rawTool, i) => {
    const at = `tools[${i}]`;
    const tool = readGeminiStruct(rawTool, "tool", at, "Tool");
    const { functionDeclarations, ...rest } = tool;
    // Google's own tools (search, code execution, URL context, ...): only Gemini runs them.
    if (Object.keys(rest).length > 0) otherTools.push(rest);
    if (functionDeclarations === undefined) return;
    readList(functionDeclarations, fieldPath(at, "functionDeclarations")).forEach((rawDeclaration, j) => {
      const where = `${fieldPath(at, "functionDeclarations")}[${j}]`;
      const declaration = readGeminiStruct(rawDeclaration, "functionDeclaration", where, "FunctionDeclaration");
      const name = readString(declaration.name, fieldPath(where, "name"));
      if (name === "") throw new GeminiSchemaError(`* GenerateContentRequest.${where}.name: Invalid function name. Must start with a letter or an underscore.\n`);
      if (declaration.parameters !== undefined && declaration.parametersJsonSchema !== undefined) {
        throw new GeminiSchemaError(`${where}: parameters and parameters_json_schema cannot both be set.`);
      }
      let parameters: Json = { type: "object", properties: {} };
      if (declaration.parametersJsonSchema !== undefined) {
        if (!isJsonObject(declaration.parametersJsonSchema)) throw invalidValueError(fieldPath(where, "parametersJsonSchema"), "type.googleapis.com/google.protobuf.Value", declaration.parametersJsonSchema);
        parameters = declaration.parametersJsonSchema;
      } else if (declaration.parameters !== undefined) {
        if (!isJsonObject(declaration.parameters)) throw invalidValueError(fieldPath(where, "parameters"), "type.googleapis.com/google.ai.generativelanguage.v1beta.Schema", declaration.parameters);
        parameters = openApiToJsonSchema(declaration.parameters);
      }
      for (const field of ["response", "responseJsonSchema", "behavior"] as const) if (declaration[field] !== undefined) state.extensions[fieldPath(where, field)] = declaration[field];
      const description = declaration.description === undefined ? undefined : readString(declaration.description, fieldPath(where, "description"));
      tools.push({ name, ...(description !== undefined ? { description } : {}), parameters });
    });
  });
  if (otherTools.length > 0) state.extensions.tools = otherTools;
  return tools;
}

const MODES: ReadonlySet<string> = new Set(["MODE_UNSPECIFIED", "AUTO", "ANY", "NONE", "VALIDATED"]);

/** toolConfig → tool choice; ANY with several allowed names narrows the tools to them (the canonical model names one at most). */
function toolChoiceOf(raw: unknown, tools: CanonicalTool[], state: DecodeState): { choice?: ToolChoice; tools: CanonicalTool[] } {
  if (raw === undefined) return { tools };
  const config = readGeminiStruct(raw, "toolConfig", "tool_config", "ToolConfig");
  if (config.retrievalConfig !== undefined) state.extensions["toolConfig.retrievalConfig"] = config.retrievalConfig;
  if (config.functionCallingConfig === undefined) return { tools };
  const at = "tool_config.function_calling_config";
  const calling = readGeminiStruct(config.functionCallingConfig, "functionCallingConfig", at, "FunctionCallingConfig");
  const mode = calling.mode === undefined ? "AUTO" : readString(calling.mode, `${at}.mode`);
  if (!MODES.has(mode)) throw invalidValueError(`${at}.mode`, "type.googleapis.com/google.ai.generativelanguage.v1beta.FunctionCallingConfig.Mode", mode);
  const names = calling.allowedFunctionNames === undefined ? [] : readList(calling.allowedFunctionNames, `${at}.allowed_function_names`).map((n, k) => readString(n, `${at}.allowed_function_names[${k}]`));
  if (names.length > 0 && mode !== "ANY" && mode !== "VALIDATED") throw new GeminiSchemaError("allowed_function_names can be set only when the function calling mode is ANY or VALIDATED.");
  for (const name of names) if (!tools.some((t) => t.name === name)) throw new GeminiSchemaError(`${at}.allowed_function_names: "${name}" is not a declared function.`);
  if (mode === "NONE") return { choice: { type: "none" }, tools };
  if (mode === "VALIDATED") state.extensions["toolConfig.functionCallingConfig.mode"] = "VALIDATED";
  const narrowed = names.length > 0 ? tools.filter((t) => names.includes(t.name)) : tools;
  if (mode === "ANY") return { choice: names.length === 1 ? { type: "tool", name: names[0]! } : { type: "any" }, tools: narrowed };
  return { choice: { type: "auto" }, tools: narrowed };
}

const LEVELS: ReadonlySet<string> = new Set(["minimal", "low", "medium", "high"]);

function reasoningOf(raw: unknown): ReasoningRequest | undefined {
  if (raw === undefined) return undefined;
  const at = "generation_config.thinking_config";
  const config = readGeminiStruct(raw, "thinkingConfig", at, "ThinkingConfig");
  const include = config.includeThoughts === undefined ? undefined : readBool(config.includeThoughts, `${at}.include_thoughts`);
  const budget = config.thinkingBudget === undefined ? undefined : readInt(config.thinkingBudget, `${at}.thinking_budget`);
  const level = config.thinkingLevel === undefined ? undefined : readString(config.thinkingLevel, `${at}.thinking_level`).toLowerCase();
  if (level !== undefined && !LEVELS.has(level)) throw invalidValueError(`${at}.thinking_level`, "type.googleapis.com/google.ai.generativelanguage.v1beta.ThinkingConfig.ThinkingLevel", config.thinkingLevel);
  if (budget !== undefined && level !== undefined) throw new GeminiSchemaError("You can only set only one of thinking budget and thinking level.");
  const display = include === true ? { display: "summarized" } : { display: "omitted" };
  if (budget === 0) return { mode: "disabled" };
  if (budget !== undefined && budget > 0) return { mode: "enabled", budgetTokens: budget, ...display };
  if (budget !== undefined && budget !== -1) throw invalidValueError(`${at}.thinking_budget`, "TYPE_INT32", budget);
  if (level !== undefined) return { mode: "adaptive", effort: level as ReasoningEffort, ...display };
  if (budget === -1 || include === true) return { mode: "adaptive", ...display };
  return undefined;
}

function responseFormatOf(mimeType: string | undefined, schema: Json | undefined, state: DecodeState): ResponseFormat | undefined {
  if (mimeType === undefined || mimeType === "text/plain") {
    if (schema !== undefined) throw new GeminiSchemaError("response_schema and response_json_schema need response_mime_type \"application/json\".");
    return undefined;
  }
  if (mimeType === "application/json") return schema ? { type: "json_schema", name: "response", schema } : { type: "json_object" };
  // text/x.enum and other Gemini-only output types: kept for a Gemini upstream.
  state.extensions["generationConfig.responseMimeType"] = mimeType;
  if (schema) state.extensions["generationConfig.responseJsonSchema"] = schema;
  return undefined;
}

/** Fields of generationConfig that have no canonical meaning: kept under their path. */
const GENERATION_EXTENSIONS = ["responseModalities", "responseLogprobs", "logprobs", "enableEnhancedCivicAnswers", "speechConfig", "imageConfig", "mediaResolution"] as const;

interface GenerationSettings {
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  stop?: string[];
  seed?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  reasoning?: ReasoningRequest;
  responseFormat?: ResponseFormat;
}

function generationOf(raw: unknown, state: DecodeState): GenerationSettings {
  if (raw === undefined) return {};
  const at = "generation_config";
  const g = readGeminiStruct(raw, "generationConfig", at, "GenerationConfig");
  const out: GenerationSettings = {};
  if (g.maxOutputTokens !== undefined) {
    out.maxTokens = readInt(g.maxOutputTokens, `${at}.max_output_tokens`);
    if (out.maxTokens < 1) throw new GeminiSchemaError(`* GenerateContentRequest.generation_config.max_output_tokens: max_output_tokens must be positive.\n`);
  }
  if (g.temperature !== undefined) out.temperature = readNumber(g.temperature, `${at}.temperature`);
  if (g.topP !== undefined) out.topP = readNumber(g.topP, `${at}.top_p`);
  if (g.topK !== undefined) out.topK = readNumber(g.topK, `${at}.top_k`);
  if (g.seed !== undefined) out.seed = readInt(g.seed, `${at}.seed`);
  if (g.presencePenalty !== undefined) out.presencePenalty = readNumber(g.presencePenalty, `${at}.presence_penalty`);
  if (g.frequencyPenalty !== undefined) out.frequencyPenalty = readNumber(g.frequencyPenalty, `${at}.frequency_penalty`);
  if (g.stopSequences !== undefined) {
    const stop = readList(g.stopSequences, `${at}.stop_sequences`).map((s, k) => readString(s, `${at}.stop_sequences[${k}]`));
    if (stop.length > 0) out.stop = stop;
  }
  if (g.candidateCount !== undefined && readInt(g.candidateCount, `${at}.candidate_count`) !== 1) throw unsupported(`${at}.candidate_count`, "more than one candidate");
  const mimeType = g.responseMimeType === undefined ? undefined : readString(g.responseMimeType, `${at}.response_mime_type`);
  if (g.responseSchema !== undefined && g.responseJsonSchema !== undefined) throw new GeminiSchemaError("response_schema and response_json_schema cannot both be set.");
  let schema: Json | undefined;
  if (g.responseJsonSchema !== undefined) {
    if (!isJsonObject(g.responseJsonSchema)) throw invalidValueError(`${at}.response_json_schema`, "type.googleapis.com/google.protobuf.Value", g.responseJsonSchema);
    schema = g.responseJsonSchema;
  } else if (g.responseSchema !== undefined) {
    if (!isJsonObject(g.responseSchema)) throw invalidValueError(`${at}.response_schema`, "type.googleapis.com/google.ai.generativelanguage.v1beta.Schema", g.responseSchema);
    schema = openApiToJsonSchema(g.responseSchema);
  }
  const responseFormat = responseFormatOf(mimeType, schema, state);
  if (responseFormat) out.responseFormat = responseFormat;
  const reasoning = reasoningOf(g.thinkingConfig);
  if (reasoning) out.reasoning = reasoning;
  for (const field of GENERATION_EXTENSIONS) if (g[field] !== undefined) state.extensions[`generationConfig.${field}`] = g[field];
  return out;
}

function decode(body: Json, ctx: DecodeContext): CanonicalRequest {
  const model = ctx.pathModel;
  if (model === undefined || model === "") throw invalid("The request path names no model (models/{model}:generateContent).");
  const request = readGeminiStruct(body, "request", "", "GenerateContentRequest");
  const state: DecodeState = { extensions: {}, pendingCalls: [] };
  const messages = messagesOf(request.contents, state);
  const system = systemOf(request.systemInstruction, state);
  const declared = toolsOf(request.tools, state);
  const { choice, tools } = toolChoiceOf(request.toolConfig, declared, state);
  if (request.safetySettings !== undefined) {
    state.extensions.safetySettings = readList(request.safetySettings, "safety_settings").map((s, k) => readGeminiStruct(s, "safetySetting", `safety_settings[${k}]`, "SafetySetting"));
  }
  if (request.cachedContent !== undefined) state.extensions.cachedContent = readString(request.cachedContent, "cached_content");
  const generation = generationOf(request.generationConfig, state);
  return {
    model,
    system,
    messages,
    tools,
    ...(choice ? { toolChoice: choice } : {}),
    ...generation,
    stream: ctx.pathStream === true,
    extensions: Object.keys(state.extensions).length > 0 ? { gemini: state.extensions } : {},
  };
}

/** Throws a GatewayError (400, Google's wording) for anything Google would refuse. */
export function decodeGeminiRequest(body: Json, ctx: DecodeContext): CanonicalRequest {
  try {
    return decode(body, ctx);
  } catch (error) {
    if (error instanceof GeminiSchemaError) throw invalid(error.message);
    throw error;
  }
}
