// Captures what one ServerResponse sends, so that a miss can be stored exactly as the
// client received it — whatever relay, translator or client API produced it. It wraps
// this one response's writeHead / write / addTrailers / end (never the prototype), also
// stamps the x-switchyard-cache header on the way out, and reports a capture only for a
// complete 2xx answer: JSON with its body, or a stream whose relay reached its normal end
// (the cost trailer; an interrupted stream ends with an error event and no trailer).
import type { OutgoingHttpHeaders, ServerResponse } from "node:http";
import { HEADER_ATTEMPTS, HEADER_CACHE, HEADER_COST_USD, HEADER_REQUEST_ID } from "../http/gateway-headers";
import type { CachedResponse } from "./cache-entry";

export interface CapturedResponse {
  readonly response: CachedResponse;
  /** x-switchyard-cost-usd as billed (header for JSON, trailer for streams); 0 when absent. */
  readonly costUsd: number;
  readonly provider: string | null;
  readonly model: string | null;
}

export interface RecorderOptions {
  /** Value of x-switchyard-cache on the live response ("miss", "bypass"). */
  readonly cacheHeader: string;
  /** null: only stamp the header, capture nothing (no-store, bypass of an uncacheable request). */
  readonly capture: { maxBytes: number; onComplete: (captured: CapturedResponse) => void } | null;
}

/** Per-request headers that a replay sets itself. */
const NOT_REPLAYED = new Set(["content-length", "transfer-encoding", "connection", "date", "keep-alive", "trailer", HEADER_REQUEST_ID, HEADER_COST_USD, HEADER_CACHE, HEADER_ATTEMPTS]);

function headerRecord(headers: OutgoingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : String(value);
  }
  return out;
}

function toBuffer(chunk: unknown, encoding: unknown): Buffer | null {
  if (chunk === undefined || chunk === null || typeof chunk === "function") return null;
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (typeof chunk === "string") return Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
  return null;
}

/** Splits a complete SSE body into its events ("...\n\n"), so a replay writes one event per write. */
export function splitSseFrames(body: Buffer): Buffer[] {
  const frames: Buffer[] = [];
  const text = body.toString("latin1");
  let start = 0;
  const boundary = /\r\n\r\n|\n\n|\r\r/g;
  for (let match = boundary.exec(text); match !== null; match = boundary.exec(text)) {
    const end = match.index + match[0].length;
    frames.push(body.subarray(start, end));
    start = end;
  }
  if (start < body.length) frames.push(body.subarray(start));
  return frames;
}

function parseUsd(value: string | undefined): number {
  const n = value === undefined ? NaN : Number(value);
  return Number.isFinite(n) && n >= 0 ? n : 0;
}

export function attachRecorder(res: ServerResponse, options: RecorderOptions): void {
  const originalWriteHead = res.writeHead;
  const originalWrite = res.write;
  const originalEnd = res.end;
  const originalAddTrailers = res.addTrailers;
  const capture = options.capture;
  let status = 0;
  let headers: Record<string, string> = {};
  const body: Buffer[] = [];
  let bytes = 0;
  let overflow = false;
  let trailerCost: string | undefined;

  const collect = (chunk: unknown, encoding: unknown) => {
    if (!capture || overflow) return;
    const buffer = toBuffer(chunk, encoding);
    if (!buffer) return;
    bytes += buffer.length;
    // Too big to keep: answered live as usual, just not stored.
    if (bytes > capture.maxBytes) {
      overflow = true;
      body.length = 0;
      return;
    }
    body.push(Buffer.from(buffer));
  };

  res.writeHead = function writeHead(this: ServerResponse, statusCode: number, ...rest: unknown[]) {
    const [first, second] = rest;
    const given = typeof first === "string" ? second : first;
    const merged: OutgoingHttpHeaders = { ...res.getHeaders(), ...(given !== null && typeof given === "object" && !Array.isArray(given) ? (given as OutgoingHttpHeaders) : {}) };
    merged[HEADER_CACHE] = options.cacheHeader;
    status = statusCode;
    headers = headerRecord(merged);
    res.setHeader(HEADER_CACHE, options.cacheHeader);
    const headersArg = given !== null && typeof given === "object" && !Array.isArray(given) ? { ...(given as OutgoingHttpHeaders), [HEADER_CACHE]: options.cacheHeader } : given;
    const call = originalWriteHead as (...args: unknown[]) => ServerResponse;
    return typeof first === "string" ? call.call(this, statusCode, first, headersArg) : call.call(this, statusCode, headersArg);
  } as ServerResponse["writeHead"];

  res.write = function write(this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
    collect(chunk, rest[0]);
    return (originalWrite as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as ServerResponse["write"];

  res.addTrailers = function addTrailers(this: ServerResponse, trailers: OutgoingHttpHeaders | ReadonlyArray<[string, string]>) {
    const record = Array.isArray(trailers) ? Object.fromEntries(trailers as ReadonlyArray<[string, string]>) : headerRecord(trailers as OutgoingHttpHeaders);
    if (record[HEADER_COST_USD] !== undefined) trailerCost = record[HEADER_COST_USD];
    return originalAddTrailers.call(this, trailers);
  } as ServerResponse["addTrailers"];

  res.end = function end(this: ServerResponse, ...args: unknown[]) {
    const [chunk, encoding] = args;
    if (typeof chunk !== "function") collect(chunk, encoding);
    if (!res.headersSent && status === 0) {
      // end() without writeHead: Node sends the implicit headers; stamp ours first.
      res.setHeader(HEADER_CACHE, options.cacheHeader);
      status = res.statusCode;
      headers = headerRecord(res.getHeaders());
    }
    const result = (originalEnd as (...a: unknown[]) => ServerResponse).apply(this, args);
    finish();
    return result;
  } as ServerResponse["end"];

  function finish(): void {
    if (!capture || overflow || status < 200 || status >= 300) return;
    const contentType = headers["content-type"]?.toLowerCase() ?? "";
    const isStream = contentType.startsWith("text/event-stream");
    // A stream without the cost trailer did not reach the relay's normal end.
    if (isStream && trailerCost === undefined) return;
    if (!isStream && !contentType.startsWith("application/json")) return;
    const whole = Buffer.concat(body);
    const replayHeaders: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) if (!NOT_REPLAYED.has(name)) replayHeaders[name] = value;
    capture.onComplete({
      response: { kind: isStream ? "sse" : "json", status, headers: replayHeaders, chunks: isStream ? splitSseFrames(whole) : [whole] },
      costUsd: parseUsd(isStream ? trailerCost : headers[HEADER_COST_USD]),
      provider: headers["x-switchyard-provider"] ?? null,
      model: headers["x-switchyard-model"] ?? null,
    });
  }
}
