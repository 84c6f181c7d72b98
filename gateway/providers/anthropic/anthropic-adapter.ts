// Provider adapter for the Anthropic Messages wire format (PRODUCT §3.1): `anthropic` (the
// Anthropic API) and `anthropic-compatible` (servers speaking the same API at their own base
// URL). One concern per file beside it: request building, response parsing, the stream
// decoder and error mapping; this file only adds the HTTP envelope (URL, auth, version).
import type { CanonicalRequest, TransformLog } from "../../formats/canonical";
import type { PassthroughCapable, ProviderAdapter, UpstreamHttpRequest, UpstreamTarget } from "../types";
import { parseAnthropicError } from "./anthropic-errors";
import { buildAnthropicBody } from "./anthropic-request";
import { parseAnthropicResponse, tokenUsageFromAnthropic } from "./anthropic-response";
import { createAnthropicStreamDecoder, createAnthropicUsageWatcher } from "./anthropic-stream";

export const ANTHROPIC_BASE_URL = "https://api.anthropic.com";
/** The version every current Anthropic SDK sends; a provider may pin another (settings.api_version). */
export const DEFAULT_ANTHROPIC_VERSION = "2023-06-01";

export type AnthropicProviderAdapter = ProviderAdapter & PassthroughCapable;

export interface AnthropicAdapterOptions {
  readonly id: string;
  readonly defaultBaseUrl: string;
}

/**
 * `{base}/v1/messages`. Base URLs are configured without /v1 (as Anthropic SDKs take them),
 * but one that already ends in /v1 is not given a second one.
 */
export function anthropicMessagesUrl(base: string): URL {
  const trimmed = base.replace(/\/+$/, "");
  return new URL(/\/v1$/.test(trimmed) ? `${trimmed}/messages` : `${trimmed}/v1/messages`);
}

function httpRequest(options: AnthropicAdapterOptions, target: UpstreamTarget, body: unknown, stream: boolean): UpstreamHttpRequest {
  // Lower-cased so that a configured "X-Api-Key" cannot travel next to the real one.
  const configured = Object.fromEntries(Object.entries(target.provider.headers).map(([name, value]) => [name.toLowerCase(), value]));
  return {
    url: anthropicMessagesUrl(target.provider.baseUrl ?? options.defaultBaseUrl),
    method: "POST",
    headers: {
      // Configured headers first (anthropic-beta, for instance); auth and version cannot be overridden by them.
      ...configured,
      "content-type": "application/json",
      accept: stream ? "text/event-stream" : "application/json",
      "x-api-key": target.key.secret,
      "anthropic-version": target.provider.adapterSettings?.apiVersion ?? DEFAULT_ANTHROPIC_VERSION,
    },
    body: JSON.stringify(body),
  };
}

export function createAnthropicAdapter(options: AnthropicAdapterOptions): AnthropicProviderAdapter {
  return {
    id: options.id,
    wireApi: "anthropic_messages",
    buildRequest(request: CanonicalRequest, target: UpstreamTarget, transforms: TransformLog): UpstreamHttpRequest {
      return httpRequest(options, target, buildAnthropicBody(request, target.model, transforms), request.stream);
    },
    parseResponse: (body) => parseAnthropicResponse(options.id, body),
    createStreamDecoder: () => createAnthropicStreamDecoder(options.id),
    parseError: (status, bodyText, retryAfterSeconds) => parseAnthropicError(options.id, status, bodyText, retryAfterSeconds),

    buildPassthroughRequest(body: Record<string, unknown>, target: UpstreamTarget, stream: boolean): UpstreamHttpRequest {
      // Only the model changes: routing may have picked another one than the client named.
      return httpRequest(options, target, { ...body, model: target.model }, stream);
    },
    usageFromJson: (body) => tokenUsageFromAnthropic((body as { usage?: unknown } | null)?.usage),
    createUsageWatcher: createAnthropicUsageWatcher,
  };
}

export const anthropicAdapter = createAnthropicAdapter({ id: "anthropic", defaultBaseUrl: ANTHROPIC_BASE_URL });

// No public default: a base URL is required in the provider's configuration.
export const anthropicCompatibleAdapter = createAnthropicAdapter({ id: "anthropic-compatible", defaultBaseUrl: "http://base-url-not-configured.invalid" });
