// Step 6 — forward: one attempt against one target with one provider key. Either the
// response is relayed (JSON, or SSE from its first byte on) or a GatewayError is thrown
// with nothing written to the client, so that the attempt loop may try the next target.
import type { ServerResponse } from "node:http";
import type { ProviderKeyConfig } from "../config/snapshot";
import { GatewayError, gatewayErrors } from "../errors";
import { proxiedHeaders } from "../http/gateway-headers";
import { chatCompletionsUrl, isOpenAICompatibleType } from "../upstream/openai-compatible-providers";
import type { UpstreamDispatchers } from "../upstream/http-dispatcher";
import { parseRetryAfter } from "../routing/retry-policy";
import { sendChatRequest } from "../upstream/send-chat-request";
import { upstreamHttpError } from "../upstream/upstream-error";
import type { ChatRequest } from "./decode-chat-request";
import { relayJsonResponse, type RelayBilling } from "./relay-json-response";
import { relaySseStream, type StreamInterruption } from "./relay-sse-stream";
import type { ResolvedTarget } from "./resolved-target";

export interface ForwardInput {
  res: ServerResponse;
  request: ChatRequest;
  target: ResolvedTarget;
  key: ProviderKeyConfig;
  /** This attempt's number (1-based), for x-switchyard-attempts. */
  attemptNumber: number;
  billing: RelayBilling;
  dispatchers: UpstreamDispatchers;
  requestStartMs: number;
  signal: AbortSignal;
  onFirstChunk: (ttftMs: number) => void;
  /** Silence before a `: keep-alive` comment on a relayed stream (PRODUCT §3.5). */
  keepAliveMs: number;
}

export interface ForwardResult {
  status: number;
  ttftMs: number | null;
  /** Set when a stream broke after its first byte (already answered with an error event). */
  interrupted: StreamInterruption | null;
}

function unsupportedProvider(name: string, detail: string): GatewayError {
  return new GatewayError({
    status: 501,
    type: "server_error",
    code: "provider_not_supported",
    message: `Provider '${name}' cannot serve OpenAI chat requests yet: ${detail}.`,
    source: "gateway",
    provider: name,
  });
}

/** The client's body, unchanged except `model` (so stream_options etc. are exactly as sent). */
function upstreamBody(request: ChatRequest, model: string): string {
  return JSON.stringify({ ...request.body, model });
}

function header(upstream: { headers: Record<string, string | string[] | undefined> }, name: string): string | undefined {
  const value = upstream.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function isEventStream(upstream: { headers: Record<string, string | string[] | undefined> }): boolean {
  return header(upstream, "content-type")?.toLowerCase().startsWith("text/event-stream") ?? false;
}

export async function forwardChatCompletion(input: ForwardInput): Promise<ForwardResult> {
  const { res, request, target, key, billing, signal } = input;
  const provider = target.provider;
  if (!isOpenAICompatibleType(provider.type)) throw unsupportedProvider(provider.name, `type '${provider.type}' has no adapter`);
  const url = chatCompletionsUrl(provider.type, provider.baseUrl);
  if (!url) {
    if (provider.baseUrl) throw unsupportedProvider(provider.name, `its base_url '${provider.baseUrl}' is not a valid URL`);
    throw gatewayErrors.providerBaseUrlMissing(provider.name, provider.type);
  }
  const headers = proxiedHeaders({ provider: provider.name, model: target.model, attempts: input.attemptNumber });

  try {
    const upstream = await sendChatRequest({ dispatchers: input.dispatchers, provider, key, url, body: upstreamBody(request, target.model), stream: request.stream, signal });
    if (upstream.statusCode >= 400) {
      const retryAfterMs = parseRetryAfter(header(upstream, "retry-after"), Date.now());
      throw upstreamHttpError(provider.name, upstream.statusCode, await upstream.body.text(), retryAfterMs === null ? null : Math.ceil(retryAfterMs / 1000));
    }
    if (request.stream && isEventStream(upstream)) {
      const relayed = await relaySseStream(res, upstream, provider.name, headers, billing, input.requestStartMs, signal, input.onFirstChunk, input.keepAliveMs);
      return { status: upstream.statusCode, ttftMs: relayed.ttftMs, interrupted: relayed.interrupted };
    }
    const relayed = await relayJsonResponse(res, upstream, provider.name, headers, billing);
    return { status: upstream.statusCode, ttftMs: relayed.ttftMs, interrupted: null };
  } catch (thrown) {
    if (signal.aborted) throw gatewayErrors.clientClosed();
    throw thrown instanceof GatewayError ? thrown : gatewayErrors.upstreamBadResponse(provider.name, String(thrown));
  }
}
