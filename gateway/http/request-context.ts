// Per-request objects the server hands to route handlers.
import type { IncomingMessage, ServerResponse } from "node:http";

export interface RequestContext {
  readonly requestId: string;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly path: string;
  /** Aborted when the client disconnects before the response finished. */
  readonly signal: AbortSignal;
}

/**
 * Answers and then closes the connection without reading the rest of the request body
 * (used for 413: draining a huge upload would defeat the limit).
 */
export function closeConnectionAfterResponse(ctx: RequestContext): void {
  if (!ctx.res.headersSent) ctx.res.setHeader("connection", "close");
  ctx.res.once("finish", () => {
    // Give the kernel a moment to deliver the response before the socket is torn down.
    setTimeout(() => ctx.req.destroy(), 50).unref();
  });
}
