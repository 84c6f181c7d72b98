// Keep-alive comments on silent SSE streams (PRODUCT §3.5): proxies, load balancers and
// client libraries with idle timeouts (often 30–60 s) would otherwise cut a stream while a
// model thinks for minutes. One timer per stream, checked at a fraction of the interval; a
// comment is written only at an event boundary, since relayed upstream bytes may stop in the
// middle of an event and a comment there would corrupt it.
import type { ServerResponse } from "node:http";

/** Below the common 30 s idle cut-offs. */
export const DEFAULT_SSE_KEEP_ALIVE_MS = 15_000;

export interface SseKeepAlive {
  /** Call after every write: `atBoundary` says whether the bytes written so far end an event. */
  wrote(atBoundary: boolean): void;
  stop(): void;
}

export const KEEP_ALIVE_COMMENT = ": keep-alive\n\n";

export function startSseKeepAlive(res: ServerResponse, intervalMs: number): SseKeepAlive {
  let lastWrite = Date.now();
  let atBoundary = true;
  const timer = setInterval(() => {
    if (!atBoundary || res.writableEnded || res.destroyed) return;
    if (Date.now() - lastWrite < intervalMs) return;
    res.write(KEEP_ALIVE_COMMENT);
    lastWrite = Date.now();
  }, Math.max(10, Math.floor(intervalMs / 3)));
  timer.unref();
  return {
    wrote(boundary) {
      lastWrite = Date.now();
      atBoundary = boundary;
    },
    stop() {
      clearInterval(timer);
    },
  };
}

/** Whether a relayed chunk ends an SSE event (a blank line), so a comment may follow it. */
export function endsAtEventBoundary(chunk: Uint8Array): boolean {
  const n = chunk.length;
  if (n >= 2 && chunk[n - 1] === 0x0a && chunk[n - 2] === 0x0a) return true;
  return n >= 4 && chunk[n - 1] === 0x0a && chunk[n - 2] === 0x0d && chunk[n - 3] === 0x0a && chunk[n - 4] === 0x0d;
}
