// Streaming relay: each upstream chunk is written to the client as soon as it arrives
// (no re-framing, no buffering), while a watcher reads usage on the side. Back-pressure
// from a slow client pauses reading from the upstream instead of growing memory.
import { once } from "node:events";
import type { ServerResponse } from "node:http";
import type { Dispatcher } from "undici";
import { gatewayErrors, toOpenAIErrorBody, type GatewayError } from "../errors";
import { HEADER_COST_USD } from "../http/gateway-headers";
import { encodeSseData } from "../transport/sse";
import { endsAtEventBoundary, startSseKeepAlive } from "../transport/sse-keep-alive";
import { upstreamTransportError } from "../upstream/send-chat-request";
import { costHeaderValue } from "../usage/pricing";
import { createStreamUsageWatcher, type StreamUsageWatcher } from "../usage/stream-usage-watcher";
import type { RelayBilling, RelayResult } from "./relay-json-response";

async function waitForDrain(res: ServerResponse): Promise<void> {
  // `close` too: a client that went away never drains, and the abort signal ends the loop.
  await Promise.race([once(res, "drain"), once(res, "close")]);
}

/** A stream that broke after its first byte: the client got an error event, the request is billed for what was relayed. */
export interface StreamInterruption {
  readonly error: GatewayError;
}

/** What the relay must know of the stream's wire format: it never re-frames the bytes themselves. */
export interface RelayedStreamFamily {
  createWatcher(): StreamUsageWatcher;
  /** The SSE text that ends a stream broken after its first byte, in the client's format. */
  interruptionFrame(error: GatewayError): string;
}

const OPENAI_CHAT_STREAM: RelayedStreamFamily = {
  createWatcher: createStreamUsageWatcher,
  interruptionFrame: (error) => encodeSseData(JSON.stringify(toOpenAIErrorBody(error))),
};

export async function relaySseStream(
  res: ServerResponse,
  upstream: Dispatcher.ResponseData,
  providerName: string,
  headers: Record<string, string>,
  billing: RelayBilling,
  requestStartMs: number,
  signal: AbortSignal,
  /** Reported as soon as known, so a stream cut short still has its time to first token. */
  onFirstChunk: (ttftMs: number) => void,
  /** Silence before a `: keep-alive` comment, written only between events. */
  keepAliveMs: number,
  /** The relayed wire format's usage reader and error frame (default: OpenAI chat). */
  family: RelayedStreamFamily = OPENAI_CHAT_STREAM,
): Promise<RelayResult & { interrupted: StreamInterruption | null }> {
  const chunks = (upstream.body as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  // Nothing is sent to the client before the first upstream byte: a stream that fails
  // before it (reset, idle timeout) throws here and the next target takes over unseen.
  let first: IteratorResult<Buffer>;
  try {
    first = await chunks.next();
  } catch (error) {
    if (signal.aborted) throw gatewayErrors.clientClosed();
    throw upstreamTransportError(providerName, error, "stream failed before its first byte: ");
  }
  if (signal.aborted) {
    upstream.body.destroy();
    throw gatewayErrors.clientClosed();
  }

  res.writeHead(upstream.statusCode, {
    ...headers,
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    // Disables proxy buffering (nginx) in front of the gateway.
    "x-accel-buffering": "no",
    // Cost is known only after the last chunk; headers are long gone by then.
    trailer: HEADER_COST_USD,
  });
  res.flushHeaders();

  // On the meter from the first byte on, so that a stream cut short is billed for what it relayed.
  const watcher = family.createWatcher();
  billing.meter.stream = watcher;
  const ttftMs = Math.round(performance.now() - requestStartMs);
  onFirstChunk(ttftMs);
  const keepAlive = startSseKeepAlive(res, keepAliveMs);
  try {
    let next = first;
    while (!next.done) {
      watcher.push(next.value);
      keepAlive.wrote(endsAtEventBoundary(next.value));
      if (!res.write(next.value)) await waitForDrain(res);
      if (signal.aborted) break;
      next = await chunks.next();
    }
  } catch (error) {
    keepAlive.stop();
    if (signal.aborted) throw gatewayErrors.clientClosed();
    // Past the first byte there is no going back to another target: end the stream with an
    // error event in the OpenAI format (the SDKs raise it) and bill what was relayed.
    const interrupted = upstreamTransportError(providerName, error, "stream interrupted: ");
    billing.meter.reported = watcher.finish();
    if (!res.destroyed && !res.writableEnded) res.end(family.interruptionFrame(interrupted));
    return { ttftMs, interrupted: { error: interrupted } };
  }
  keepAlive.stop();
  if (signal.aborted) {
    upstream.body.destroy();
    throw gatewayErrors.clientClosed();
  }

  billing.meter.reported = watcher.finish();
  res.addTrailers({ [HEADER_COST_USD]: costHeaderValue(billing.bill()) });
  res.end();
  return { ttftMs, interrupted: null };
}
