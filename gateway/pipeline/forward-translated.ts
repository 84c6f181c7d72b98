// Step 6 for a client API other than the provider's (or any pair without a passthrough):
// canonical request → the adapter's upstream request → the upstream answer decoded back to
// canonical → encoded in the client's API. Same contract as forward-chat-completion.ts:
// either the response is written (JSON, or SSE from the first upstream byte on) or a
// GatewayError is thrown with nothing written, so the attempt loop may try the next target.
import { once } from "node:events";
import type { ServerResponse } from "node:http";
import type { Dispatcher } from "undici";
import type { ProviderKeyConfig } from "../config/snapshot";
import { GatewayError, gatewayErrors } from "../errors";
import type { CanonicalRequest, CanonicalStreamEvent, CanonicalUsage, TransformLog } from "../formats/canonical";
import { mergeUsage, ZERO_USAGE } from "../formats/canonical";
import { HEADER_COST_USD, proxiedHeaders } from "../http/gateway-headers";
import { sendJson } from "../http/respond";
import type { IngressCodec, OutgoingSseFrame } from "../ingress/types";
import type { ProviderAdapter, UpstreamHttpRequest } from "../providers/types";
import { parseRetryAfter } from "../routing/retry-policy";
import { encodeSseData } from "../transport/sse";
import { startSseKeepAlive } from "../transport/sse-keep-alive";
import type { UpstreamDispatchers } from "../upstream/http-dispatcher";
import { upstreamTransportError } from "../upstream/send-chat-request";
import { costHeaderValue } from "../usage/pricing";
import type { StreamUsageWatcher } from "../usage/stream-usage-watcher";
import type { TokenUsage } from "../usage/token-usage";
import type { RelayBilling } from "./relay-json-response";
import type { StreamInterruption } from "./relay-sse-stream";
import type { ResolvedTarget } from "./resolved-target";


export interface TranslatedForwardInput {
  res: ServerResponse;
  codec: IngressCodec;
  adapter: ProviderAdapter;
  request: CanonicalRequest;
  /** The model name the client asked for (echoed in its response). */
  clientModel: string;
  target: ResolvedTarget;
  key: ProviderKeyConfig;
  attemptNumber: number;
  billing: RelayBilling;
  dispatchers: UpstreamDispatchers;
  transforms: TransformLog;
  requestStartMs: number;
  signal: AbortSignal;
  onFirstChunk: (ttftMs: number) => void;
  /** Silence before a `: keep-alive` comment (PRODUCT §3.5). */
  keepAliveMs: number;
}

export interface TranslatedForwardResult {
  status: number;
  ttftMs: number | null;
  interrupted: StreamInterruption | null;
}

function header(upstream: Dispatcher.ResponseData, name: string): string | undefined {
  const value = upstream.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function toTokenUsage(usage: CanonicalUsage): TokenUsage {
  return { input: usage.input, output: usage.output, cacheRead: usage.cacheRead, cacheWrite: usage.cacheWrite, reasoning: usage.reasoning };
}

/** Sends a built upstream request under the provider's timeouts (also used by the passthrough forward). */
export async function sendUpstream(input: Pick<TranslatedForwardInput, "target" | "dispatchers" | "signal">, built: UpstreamHttpRequest): Promise<Dispatcher.ResponseData> {
  const { timeouts } = input.target.provider;
  try {
    return await input.dispatchers.forConnectTimeout(timeouts.connectMs).request({
      origin: built.url.origin,
      path: built.url.pathname + built.url.search,
      method: built.method,
      headers: { ...built.headers },
      body: built.body,
      signal: input.signal,
      headersTimeout: timeouts.firstByteMs,
      // Idle time between chunks, not a total deadline: long streams live on (PRODUCT §3.5).
      bodyTimeout: timeouts.streamIdleMs,
    });
  } catch (error) {
    if (input.signal.aborted) throw gatewayErrors.clientClosed();
    throw upstreamTransportError(input.target.provider.name, error);
  }
}

/** Output size of canonical events, for billing a stream cut short (usage-meter.ts). */
function eventChars(event: CanonicalStreamEvent): number {
  switch (event.type) {
    case "text_delta":
      return event.text.length;
    case "thinking_delta":
      return event.thinking.length;
    case "tool_args_delta":
      return event.partialJson.length;
    default:
      return 0;
  }
}

/** A meter view over canonical events, shaped like the passthrough watcher the settle step reads. */
function createCanonicalWatcher(): StreamUsageWatcher & { observe(event: CanonicalStreamEvent): void } {
  let usage: CanonicalUsage | null = null;
  let outputChars = 0;
  return {
    observe(event) {
      outputChars += eventChars(event);
      if (event.type === "usage") usage = mergeUsage(usage ?? ZERO_USAGE, event.usage);
    },
    push() {},
    get usage() {
      return usage ? toTokenUsage(usage) : null;
    },
    get outputChars() {
      return outputChars;
    },
    finish() {
      return usage ? toTokenUsage(usage) : null;
    },
  };
}

function writeFrames(res: ServerResponse, frames: readonly OutgoingSseFrame[]): boolean {
  let ok = true;
  for (const frame of frames) {
    const text = (frame.event === undefined ? "" : `event: ${frame.event}\n`) + encodeSseData(frame.data);
    ok = res.write(text) && ok;
  }
  return ok;
}

async function waitForDrain(res: ServerResponse): Promise<void> {
  await Promise.race([once(res, "drain"), once(res, "close")]);
}

export async function forwardTranslated(input: TranslatedForwardInput): Promise<TranslatedForwardResult> {
  const { res, codec, adapter, target, billing, signal } = input;
  const providerName = target.provider.name;
  const headers = proxiedHeaders({ provider: providerName, model: target.model, attempts: input.attemptNumber });
  const built = adapter.buildRequest({ ...input.request, model: target.model }, { provider: target.provider, key: input.key, model: target.model, now: new Date() }, input.transforms);

  try {
    const upstream = await sendUpstream(input, built);
    if (upstream.statusCode >= 400) {
      const retryAfterMs = parseRetryAfter(header(upstream, "retry-after"), Date.now());
      throw adapter.parseError(upstream.statusCode, await upstream.body.text(), retryAfterMs === null ? null : Math.ceil(retryAfterMs / 1000));
    }
    if (!input.request.stream) {
      const text = await upstream.body.text();
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw gatewayErrors.upstreamBadResponse(providerName, "the body is not JSON");
      }
      const response = adapter.parseResponse(parsed);
      billing.meter.reported = toTokenUsage(response.usage);
      sendJson(res, 200, codec.encodeResponse(response, input.clientModel), { ...headers, [HEADER_COST_USD]: costHeaderValue(billing.bill()) });
      return { status: 200, ttftMs: null, interrupted: null };
    }
    return await relayTranslatedStream(input, upstream, headers);
  } catch (thrown) {
    if (signal.aborted) throw gatewayErrors.clientClosed();
    throw thrown instanceof GatewayError ? thrown : gatewayErrors.upstreamBadResponse(providerName, String(thrown));
  }
}

async function relayTranslatedStream(input: TranslatedForwardInput, upstream: Dispatcher.ResponseData, headers: Record<string, string>): Promise<TranslatedForwardResult> {
  const { res, codec, adapter, billing, signal } = input;
  const providerName = input.target.provider.name;
  const chunks = (upstream.body as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  const decoder = adapter.createStreamDecoder();
  const encoder = codec.createStreamEncoder(input.clientModel, input.request);
  const watcher = createCanonicalWatcher();

  // Nothing reaches the client before the upstream produced its first event: a failure
  // before it (reset, timeout, an error event first) falls back to the next target unseen.
  let pending: CanonicalStreamEvent[] = [];
  try {
    while (pending.length === 0) {
      const next = await chunks.next();
      if (next.done) {
        pending = decoder.end();
        if (pending.length === 0) throw gatewayErrors.upstreamBadResponse(providerName, "the stream ended before any event");
        break;
      }
      pending = decoder.push(next.value);
    }
  } catch (error) {
    if (signal.aborted) throw gatewayErrors.clientClosed();
    if (error instanceof GatewayError) throw error;
    throw upstreamTransportError(providerName, error, "stream failed before its first byte: ");
  }
  const firstError = pending.find((event) => event.type === "error");
  if (pending[0]?.type === "error" && firstError?.type === "error") {
    upstream.body.destroy();
    throw firstError.error;
  }

  res.writeHead(200, {
    ...headers,
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    "x-accel-buffering": "no",
    trailer: HEADER_COST_USD,
  });
  res.flushHeaders();
  billing.meter.stream = watcher;
  const ttftMs = Math.round(performance.now() - input.requestStartMs);
  input.onFirstChunk(ttftMs);

  // Keep-alive comments on silences, so proxies and clients with idle timeouts keep the stream.
  // Frames are whole events, so a comment may go between any two writes.
  const keepAlive = startSseKeepAlive(res, input.keepAliveMs);

  let interrupted: StreamInterruption | null = null;
  const emit = async (events: readonly CanonicalStreamEvent[]): Promise<void> => {
    for (const event of events) {
      watcher.observe(event);
      if (event.type === "error") interrupted ??= { error: event.error };
      // Errors go through the stream's own encoder too: it knows the stream's state (Responses
      // numbers every event and ends a failed stream with response.failed).
      const frames = encoder.encode(event);
      if (frames.length === 0) continue;
      keepAlive.wrote(true);
      if (!writeFrames(res, frames)) await waitForDrain(res);
    }
  };

  try {
    await emit(pending);
    while (!signal.aborted && interrupted === null) {
      const next = await chunks.next();
      if (next.done) {
        await emit(decoder.end());
        break;
      }
      await emit(decoder.push(next.value));
    }
  } catch (error) {
    keepAlive.stop();
    if (signal.aborted) throw gatewayErrors.clientClosed();
    // Past the first byte there is no other target: end with an error in the client's format, bill what was relayed.
    const failure = upstreamTransportError(providerName, error, "stream interrupted: ");
    billing.meter.reported = watcher.finish();
    if (!res.destroyed && !res.writableEnded) {
      writeFrames(res, encoder.encode({ type: "error", error: failure }));
      res.end();
    }
    return { status: 200, ttftMs, interrupted: { error: failure } };
  }
  keepAlive.stop();
  if (signal.aborted) {
    upstream.body.destroy();
    throw gatewayErrors.clientClosed();
  }
  if (interrupted !== null) upstream.body.destroy();
  else writeFrames(res, encoder.finish());
  billing.meter.reported = watcher.finish();
  res.addTrailers({ [HEADER_COST_USD]: costHeaderValue(billing.bill()) });
  res.end();
  return { status: 200, ttftMs, interrupted };
}
