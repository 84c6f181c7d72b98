// The Gemini surface of the gateway (PRODUCT §2), under /genai (v1beta, and v1 for clients
// pinned to it):
//   POST /genai/v1beta/models/{model}:generateContent
//   POST /genai/v1beta/models/{model}:streamGenerateContent?alt=sse   (SSE)
//   POST /genai/v1beta/models/{model}:streamGenerateContent           (one JSON array)
//   POST /genai/v1beta/models/{model}:countTokens                     (the gateway's estimate)
//   GET  /genai/v1beta/models, GET /genai/v1beta/models/{model}
// Anything else under /genai is a 404 in Google's error shape.
// The model may contain slashes (`mockai/gpt-mock-1`: provider/model addressing) and may be
// URL-encoded. Keys come from x-goog-api-key (Google's SDKs), `?key=` (Google's curl
// samples), Authorization: Bearer or x-api-key. Routing rules and provider restrictions see
// these requests as request types "chat" / "chat_stream" (there are no Gemini-specific ones).
import { runJsonRoute } from "../json-route";
import type { IncomingHttpHeaders } from "node:http";
import { GatewayError } from "../../errors";
import type { GatewayDeps } from "../../gateway-deps";
import type { RequestContext } from "../../http/request-context";
import { readBody } from "../../http/read-body";
import { authenticate } from "../../pipeline/authenticate";
import { createInferenceHandler } from "../../pipeline/handle-inference";
import { requireSnapshot } from "../../pipeline/request-start";
import { adapterFor } from "../../providers/registry";
import type { CanonicalRequest } from "../../formats/canonical";
import { isJsonObject } from "../../providers/gemini/gemini-wire";
import type { DecodeContext } from "../types";
import { modelsForKey } from "../models-for-key";
import { geminiCodec, geminiJsonArrayCodec } from "./gemini-codec";
import { decodeGeminiRequest } from "./gemini-request-decoder";

const GENERATE_PATH = /^\/genai\/v1(?:beta)?\/models\/(.+):(generateContent|streamGenerateContent)$/;
const COUNT_TOKENS_PATH = /^\/genai\/v1(?:beta)?\/models\/(.+):countTokens$/;
const MODEL_PATH = /^\/genai\/v1(?:beta)?\/models\/([^:]+)$/;
const ANY_GENAI_PATH = /^\/genai(?:\/|$)/;

function invalidArgument(message: string, status = 400): GatewayError {
  return new GatewayError({ status, type: status === 404 ? "not_found_error" : "invalid_request_error", code: status === 404 ? "not_found" : "invalid_argument", message, source: "gateway" });
}

function decodedModel(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw invalidArgument(`The model in the path is not validly URL-encoded: ${raw}`);
  }
}

function generateContext(ctx: RequestContext): DecodeContext {
  const match = GENERATE_PATH.exec(ctx.path);
  return { pathModel: match ? decodedModel(match[1]!) : undefined, pathStream: match?.[2] === "streamGenerateContent" };
}

function queryOf(ctx: RequestContext): URLSearchParams {
  return new URL(ctx.req.url ?? "/", "http://gateway.invalid").searchParams;
}

const CREDENTIAL_HEADERS = ["authorization", "x-api-key", "api-key", "x-goog-api-key"] as const;

/**
 * `?key=` is how Google's REST samples authenticate; authenticate() reads headers only, so a
 * query key becomes the x-goog-api-key header (never overriding a header the client sent).
 */
function promoteQueryKey(ctx: RequestContext): void {
  const key = queryOf(ctx).get("key");
  const headers: IncomingHttpHeaders = ctx.req.headers;
  if (key && !CREDENTIAL_HEADERS.some((name) => headers[name] !== undefined)) headers["x-goog-api-key"] = key;
}


const handleGenerate = createInferenceHandler({
  codec: geminiCodec,
  requestType: (stream) => (stream ? "chat_stream" : "chat"),
  decodeContext: generateContext,
  adapterFor,
});

const handleStreamAsJsonArray = createInferenceHandler({
  codec: geminiJsonArrayCodec,
  requestType: () => "chat",
  decodeContext: (ctx) => ({ ...generateContext(ctx), pathStream: false }),
  adapterFor,
  // Answered whole as a JSON array: the byte passthrough would relay SSE or a single object.
  allowPassthrough: false,
  answerFormat: "json-array",
});

export function handleGeminiGenerateContent(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  promoteQueryKey(ctx);
  const streaming = GENERATE_PATH.exec(ctx.path)?.[2] === "streamGenerateContent";
  if (streaming && queryOf(ctx).get("alt") !== "sse") return handleStreamAsJsonArray(ctx, deps);
  return handleGenerate(ctx, deps);
}


/** A model as Google's models.list shows one; limits the gateway does not know are left out. */
function modelEntry(id: string) {
  return { name: `models/${id}`, version: "switchyard", displayName: id, description: `${id} through the Switchyard gateway`, supportedGenerationMethods: ["generateContent", "streamGenerateContent"] };
}

function allowedModels(ctx: RequestContext, deps: GatewayDeps): string[] {
  promoteQueryKey(ctx);
  const snapshot = requireSnapshot(deps);
  return modelsForKey(authenticate(ctx.req.headers, snapshot), snapshot);
}

export function handleGeminiModels(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  return runJsonRoute(ctx, deps, geminiCodec, () => ({ models: allowedModels(ctx, deps).map(modelEntry) }));
}

export function handleGeminiGetModel(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  return runJsonRoute(ctx, deps, geminiCodec, () => {
    const asked = decodedModel(MODEL_PATH.exec(ctx.path)?.[1] ?? "");
    // A bare model name finds its `provider/model` entry, as routing by catalog would.
    const id = allowedModels(ctx, deps).find((m) => m === asked || m.endsWith(`/${asked}`));
    if (id === undefined) throw invalidArgument(`models/${asked} is not found for API version v1beta, or is not available to this key. Call ListModels to see the list of available models.`, 404);
    return modelEntry(id);
  });
}

/** Characters / 4 over everything the model reads, images at Gemini's flat 258 tokens: an estimate, labelled as one. */
function estimateTokens(request: CanonicalRequest): number {
  let chars = 0;
  let images = 0;
  for (const block of request.system) chars += block.text.length;
  for (const message of request.messages) {
    for (const block of message.content) {
      if (block.type === "text") chars += block.text.length;
      else if (block.type === "thinking") chars += block.thinking.length;
      else if (block.type === "tool_use") chars += block.name.length + JSON.stringify(block.input ?? {}).length;
      else if (block.type === "tool_result") for (const inner of block.content) chars += inner.type === "text" ? inner.text.length : 0;
      else if (block.type === "image") images += 1;
    }
  }
  for (const tool of request.tools) chars += tool.name.length + (tool.description?.length ?? 0) + JSON.stringify(tool.parameters).length;
  return Math.ceil(chars / 4) + images * 258;
}

/** countTokens takes `{contents}` or `{generateContentRequest}`; the gateway answers its own estimate, no provider call. */
export function handleGeminiCountTokens(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  return runJsonRoute(ctx, deps, geminiCodec, async () => {
    promoteQueryKey(ctx);
    authenticate(ctx.req.headers, requireSnapshot(deps));
    let body: unknown;
    try {
      body = JSON.parse((await readBody(ctx.req, deps.maxBodyBytes)).toString("utf8"));
    } catch (error) {
      if (error instanceof GatewayError) throw error;
      throw invalidArgument("Invalid JSON payload received.");
    }
    if (!isJsonObject(body)) throw invalidArgument("Invalid JSON payload received. The request body must be an object.");
    const inner = isJsonObject(body.generateContentRequest) ? body.generateContentRequest : body;
    const model = decodedModel(COUNT_TOKENS_PATH.exec(ctx.path)?.[1] ?? "");
    return { totalTokens: estimateTokens(decodeGeminiRequest(inner, { pathModel: model, pathStream: false })) };
  });
}

export function handleGeminiNotFound(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  return runJsonRoute(ctx, deps, geminiCodec, () => {
    throw invalidArgument(`Unknown Gemini endpoint: ${ctx.req.method ?? "GET"} ${ctx.path}. The gateway serves models/{model}:generateContent, :streamGenerateContent, :countTokens and models.list.`, 404);
  });
}

/** For the router's `patternRoutes` (gateway/http/router.ts), in order: the catch-all comes last. */
export const GEMINI_PATTERN_ROUTES = [
  { method: "POST", pattern: GENERATE_PATH, handler: handleGeminiGenerateContent },
  { method: "POST", pattern: COUNT_TOKENS_PATH, handler: handleGeminiCountTokens },
  { method: "GET", pattern: MODEL_PATH, handler: handleGeminiGetModel },
  { method: "POST", pattern: ANY_GENAI_PATH, handler: handleGeminiNotFound },
  { method: "GET", pattern: ANY_GENAI_PATH, handler: handleGeminiNotFound },
] as const;
