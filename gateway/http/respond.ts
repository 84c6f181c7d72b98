// Writing responses. Every error leaves here in the OpenAI error shape (PRODUCT §2.6).
import type { ServerResponse } from "node:http";
import { GatewayError, toOpenAIErrorBody } from "../errors";
import { encodeSseData } from "../transport/sse";

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  res.writeHead(status, { ...headers, "content-type": "application/json", "content-length": String(payload.length) });
  res.end(payload);
}

/**
 * Sends the error if the response has not started. Once an SSE stream has started the
 * status line is gone, so the error becomes a final `data: {"error":...}` event, which
 * the OpenAI SDKs turn into an exception.
 */
export function sendError(res: ServerResponse, error: GatewayError, headers: Record<string, string> = {}): void {
  if (res.destroyed || res.writableEnded) return;
  if (!res.headersSent) {
    const retryAfter: Record<string, string> = error.retryAfterSeconds === null ? {} : { "retry-after": String(error.retryAfterSeconds) };
    sendJson(res, error.status, toOpenAIErrorBody(error), { ...headers, ...retryAfter });
    return;
  }
  res.end(encodeSseData(JSON.stringify(toOpenAIErrorBody(error))));
}
