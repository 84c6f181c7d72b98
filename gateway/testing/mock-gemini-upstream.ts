// A strict mock of Google's generateContent API, on both of its addresses: the Gemini API
// (AI Studio, `/v1beta/models/{model}:generateContent`, key in x-goog-api-key or `?key=`) and
// Vertex AI (`/v1/projects/{p}/locations/{l}/publishers/google/models/{model}:...`, OAuth
// Bearer token). Strict like the real service:
//   - unknown fields anywhere → 400 INVALID_ARGUMENT "Invalid JSON payload received. Unknown
//     name ..." (also JSON-Schema-only keywords inside `parameters`, Google's OpenAPI subset);
//   - a missing key → 403 PERMISSION_DENIED, a wrong one → 400 API_KEY_INVALID (AI Studio),
//     a wrong token → 401 UNAUTHENTICATED (Vertex);
//   - function responses must follow their call turn with as many parts as it had calls;
//   - thought signatures must be ones this mock issued, and Gemini 3 models refuse function
//     calls of the current turn without one; thinking budgets and levels per model family.
// Answers follow gateway/testing/mock-scenarios.ts. With thinkingConfig.includeThoughts a
// thought part comes first; function calls always carry a thoughtSignature, text parts do
// when there was reasoning. Streams (`?alt=sse`) are `data:` events framed with CRLF, as
// Google sends them; without alt=sse the streaming method answers one JSON array.
//
//   tsx gateway/testing/mock-gemini-upstream.ts --port 9003
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { thinkingCapabilityOf } from "../providers/gemini/gemini-thinking";
import type { Json } from "../providers/gemini/gemini-wire";
import {
  fieldPath,
  GeminiSchemaError,
  isGemini3OrLater,
  isJsonObject,
  partDataField,
  readGeminiStruct,
  readList,
  SKIP_THOUGHT_SIGNATURE,
  unknownNameError,
} from "../providers/gemini/gemini-wire";
import { REASONING_TOKENS, scenarioOutcome, scenarioTokens, streamPiecesOf, type ScenarioOutcome } from "./mock-scenarios";

export interface MockGeminiRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: http.IncomingHttpHeaders;
  /** Parsed JSON body (undefined when it did not parse). */
  readonly body: unknown;
}

export interface MockGeminiUpstream {
  /** Base URL without a version: the provider's base_url for both `gemini` and `vertex`. */
  readonly url: string;
  readonly requests: MockGeminiRequest[];
  /** Thought signatures handed out so far (a request may only send these back). */
  readonly issuedSignatures: ReadonlySet<string>;
  close(): Promise<void>;
}

export interface MockGeminiOptions {
  /** AI Studio key; requests without it are refused like the real API refuses them. */
  readonly apiKey?: string;
  /** Vertex AI OAuth access token (defaults to apiKey). */
  readonly accessToken?: string;
  readonly port?: number;
}

/** Models that misbehave on purpose. */
export const MOCK_GEMINI_MODELS = {
  rateLimit: "mock-rate-limit",
  overloaded: "mock-overloaded",
  /** Streams one text chunk, then an error event (a failure after the first byte). */
  streamError: "mock-stream-error",
} as const;

type Failure = { status: number; body: unknown };

function googleError(code: number, status: string, message: string, details?: unknown[]): Json {
  return { error: { code, message, status, ...(details ? { details } : {}) } };
}

function invalidArgument(message: string): Failure {
  return { status: 400, body: googleError(400, "INVALID_ARGUMENT", message, [{ "@type": "type.googleapis.com/google.rpc.BadRequest", fieldViolations: [{ description: message }] }]) };
}

/** Fields of Google's OpenAPI `Schema` (functionDeclarations.parameters, responseSchema). */
const SCHEMA_FIELDS: ReadonlySet<string> = new Set([
  "type", "format", "title", "description", "nullable", "enum", "maxItems", "minItems", "properties", "required", "minProperties", "maxProperties",
  "minLength", "maxLength", "pattern", "example", "anyOf", "propertyOrdering", "default", "items", "minimum", "maximum",
]);

function validateOpenApiSchema(schema: unknown, at: string): void {
  if (!isJsonObject(schema)) return;
  for (const [key, value] of Object.entries(schema)) {
    if (!SCHEMA_FIELDS.has(key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()))) throw unknownNameError(key, at);
    if (key === "properties" && isJsonObject(value)) Object.values(value).forEach((v, k) => validateOpenApiSchema(v, `${at}.properties[${k}].value`));
    if (key === "items") validateOpenApiSchema(value, `${at}.items`);
    if (key === "anyOf" && Array.isArray(value)) value.forEach((v, k) => validateOpenApiSchema(v, `${at}.any_of[${k}]`));
  }
}

function validateThinking(raw: unknown, model: string): void {
  const config = readGeminiStruct(raw, "thinkingConfig", "generation_config.thinking_config", "ThinkingConfig");
  if (config.thinkingBudget !== undefined && config.thinkingLevel !== undefined) throw new GeminiSchemaError("You can only set only one of thinking budget and thinking level.");
  const capability = thinkingCapabilityOf(model);
  if (config.thinkingLevel !== undefined && capability.kind !== "level") throw new GeminiSchemaError("Thinking level is not supported for this model.");
  if (config.thinkingLevel !== undefined && capability.kind === "level" && !capability.levels.includes(String(config.thinkingLevel).toLowerCase() as never)) {
    throw new GeminiSchemaError(`Thinking level ${String(config.thinkingLevel)} is not supported for this model.`);
  }
  const budget = config.thinkingBudget;
  if (budget === undefined) return;
  if (typeof budget !== "number" || !Number.isInteger(budget)) throw new GeminiSchemaError(`Invalid value at 'generation_config.thinking_config.thinking_budget' (TYPE_INT32), ${JSON.stringify(budget)}`);
  if (capability.kind === "none") throw new GeminiSchemaError("Thinking is not supported for this model.");
  if (capability.kind === "budget" && budget !== -1) {
    if (budget === 0 && !capability.canDisable) throw new GeminiSchemaError("Budget 0 is invalid. This model only works in thinking mode.");
    if (budget !== 0 && (budget < capability.min || budget > capability.max)) throw new GeminiSchemaError(`The thinking budget ${budget} is invalid. Please choose a value between ${capability.min} and ${capability.max}.`);
  }
}

/** Every message of the request, field by field; throws GeminiSchemaError with Google's wording. */
function validateStructure(request: Json, vertex: boolean, model: string): void {
  const r = readGeminiStruct(request, vertex ? "vertexRequest" : "request", "", "GenerateContentRequest");
  const contents = r.contents === undefined ? [] : readList(r.contents, "contents");
  if (contents.length === 0) throw new GeminiSchemaError("* GenerateContentRequest.contents: contents is not specified\n");
  const validateParts = (parts: unknown[], at: string) =>
    parts.forEach((raw, j) => {
      const where = `${at}.parts[${j}]`;
      const part = readGeminiStruct(raw, "part", where, "Part");
      const data = partDataField(part, where);
      if (data === "text" && typeof part.text !== "string") throw new GeminiSchemaError(`Invalid value at '${where}.text' (TYPE_STRING), ${JSON.stringify(part.text)}`);
      if (part.thoughtSignature !== undefined && typeof part.thoughtSignature !== "string") throw new GeminiSchemaError(`Invalid value at '${where}.thought_signature' (TYPE_BYTES), ${JSON.stringify(part.thoughtSignature)}`);
      if (data === "inlineData" || data === "fileData" || data === "functionCall" || data === "functionResponse") readGeminiStruct(part[data], data, fieldPath(where, data));
      if (data === "functionCall" && typeof (part.functionCall as Json).name !== "string") throw new GeminiSchemaError(`* GenerateContentRequest.${where}.function_call.name: Name cannot be empty.\n`);
      if (data === "functionResponse" && typeof (part.functionResponse as Json).name !== "string") throw new GeminiSchemaError(`* GenerateContentRequest.${where}.function_response.name: Name cannot be empty.\n`);
    });
  contents.forEach((raw, i) => {
    const at = `contents[${i}]`;
    const content = readGeminiStruct(raw, "content", at, "Content");
    if (content.role !== undefined && content.role !== "user" && content.role !== "model") throw new GeminiSchemaError("Please use a valid role: user, model.");
    const parts = content.parts === undefined ? [] : readList(content.parts, `${at}.parts`);
    if (parts.length === 0) throw new GeminiSchemaError(`* GenerateContentRequest.${at}.parts: contents.parts must not be empty.\n`);
    validateParts(parts, at);
  });
  if (r.systemInstruction !== undefined) {
    const system = readGeminiStruct(r.systemInstruction, "content", "system_instruction", "Content");
    validateParts(system.parts === undefined ? [] : readList(system.parts, "system_instruction.parts"), "system_instruction");
  }
  (r.tools === undefined ? [] : readList(r.tools, "tools")).forEach((raw, i) => {
    const tool = readGeminiStruct(raw, "tool", `tools[${i}]`, "Tool");
    (tool.functionDeclarations === undefined ? [] : readList(tool.functionDeclarations, `tools[${i}].function_declarations`)).forEach((d, j) => {
      const at = `tools[${i}].function_declarations[${j}]`;
      const declaration = readGeminiStruct(d, "functionDeclaration", at, "FunctionDeclaration");
      if (typeof declaration.name !== "string" || declaration.name === "") throw new GeminiSchemaError(`* GenerateContentRequest.${at}.name: Invalid function name. Must start with a letter or an underscore.\n`);
      if (declaration.parameters !== undefined && declaration.parametersJsonSchema !== undefined) throw new GeminiSchemaError(`* GenerateContentRequest.${at}: parameters and parameters_json_schema cannot both be set.\n`);
      validateOpenApiSchema(declaration.parameters, `${at}.parameters`);
    });
  });
  if (r.toolConfig !== undefined) {
    const config = readGeminiStruct(r.toolConfig, "toolConfig", "tool_config", "ToolConfig");
    if (config.functionCallingConfig !== undefined) {
      const calling = readGeminiStruct(config.functionCallingConfig, "functionCallingConfig", "tool_config.function_calling_config", "FunctionCallingConfig");
      if (calling.mode !== undefined && !["MODE_UNSPECIFIED", "AUTO", "ANY", "NONE", "VALIDATED"].includes(String(calling.mode))) {
        throw new GeminiSchemaError(`Invalid value at 'tool_config.function_calling_config.mode' (type.googleapis.com/google.ai.generativelanguage.v1beta.FunctionCallingConfig.Mode), ${JSON.stringify(calling.mode)}`);
      }
    }
  }
  (r.safetySettings === undefined ? [] : readList(r.safetySettings, "safety_settings")).forEach((s, i) => readGeminiStruct(s, "safetySetting", `safety_settings[${i}]`, "SafetySetting"));
  if (r.generationConfig !== undefined) {
    const g = readGeminiStruct(r.generationConfig, "generationConfig", "generation_config", "GenerationConfig");
    for (const field of ["temperature", "topP", "topK", "presencePenalty", "frequencyPenalty", "maxOutputTokens", "seed"] as const) {
      if (g[field] !== undefined && typeof g[field] !== "number") throw new GeminiSchemaError(`Invalid JSON payload received. Invalid value at 'generation_config.${fieldPath("", field)}' (TYPE_FLOAT), ${JSON.stringify(g[field])}`);
    }
    if (Array.isArray(g.stopSequences) && g.stopSequences.length > 5) throw new GeminiSchemaError("* GenerateContentRequest.generation_config.stop_sequences: the number of stop_sequences must not exceed 5.\n");
    if (g.responseSchema !== undefined && g.responseJsonSchema !== undefined) throw new GeminiSchemaError("response_schema and response_json_schema cannot both be set.");
    validateOpenApiSchema(g.responseSchema, "generation_config.response_schema");
    if (g.thinkingConfig !== undefined) validateThinking(g.thinkingConfig, model);
  }
}

function partsOf(content: unknown): Json[] {
  return isJsonObject(content) && Array.isArray(content.parts) ? (content.parts as Json[]) : [];
}

/** Conversation rules: function responses answer the call turn right before them, one part per call; signatures are genuine. */
function validateConversation(request: Json, model: string, issued: ReadonlySet<string>): void {
  const contents = request.contents as Json[];
  contents.forEach((content, i) => {
    const responses = partsOf(content).filter((p) => p.functionResponse !== undefined || p.function_response !== undefined).length;
    if (responses === 0) return;
    const previous = contents[i - 1];
    const calls = previous?.role === "model" ? partsOf(previous).filter((p) => p.functionCall !== undefined || p.function_call !== undefined).length : 0;
    if (calls === 0) throw new GeminiSchemaError("Please ensure that function response turn comes immediately after a function call turn.");
    if (calls !== responses) throw new GeminiSchemaError("Please ensure that the number of function response parts is equal to the number of function call parts of the function call turn.");
  });
  for (const content of contents) {
    for (const part of partsOf(content)) {
      const signature = part.thoughtSignature ?? part.thought_signature;
      if (signature !== undefined && signature !== SKIP_THOUGHT_SIGNATURE && !issued.has(String(signature))) throw new GeminiSchemaError("Corrupted thought signature.");
    }
  }
  if (!isGemini3OrLater(model)) return;
  // Gemini 3 checks the current turn: everything after the last user turn that is not only function responses.
  let start = 0;
  contents.forEach((content, i) => {
    if (content.role !== "model" && partsOf(content).some((p) => typeof p.text === "string")) start = i + 1;
  });
  contents.slice(start).forEach((content, offset) => {
    if (content.role !== "model") return;
    const parts = partsOf(content);
    const first = parts.find((p) => p.functionCall !== undefined || p.function_call !== undefined);
    if (first && (first.thoughtSignature ?? first.thought_signature) === undefined) {
      const name = String(((first.functionCall ?? first.function_call) as Json).name);
      throw new GeminiSchemaError(
        `Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, and missing thought_signature may lead to degraded model performance. Additional data, function call \`default_api:${name}\` , position ${start + offset + 1}. Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details.`,
      );
    }
  });
}

/** The first failure, as Google reports it, or null. */
export function validateGeminiRequest(body: unknown, options: { vertex: boolean; model: string; issuedSignatures: ReadonlySet<string> }): Failure | null {
  try {
    if (!isJsonObject(body)) throw new GeminiSchemaError(`Invalid JSON payload received. Expected an object, got ${JSON.stringify(body)?.slice(0, 40)}.`);
    validateStructure(body, options.vertex, options.model);
    validateConversation(body, options.model, options.issuedSignatures);
    return null;
  } catch (error) {
    if (error instanceof GeminiSchemaError) return invalidArgument(error.message);
    throw error;
  }
}

function textOfParts(parts: Json[]): string {
  return parts.filter((p) => typeof p.text === "string" && p.thought !== true).map((p) => p.text as string).join(" ");
}

function outcomeFor(request: Json): ScenarioOutcome {
  const contents = request.contents as Json[];
  const last = contents[contents.length - 1]!;
  const lastUser = [...contents].reverse().find((c) => c.role !== "model" && partsOf(c).some((p) => typeof p.text === "string"));
  const responses = partsOf(last).map((p) => (p.functionResponse ?? p.function_response) as Json | undefined).filter((r): r is Json => r !== undefined);
  const toolResultText =
    responses.length === 0 ? null : responses.map((r) => (isJsonObject(r.response) && typeof r.response.output === "string" ? r.response.output : JSON.stringify(r.response))).join(" ");
  const tools = Array.isArray(request.tools) ? (request.tools as Json[]) : [];
  const toolNames = tools.flatMap((t) => ((t.functionDeclarations ?? t.function_declarations ?? []) as Json[]).map((d) => String(d.name)));
  const generation = (request.generationConfig ?? request.generation_config ?? {}) as Json;
  const thinking = (generation.thinkingConfig ?? generation.thinking_config ?? {}) as Json;
  return scenarioOutcome({
    lastUserText: lastUser ? textOfParts(partsOf(lastUser)) : "",
    toolResultText,
    toolNames,
    wantsReasoning: (thinking.includeThoughts ?? thinking.include_thoughts) === true,
  });
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { ...headers, "content-type": "application/json; charset=UTF-8", "content-length": String(Buffer.byteLength(payload)) });
  res.end(payload);
}

interface Answer {
  readonly model: string;
  readonly responseId: string;
  readonly outcome: ScenarioOutcome;
  readonly promptTokens: number;
  readonly signature: string;
  readonly vertex: boolean;
}

function usageMetadata(answer: Answer, final: boolean): Json {
  const candidates = final ? (answer.outcome.kind === "text" ? scenarioTokens(answer.outcome.text) : 8) : 0;
  const thoughts = answer.outcome.reasoning ? REASONING_TOKENS : 0;
  return {
    promptTokenCount: answer.promptTokens,
    ...(final ? { candidatesTokenCount: candidates } : {}),
    totalTokenCount: answer.promptTokens + candidates + (final ? thoughts : 0),
    ...(final && thoughts > 0 ? { thoughtsTokenCount: thoughts } : {}),
    promptTokensDetails: [{ modality: "TEXT", tokenCount: answer.promptTokens }],
  };
}

function responseOf(answer: Answer, parts: Json[], final: boolean): Json {
  return {
    candidates: [{ content: { parts, role: "model" }, ...(final ? { finishReason: "STOP" } : {}), index: 0 }],
    usageMetadata: usageMetadata(answer, final),
    modelVersion: answer.model,
    ...(answer.vertex ? { createTime: new Date().toISOString() } : {}),
    responseId: answer.responseId,
  };
}

/** The chunks of the answer; joined (one chunk per part kind) they are the non-streamed answer. */
function chunksOf(answer: Answer): Json[] {
  const { outcome } = answer;
  const chunks: Json[][] = [];
  if (outcome.reasoning) chunks.push(...streamPiecesOf(outcome.reasoning).map((piece) => [{ text: piece, thought: true }]));
  if (outcome.kind === "text") {
    streamPiecesOf(outcome.text).forEach((piece, i) => chunks.push([{ text: piece, ...(i === 0 && outcome.reasoning ? { thoughtSignature: answer.signature } : {}) }]));
  } else {
    chunks.push([{ functionCall: { name: outcome.toolName, args: outcome.arguments }, thoughtSignature: answer.signature }]);
  }
  return chunks.map((parts, i) => responseOf(answer, parts, i === chunks.length - 1));
}

/** Adjacent parts of the same kind merged, as the non-streamed answer has them. */
function wholeResponse(answer: Answer): Json {
  const { outcome } = answer;
  const parts: Json[] = [];
  if (outcome.reasoning) parts.push({ text: outcome.reasoning, thought: true });
  if (outcome.kind === "text") parts.push({ text: outcome.text, ...(outcome.reasoning ? { thoughtSignature: answer.signature } : {}) });
  else parts.push({ functionCall: { name: outcome.toolName, args: outcome.arguments }, thoughtSignature: answer.signature });
  return responseOf(answer, parts, true);
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function streamSse(res: http.ServerResponse, chunks: Json[], failAfterFirst: boolean): Promise<void> {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  for (const [i, chunk] of chunks.entries()) {
    res.write(`data: ${JSON.stringify(chunk)}\r\n\r\n`);
    if (failAfterFirst && i === 0) {
      await delay(10);
      res.end(`data: ${JSON.stringify(googleError(500, "INTERNAL", "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting"))}\r\n\r\n`);
      return;
    }
  }
  res.end();
}

const AI_STUDIO_GENERATE = /^\/v1beta\/models\/(.+):(generateContent|streamGenerateContent)$/;
const VERTEX_GENERATE = /^\/v1(?:beta1)?\/projects\/([^/]+)\/locations\/([^/]+)\/publishers\/google\/models\/(.+):(generateContent|streamGenerateContent)$/;

const NOT_FOUND_PAGE = "<!DOCTYPE html>\n<html lang=en>\n  <meta charset=utf-8>\n  <title>Error 404 (Not Found)!!1</title>\n  <p><b>404.</b> <ins>That’s an error.</ins>\n  <p>The requested URL was not found on this server.  <ins>That’s all we know.</ins>\n";

function authFailure(req: http.IncomingMessage, query: URLSearchParams, vertex: boolean, opts: MockGeminiOptions): Failure | null {
  if (vertex) {
    const token = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? "")?.[1];
    const expected = opts.accessToken ?? opts.apiKey;
    if (token === undefined || (expected !== undefined && token !== expected)) {
      return {
        status: 401,
        body: googleError(401, "UNAUTHENTICATED", "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.", [
          { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: token === undefined ? "CREDENTIALS_MISSING" : "ACCESS_TOKEN_TYPE_UNSUPPORTED", domain: "googleapis.com", metadata: { service: "aiplatform.googleapis.com" } },
        ]),
      };
    }
    return null;
  }
  const header = req.headers["x-goog-api-key"];
  const key = (Array.isArray(header) ? header[0] : header) ?? query.get("key") ?? undefined;
  if (key === undefined) {
    return { status: 403, body: googleError(403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.") };
  }
  if (opts.apiKey !== undefined && key !== opts.apiKey) {
    return {
      status: 400,
      body: googleError(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", [
        { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "API_KEY_INVALID", domain: "googleapis.com", metadata: { service: "generativelanguage.googleapis.com" } },
      ]),
    };
  }
  return null;
}

async function handleGenerate(req: http.IncomingMessage, res: http.ServerResponse, record: { body: unknown }, query: URLSearchParams, target: { model: string; stream: boolean; vertex: boolean }, opts: MockGeminiOptions, issued: Set<string>): Promise<void> {
  const failure = authFailure(req, query, target.vertex, opts);
  if (failure) return send(res, failure.status, failure.body);
  const body = record.body;
  if (body === undefined) return send(res, 400, googleError(400, "INVALID_ARGUMENT", "Invalid JSON payload received. Unexpected token."));
  const invalid = validateGeminiRequest(body, { vertex: target.vertex, model: target.model, issuedSignatures: issued });
  if (invalid) return send(res, invalid.status, invalid.body);
  if (target.model === MOCK_GEMINI_MODELS.rateLimit) {
    return send(res, 429, googleError(429, "RESOURCE_EXHAUSTED", "You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.", [
      { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "20s" },
    ]));
  }
  if (target.model === MOCK_GEMINI_MODELS.overloaded) return send(res, 503, googleError(503, "UNAVAILABLE", "The model is overloaded. Please try again later."));

  const request = body as Json;
  const signature = randomBytes(48).toString("base64");
  issued.add(signature);
  const answer: Answer = {
    model: target.model,
    responseId: randomBytes(15).toString("base64url"),
    outcome: outcomeFor(request),
    promptTokens: scenarioTokens(JSON.stringify(request.contents)),
    signature,
    vertex: target.vertex,
  };
  if (!target.stream) return send(res, 200, wholeResponse(answer));
  const chunks = chunksOf(answer);
  if (query.get("alt") === "sse") return streamSse(res, chunks, target.model === MOCK_GEMINI_MODELS.streamError);
  // The REST default: one JSON array, written as Google formats it.
  const payload = `[${chunks.map((c) => JSON.stringify(c, null, 2)).join(",\r\n")}]`;
  res.writeHead(200, { "content-type": "application/json; charset=UTF-8" });
  res.end(payload);
}

export async function startMockGeminiUpstream(opts: MockGeminiOptions = {}): Promise<MockGeminiUpstream> {
  const requests: MockGeminiRequest[] = [];
  const issued = new Set<string>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://mock.invalid");
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        body = undefined;
      }
      const record = { method: req.method ?? "GET", path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body };
      requests.push(record);
      const studio = AI_STUDIO_GENERATE.exec(url.pathname);
      const vertex = VERTEX_GENERATE.exec(url.pathname);
      let work: Promise<void> | void = undefined;
      if (req.method === "POST" && studio) work = handleGenerate(req, res, record, url.searchParams, { model: decodeURIComponent(studio[1]!), stream: studio[2] === "streamGenerateContent", vertex: false }, opts, issued);
      else if (req.method === "POST" && vertex) work = handleGenerate(req, res, record, url.searchParams, { model: decodeURIComponent(vertex[3]!), stream: vertex[4] === "streamGenerateContent", vertex: true }, opts, issued);
      else if (req.method === "GET" && url.pathname === "/v1beta/models") {
        const failure = authFailure(req, url.searchParams, false, opts);
        work = failure
          ? send(res, failure.status, failure.body)
          : send(res, 200, {
              models: [{ name: "models/gemini-2.5-flash", version: "001", displayName: "Gemini 2.5 Flash", inputTokenLimit: 1_048_576, outputTokenLimit: 65_536, supportedGenerationMethods: ["generateContent", "countTokens", "createCachedContent", "batchGenerateContent"], temperature: 1, topP: 0.95, topK: 64, maxTemperature: 2, thinking: true }],
            });
      } else {
        res.writeHead(404, { "content-type": "text/html; charset=UTF-8" });
        res.end(NOT_FOUND_PAGE);
      }
      Promise.resolve(work).catch((error: unknown) => {
        if (!res.headersSent) send(res, 500, googleError(500, "INTERNAL", `mock upstream bug: ${String(error)}`));
        else res.destroy();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    issuedSignatures: issued,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const i = process.argv.indexOf("--port");
  const mock = await startMockGeminiUpstream({ port: i > 0 ? Number(process.argv[i + 1]) : 9003 });
  console.log(`mock Gemini upstream on ${mock.url} (AI Studio: /v1beta/models/..., Vertex: /v1/projects/...)`);
}
