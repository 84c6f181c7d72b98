// Provider adapter for Google's Gemini API (AI Studio, PRODUCT §3.1), and the factory the
// Vertex AI adapter (gateway/providers/vertex/) reuses: both speak the same generateContent
// body and differ only in the URL and credentials. One concern per file beside it: request
// building, response parsing, the stream decoder, error mapping; this file adds the HTTP
// envelope. A Gemini client's request passes through unchanged (only the URL's model and the
// key change), so Gemini-only features survive when client and provider are both Gemini.
import type { CanonicalRequest, TransformLog } from "../../formats/canonical";
import type { TokenUsage } from "../../usage/token-usage";
import type { PassthroughCapable, ProviderAdapter, UpstreamHttpRequest, UpstreamTarget } from "../types";
import { parseGeminiError } from "./gemini-errors";
import { buildGeminiBody } from "./gemini-request";
import { parseGeminiResponse } from "./gemini-response";
import { createGeminiStreamDecoder, createGeminiUsageWatcher } from "./gemini-stream";
import { usageFromGemini } from "./gemini-usage";
import { isJsonObject } from "./gemini-wire";

export const GEMINI_BASE_URL = "https://generativelanguage.googleapis.com";

export type GeminiFamilyAdapter = ProviderAdapter & PassthroughCapable;

/** Where one generateContent call goes and how it is authenticated. */
export interface GeminiEndpoint {
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
}

export interface GeminiFamilyAdapterOptions {
  readonly id: string;
  /** Vertex AI accepts request labels; AI Studio does not. */
  readonly vertex: boolean;
  /** Throws a GatewayError when the provider's configuration cannot address the model. */
  endpoint(target: UpstreamTarget, stream: boolean): GeminiEndpoint;
}

/** `models/{model}:method`: a model id may carry its own collection (`tunedModels/x`); its segments are URL-encoded. */
export function modelResourcePath(model: string): string {
  const path = /^(models|tunedModels)\//.test(model) ? model : `models/${model}`;
  return path.split("/").map(encodeURIComponent).join("/");
}

export function generateContentMethod(stream: boolean): string {
  // Without alt=sse the streaming method answers one JSON array at the end, not events.
  return stream ? ":streamGenerateContent?alt=sse" : ":generateContent";
}

/**
 * `{base}/v1beta/models/{model}:generateContent`. Base URLs are configured without a version
 * (as the Google SDKs take them); one that already ends in a version keeps it.
 */
export function geminiEndpoint(target: UpstreamTarget, stream: boolean): GeminiEndpoint {
  const base = (target.provider.baseUrl ?? GEMINI_BASE_URL).replace(/\/+$/, "");
  const root = /\/v1(beta|alpha)?$/.test(base) ? base : `${base}/v1beta`;
  return {
    url: new URL(`${root}/${modelResourcePath(target.model)}${generateContentMethod(stream)}`),
    headers: { "x-goog-api-key": target.key.secret },
  };
}

function tokenUsageOf(body: unknown): TokenUsage | null {
  const root = Array.isArray(body) ? body[body.length - 1] : body;
  return isJsonObject(root) ? usageFromGemini(root.usageMetadata) : null;
}

export function createGeminiFamilyAdapter(options: GeminiFamilyAdapterOptions): GeminiFamilyAdapter {
  const httpRequest = (target: UpstreamTarget, body: unknown, stream: boolean): UpstreamHttpRequest => {
    const endpoint = options.endpoint(target, stream);
    return {
      url: endpoint.url,
      method: "POST",
      // Configured headers first; auth and content type cannot be overridden by them.
      headers: { ...target.provider.headers, "content-type": "application/json", ...endpoint.headers },
      body: JSON.stringify(body),
    };
  };
  return {
    id: options.id,
    wireApi: "gemini",
    buildRequest(request: CanonicalRequest, target: UpstreamTarget, transforms: TransformLog): UpstreamHttpRequest {
      return httpRequest(target, buildGeminiBody(request, target.model, transforms, { providerId: options.id, vertex: options.vertex }), request.stream);
    },
    parseResponse: (body) => parseGeminiResponse(options.id, body),
    createStreamDecoder: () => createGeminiStreamDecoder(options.id),
    parseError: (status, bodyText, retryAfterSeconds) => parseGeminiError(options.id, status, bodyText, retryAfterSeconds),

    buildPassthroughRequest(body: Record<string, unknown>, target: UpstreamTarget, stream: boolean): UpstreamHttpRequest {
      // The model is in the URL; a `model` field in the body would name the client's choice, not routing's.
      const { model: _clientModel, ...rest } = body;
      return httpRequest(target, rest, stream);
    },
    usageFromJson: tokenUsageOf,
    createUsageWatcher: createGeminiUsageWatcher,
  };
}

export const geminiAdapter = createGeminiFamilyAdapter({ id: "gemini", vertex: false, endpoint: geminiEndpoint });
