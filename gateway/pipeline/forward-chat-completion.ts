// Step 5 — forward: one attempt against the resolved provider (retries and fallbacks
// arrive with the routing issue and will loop around this, deciding on `retryable`).
import type { ServerResponse } from "node:http";
import type { Dispatcher } from "undici";
import { GatewayError, gatewayErrors } from "../errors";
import { proxiedHeaders } from "../http/gateway-headers";
import { chatCompletionsUrl, isOpenAICompatibleType } from "../upstream/openai-compatible-providers";
import { pickProviderKey } from "../upstream/pick-provider-key";
import { sendChatRequest } from "../upstream/send-chat-request";
import { upstreamHttpError } from "../upstream/upstream-error";
import type { ChatRequest } from "./decode-chat-request";
import { relayJsonResponse, type RelayBilling, type RelayResult } from "./relay-json-response";
import { relaySseStream } from "./relay-sse-stream";
import type { RequestTrace } from "./request-trace";
import type { ResolvedTarget } from "./resolve-model";

export interface ForwardInput {
  res: ServerResponse;
  trace: RequestTrace;
  request: ChatRequest;
  target: ResolvedTarget;
  billing: RelayBilling;
  dispatcher: Dispatcher;
  signal: AbortSignal;
}

export interface ForwardResult extends RelayResult {
  status: number;
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

function isEventStream(upstream: Dispatcher.ResponseData): boolean {
  const type = upstream.headers["content-type"];
  return (Array.isArray(type) ? type[0] : type)?.toLowerCase().startsWith("text/event-stream") ?? false;
}

export async function forwardChatCompletion(input: ForwardInput): Promise<ForwardResult> {
  const { res, trace, request, target, billing, dispatcher, signal } = input;
  const provider = target.provider;
  if (!isOpenAICompatibleType(provider.type)) throw unsupportedProvider(provider.name, `type '${provider.type}' has no adapter`);
  const url = chatCompletionsUrl(provider.type, provider.baseUrl);
  if (!url) throw unsupportedProvider(provider.name, "it has no valid base_url");
  const key = pickProviderKey(provider, target.model);
  if (!key) throw gatewayErrors.noProviderKey(provider.name);

  const attemptStart = performance.now();
  const attempt = { provider: provider.name, model: target.model, key: key.name };
  const headers = proxiedHeaders({ provider: provider.name, model: target.model, attempts: trace.attempts.length + 1 });
  const finishAttempt = (status: number, error?: GatewayError) => {
    trace.attempts.push({ ...attempt, status, latencyMs: Math.round(performance.now() - attemptStart), ...(error ? { errorType: error.type } : {}) });
  };

  try {
    const upstream = await sendChatRequest({ dispatcher, provider, key, url, body: upstreamBody(request, target.model), stream: request.stream, signal });
    if (upstream.statusCode >= 400) {
      throw upstreamHttpError(provider.name, upstream.statusCode, await upstream.body.text());
    }
    const relayed =
      request.stream && isEventStream(upstream)
        ? await relaySseStream(res, upstream, provider.name, headers, billing, trace.startedAtMs, signal, (ttftMs) => (trace.ttftMs = ttftMs))
        : await relayJsonResponse(res, upstream, provider.name, headers, billing);
    finishAttempt(upstream.statusCode);
    return { status: upstream.statusCode, ...relayed };
  } catch (thrown) {
    const error = signal.aborted ? gatewayErrors.clientClosed() : thrown instanceof GatewayError ? thrown : gatewayErrors.upstreamBadResponse(provider.name, String(thrown));
    finishAttempt(error.status, error);
    throw error;
  }
}
