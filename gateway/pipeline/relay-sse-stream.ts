// Streaming relay: each upstream chunk is written to the client as soon as it arrives
// (no re-framing, no buffering), while a watcher reads usage on the side. Back-pressure
// from a slow client pauses reading from the upstream instead of growing memory.
import { once } from "node:events";
import type { ServerResponse } from "node:http";
import type { Dispatcher } from "undici";
import { gatewayErrors } from "../errors";
import { HEADER_COST_USD } from "../http/gateway-headers";
import { describeUpstreamFailure } from "../upstream/send-chat-request";
import { costHeaderValue } from "../usage/pricing";
import { createStreamUsageWatcher } from "../usage/stream-usage-watcher";
import type { RelayBilling, RelayResult } from "./relay-json-response";

async function waitForDrain(res: ServerResponse): Promise<void> {
  // `close` too: a client that went away never drains, and the abort signal ends the loop.
  await Promise.race([once(res, "drain"), once(res, "close")]);
}

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
): Promise<RelayResult> {
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
  const watcher = createStreamUsageWatcher();
  billing.meter.stream = watcher;
  let ttftMs: number | null = null;
  try {
    for await (const chunk of upstream.body as AsyncIterable<Buffer>) {
      if (ttftMs === null) {
        ttftMs = Math.round(performance.now() - requestStartMs);
        onFirstChunk(ttftMs);
      }
      watcher.push(chunk);
      if (!res.write(chunk)) await waitForDrain(res);
      if (signal.aborted) break;
    }
  } catch (error) {
    if (signal.aborted) throw gatewayErrors.clientClosed();
    throw gatewayErrors.upstreamUnreachable(providerName, `stream interrupted (${describeUpstreamFailure(error)})`);
  }
  if (signal.aborted) {
    upstream.body.destroy();
    throw gatewayErrors.clientClosed();
  }

  billing.meter.reported = watcher.finish();
  res.addTrailers({ [HEADER_COST_USD]: costHeaderValue(billing.bill()) });
  res.end();
  return { ttftMs };
}
