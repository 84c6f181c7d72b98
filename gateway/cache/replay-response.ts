// Writes a cached answer back the way a live one is sent: same status and headers, the
// body bytes for JSON, the SSE frames one by one in their original order (with the same
// back-pressure handling as the live relay), cost 0 in the header or trailer.
import { once } from "node:events";
import type { ServerResponse } from "node:http";
import { HEADER_ATTEMPTS, HEADER_CACHE, HEADER_COST_USD } from "../http/gateway-headers";
import type { CacheEntry } from "./cache-entry";

export interface ReplayResult {
  /** Time from request start to the first frame, for streams. */
  readonly ttftMs: number | null;
  /** False when the client went away during the replay. */
  readonly completed: boolean;
}

export async function replayResponse(res: ServerResponse, entry: CacheEntry, cacheHeader: string, requestStartMs: number, signal: AbortSignal): Promise<ReplayResult> {
  const { response } = entry;
  const headers: Record<string, string> = { ...response.headers, [HEADER_CACHE]: cacheHeader, [HEADER_ATTEMPTS]: "0" };
  if (response.kind === "json") {
    const body = response.chunks[0] ?? Buffer.alloc(0);
    res.writeHead(response.status, { ...headers, [HEADER_COST_USD]: "0", "content-length": String(body.length) });
    res.end(body);
    return { ttftMs: null, completed: true };
  }
  res.writeHead(response.status, { ...headers, trailer: HEADER_COST_USD });
  res.flushHeaders();
  let ttftMs: number | null = null;
  for (const frame of response.chunks) {
    if (signal.aborted || res.destroyed) return { ttftMs, completed: false };
    ttftMs ??= Math.round(performance.now() - requestStartMs);
    if (!res.write(frame)) await Promise.race([once(res, "drain"), once(res, "close")]);
  }
  if (signal.aborted || res.destroyed) return { ttftMs, completed: false };
  res.addTrailers({ [HEADER_COST_USD]: "0" });
  res.end();
  return { ttftMs, completed: true };
}
