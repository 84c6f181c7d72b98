// The Gemini generateContent wire format, shared by Google AI Studio (`v1beta`) and Vertex AI
// (`v1`): the typed shapes the converters read and write, and the field tables that the
// ingress codec (gateway/ingress/gemini/) and the strict mock (gateway/testing/) validate
// against. Google's JSON parser accepts every field name in camelCase and in snake_case (the
// REST docs' curl samples send `system_instruction`), and answers any other name with 400
// "Invalid JSON payload received. Unknown name ..."; `readGeminiStruct` behaves the same way,
// so a client that works against Google works against the gateway, and the reverse.

export type Json = Record<string, unknown>;

export interface GeminiInlineData {
  readonly mimeType: string;
  readonly data: string;
}

export interface GeminiFileData {
  readonly mimeType?: string;
  readonly fileUri: string;
}

export interface GeminiFunctionCall {
  readonly id?: string;
  readonly name: string;
  readonly args?: Json;
}

export interface GeminiFunctionResponse {
  readonly id?: string;
  readonly name: string;
  readonly response: Json;
}

export interface GeminiPart {
  readonly text?: string;
  readonly thought?: boolean;
  readonly thoughtSignature?: string;
  readonly inlineData?: GeminiInlineData;
  readonly fileData?: GeminiFileData;
  readonly functionCall?: GeminiFunctionCall;
  readonly functionResponse?: GeminiFunctionResponse;
}

export interface GeminiContent {
  readonly role?: string;
  readonly parts: readonly GeminiPart[];
}

export interface GeminiUsageMetadata {
  readonly promptTokenCount?: number;
  readonly candidatesTokenCount?: number;
  readonly totalTokenCount?: number;
  readonly cachedContentTokenCount?: number;
  readonly thoughtsTokenCount?: number;
  readonly toolUsePromptTokenCount?: number;
}

/** The fields of each message type that the APIs accept (camelCase; snake_case is accepted too). */
const FIELDS = {
  request: ["model", "contents", "systemInstruction", "tools", "toolConfig", "safetySettings", "generationConfig", "cachedContent"],
  /** Vertex AI adds request labels (billing breakdowns). */
  vertexRequest: ["model", "contents", "systemInstruction", "tools", "toolConfig", "safetySettings", "generationConfig", "cachedContent", "labels"],
  content: ["role", "parts"],
  part: ["text", "thought", "thoughtSignature", "inlineData", "fileData", "functionCall", "functionResponse", "executableCode", "codeExecutionResult", "videoMetadata", "partMetadata", "mediaResolution"],
  inlineData: ["mimeType", "data", "displayName"],
  fileData: ["mimeType", "fileUri", "displayName"],
  functionCall: ["id", "name", "args"],
  functionResponse: ["id", "name", "response", "parts", "willContinue", "scheduling"],
  tool: ["functionDeclarations", "googleSearchRetrieval", "codeExecution", "googleSearch", "urlContext", "computerUse", "fileSearch", "googleMaps", "retrieval", "enterpriseWebSearch"],
  functionDeclaration: ["name", "description", "parameters", "parametersJsonSchema", "response", "responseJsonSchema", "behavior"],
  toolConfig: ["functionCallingConfig", "retrievalConfig"],
  functionCallingConfig: ["mode", "allowedFunctionNames"],
  generationConfig: [
    "stopSequences", "responseMimeType", "responseSchema", "responseJsonSchema", "responseModalities", "candidateCount", "maxOutputTokens",
    "temperature", "topP", "topK", "seed", "presencePenalty", "frequencyPenalty", "responseLogprobs", "logprobs", "enableEnhancedCivicAnswers",
    "speechConfig", "thinkingConfig", "imageConfig", "mediaResolution",
  ],
  thinkingConfig: ["includeThoughts", "thinkingBudget", "thinkingLevel"],
  safetySetting: ["category", "threshold", "method"],
} as const;

export type GeminiStructKind = keyof typeof FIELDS;

const FIELD_SETS: Readonly<Record<GeminiStructKind, ReadonlySet<string>>> = Object.fromEntries(
  Object.entries(FIELDS).map(([kind, names]) => [kind, new Set<string>(names)]),
) as unknown as Record<GeminiStructKind, ReadonlySet<string>>;

/** The data fields of a part: exactly one must be set (a proto `oneof`). */
export const PART_DATA_FIELDS = ["text", "inlineData", "fileData", "functionCall", "functionResponse", "executableCode", "codeExecutionResult"] as const;

/** A request that Google would refuse with 400 INVALID_ARGUMENT; `message` is Google's wording. */
export class GeminiSchemaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GeminiSchemaError";
  }
}

export function snakeToCamel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Error locations are written in the proto's snake_case names, as Google reports them. */
export function camelToSnake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** `parent` + `.field` (+ `[index]`), in Google's location syntax. */
export function fieldPath(parent: string, field: string, index?: number): string {
  const name = camelToSnake(field);
  const joined = parent === "" ? name : `${parent}.${name}`;
  return index === undefined ? joined : `${joined}[${index}]`;
}

export function isJsonObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

export function unknownNameError(name: string, at: string): GeminiSchemaError {
  return new GeminiSchemaError(`Invalid JSON payload received. Unknown name "${name}"${at === "" ? "" : ` at '${at}'`}: Cannot find field.`);
}

/** Google's wording for a value of the wrong type: `Invalid value at 'x' (TYPE_FLOAT), "hot"`. */
export function invalidValueError(at: string, typeName: string, value: unknown): GeminiSchemaError {
  const shown = typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  return new GeminiSchemaError(`Invalid JSON payload received. Invalid value at '${at}' (${typeName}), ${shown}`);
}

/**
 * Reads one message of the wire format: the same object with camelCase keys, or a
 * GeminiSchemaError for a non-object or an unknown field. A field sent twice (camel and snake)
 * keeps the last, like Google's parser.
 */
export function readGeminiStruct(raw: unknown, kind: GeminiStructKind, at: string, typeName: string = kind): Json {
  if (!isJsonObject(raw)) throw invalidValueError(at === "" ? "request" : at, `type.googleapis.com/google.ai.generativelanguage.v1beta.${typeName[0]!.toUpperCase()}${typeName.slice(1)}`, raw);
  const allowed = FIELD_SETS[kind];
  const out: Json = {};
  for (const [key, value] of Object.entries(raw)) {
    const camel = snakeToCamel(key);
    if (!allowed.has(camel)) throw unknownNameError(key, at);
    out[camel] = value;
  }
  return out;
}

export function readList(raw: unknown, at: string): unknown[] {
  if (!Array.isArray(raw)) throw invalidValueError(at, "list", raw);
  return raw;
}

export function readString(raw: unknown, at: string): string {
  if (typeof raw !== "string") throw invalidValueError(at, "TYPE_STRING", raw);
  return raw;
}

export function readBool(raw: unknown, at: string): boolean {
  if (typeof raw !== "boolean") throw invalidValueError(at, "TYPE_BOOL", raw);
  return raw;
}

export function readNumber(raw: unknown, at: string): number {
  if (typeof raw !== "number" || !Number.isFinite(raw)) throw invalidValueError(at, "TYPE_FLOAT", raw);
  return raw;
}

export function readInt(raw: unknown, at: string): number {
  if (typeof raw !== "number" || !Number.isInteger(raw)) throw invalidValueError(at, "TYPE_INT32", raw);
  return raw;
}

/** Which data field a part carries, or a GeminiSchemaError when it has none or several. */
export function partDataField(part: Json, at: string): (typeof PART_DATA_FIELDS)[number] {
  const present = PART_DATA_FIELDS.filter((field) => part[field] !== undefined);
  if (present.length === 0) throw new GeminiSchemaError(`Invalid JSON payload received. '${at}' must set one of: text, inline_data, file_data, function_call, function_response.`);
  if (present.length > 1) throw new GeminiSchemaError(`Invalid JSON payload received. Invalid value at '${at}': oneof field 'data' is already set. Cannot set '${camelToSnake(present[1]!)}'.`);
  return present[0]!;
}

/** Gemini 3 and later: thinking is set by level, and thought signatures on function calls are mandatory. */
export function isGemini3OrLater(model: string): boolean {
  const match = /gemini-(\d+)/.exec(model);
  return match !== null && Number(match[1]) >= 3;
}

/**
 * Google's documented sentinel for a function call whose signature was lost (history written
 * by another model or client): Gemini 3 accepts it instead of answering 400.
 */
export const SKIP_THOUGHT_SIGNATURE = "skip_thought_signature_validator";
