// Provider adapter for the OpenAI Responses wire format (POST {base}/responses, Bearer auth).
// Not the `openai` provider type's adapter (that one speaks Chat Completions): exported for
// provider types that choose the Responses API. One concern per file beside it: request.ts,
// response.ts, stream.ts, errors.ts; this file adds the HTTP envelope and passthrough.
import type { CanonicalRequest, TransformLog } from "../../formats/canonical";
import type { PassthroughCapable, ProviderAdapter, UpstreamHttpRequest, UpstreamTarget } from "../types";
import { gatewayErrors } from "../../errors";
import { parseResponsesError } from "./errors";
import { buildResponsesBody } from "./request";
import { parseResponsesResponse, tokenUsageFromResponses } from "./response";
import { createResponsesStreamDecoder, createResponsesUsageWatcher } from "./stream";

export const OPENAI_BASE_URL = "https://api.openai.com/v1";

export type OpenAIResponsesAdapter = ProviderAdapter & PassthroughCapable;

export interface OpenAIResponsesAdapterOptions {
  readonly id: string;
  /** null: the type has no public endpoint, a provider without base_url is a configuration error. */
  readonly defaultBaseUrl: string | null;
}

function responsesUrl(base: string): URL {
  return new URL(`${base.replace(/\/+$/, "")}/responses`);
}

function httpRequest(options: OpenAIResponsesAdapterOptions, target: UpstreamTarget, body: unknown, stream: boolean): UpstreamHttpRequest {
  const base = target.provider.baseUrl ?? options.defaultBaseUrl;
  if (!base) throw gatewayErrors.providerBaseUrlMissing(target.provider.name, options.id);
  return {
    url: responsesUrl(base),
    method: "POST",
    // Configured headers first: they cannot override the content type or the key.
    headers: { ...target.provider.headers, "content-type": "application/json", accept: stream ? "text/event-stream" : "application/json", authorization: `Bearer ${target.key.secret}` },
    body: JSON.stringify(body),
  };
}

export function createOpenAIResponsesAdapter(options: OpenAIResponsesAdapterOptions): OpenAIResponsesAdapter {
  return {
    id: options.id,
    wireApi: "openai_responses",
    buildRequest(request: CanonicalRequest, target: UpstreamTarget, transforms: TransformLog): UpstreamHttpRequest {
      return httpRequest(options, target, buildResponsesBody(request, target.model, transforms), request.stream);
    },
    parseResponse: (body) => parseResponsesResponse(options.id, body),
    createStreamDecoder: () => createResponsesStreamDecoder(options.id),
    parseError: (status, bodyText, retryAfterSeconds) => parseResponsesError(options.id, status, bodyText, retryAfterSeconds),

    buildPassthroughRequest(body: Record<string, unknown>, target: UpstreamTarget, stream: boolean): UpstreamHttpRequest {
      // Only the model changes: routing may have picked another one than the client named.
      return httpRequest(options, target, { ...body, model: target.model }, stream);
    },
    usageFromJson: (body) => tokenUsageFromResponses((body as { usage?: unknown } | null)?.usage),
    createUsageWatcher: createResponsesUsageWatcher,
  };
}

export const openaiResponsesAdapter = createOpenAIResponsesAdapter({ id: "openai", defaultBaseUrl: OPENAI_BASE_URL });
