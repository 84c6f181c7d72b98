// Optional request/response bodies on the log (PRODUCT §7.1, issue 6): off by default, on per
// provider (`capture_bodies`, the dashboard's debug-capture toggle), per virtual key
// (`settings.capture_bodies`) or per request (`x-switchyard-capture-bodies: true|false`; the
// header wins, then the key, then the provider, then the global default). Captured bodies are
// redacted before they leave the process — secrets in JSON fields named like credentials,
// bearer tokens, provider-style and Switchyard keys, and any SWITCHYARD_LOG_REDACT_PATTERNS —
// capped at SWITCHYARD_LOG_BODY_MAX_BYTES each (64 KiB) and stored in request_log_bodies, apart
// from the list columns. Only roles with logs:read:bodies read them back.
import type { IncomingHttpHeaders, ServerResponse } from "node:http";
import type { ProviderConfig, VirtualKeyConfig } from "../config/snapshot";

export const HEADER_CAPTURE_BODIES = "x-switchyard-capture-bodies";
export const DEFAULT_BODY_MAX_BYTES = 64 * 1024;
const REDACTED = "[REDACTED]";
// Bytes kept past the cap so a secret that straddles it is still whole when redacted.
const REDACTION_MARGIN = 512;

export interface CapturedBodies {
  readonly requestBody: string | null;
  readonly responseBody: string | null;
  readonly truncated: boolean;
}

export interface BodyCaptureConfig {
  readonly maxBytes: number;
  readonly extraPatterns: readonly RegExp[];
  /** Global default when neither the request, the key nor the provider says. */
  readonly defaultOn: boolean;
}

type Env = Readonly<Record<string, string | undefined>>;

export function bodyCaptureConfigFromEnv(env: Env = process.env): BodyCaptureConfig {
  const rawMax = env.SWITCHYARD_LOG_BODY_MAX_BYTES;
  const maxBytes = rawMax === undefined || rawMax === "" ? DEFAULT_BODY_MAX_BYTES : Number(rawMax);
  if (!Number.isInteger(maxBytes) || maxBytes < 1) throw new Error(`SWITCHYARD_LOG_BODY_MAX_BYTES must be a positive whole number of bytes, got "${rawMax}"`);
  const extraPatterns: RegExp[] = [];
  // Comma-separated regular expressions (a literal comma inside a pattern: write \x2c).
  for (const source of (env.SWITCHYARD_LOG_REDACT_PATTERNS ?? "").split(",").map((s) => s.trim()).filter(Boolean)) {
    try {
      extraPatterns.push(new RegExp(source, "g"));
    } catch (error) {
      throw new Error(`SWITCHYARD_LOG_REDACT_PATTERNS: "${source}" is not a valid regular expression (${(error as Error).message})`);
    }
  }
  const rawDefault = env.SWITCHYARD_LOG_BODIES;
  if (rawDefault !== undefined && rawDefault !== "" && rawDefault !== "true" && rawDefault !== "false") throw new Error(`SWITCHYARD_LOG_BODIES must be true or false, got "${rawDefault}"`);
  return { maxBytes, extraPatterns, defaultOn: rawDefault === "true" };
}

function keySetting(key: VirtualKeyConfig): boolean | null {
  const settings = key.settings;
  if (settings === null || typeof settings !== "object") return null;
  const value = (settings as Record<string, unknown>).capture_bodies;
  return typeof value === "boolean" ? value : null;
}

/** Header, then key, then provider, then the global default. A malformed header is ignored (never an error). */
export function shouldCaptureBodies(headers: IncomingHttpHeaders, key: VirtualKeyConfig, provider: Pick<ProviderConfig, "captureBodies"> | null, config: BodyCaptureConfig): boolean {
  const header = headers[HEADER_CAPTURE_BODIES];
  if (header === "true" || header === "1") return true;
  if (header === "false" || header === "0") return false;
  return keySetting(key) ?? provider?.captureBodies ?? config.defaultOn;
}

// Credentials by field name, in JSON bodies, at any depth.
const SECRET_FIELD = /^(authorization|proxy-authorization|x-api-key|api[-_]?key|x-goog-api-key|access[-_]?token|refresh[-_]?token|id[-_]?token|client[-_]?secret|secret|password|passwd|private[-_]?key|aws[-_]?secret[-_]?access[-_]?key|session[-_]?token)$/i;
// Credentials by shape, anywhere in text: bearer tokens, OpenAI/Anthropic/Switchyard-style keys,
// Google API keys, AWS access key ids.
const SECRET_TEXT: readonly RegExp[] = [
  /\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/g,
  /\bsk-[A-Za-z0-9_-]{12,}/g,
  /\bAIza[0-9A-Za-z_-]{30,}/g,
  /\bAKIA[0-9A-Z]{16}\b/g,
];

function redactText(text: string, extra: readonly RegExp[]): string {
  let out = text;
  for (const pattern of [...SECRET_TEXT, ...extra]) out = out.replace(pattern, REDACTED);
  return out;
}

function redactValue(value: unknown, extra: readonly RegExp[]): unknown {
  if (typeof value === "string") return redactText(value, extra);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, extra));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [name, inner] of Object.entries(value as Record<string, unknown>)) {
      out[name] = SECRET_FIELD.test(name) && inner !== null && inner !== "" ? REDACTED : redactValue(inner, extra);
    }
    return out;
  }
  return value;
}

/** Redacts a body: structurally when it is JSON, by pattern otherwise (SSE, text). */
export function redactBody(text: string, extra: readonly RegExp[] = []): string {
  const trimmed = text.trimStart();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return JSON.stringify(redactValue(JSON.parse(text), extra));
    } catch {
      // Not JSON after all (or cut short): fall through to the text patterns.
    }
  }
  return redactText(text, extra);
}

function cap(text: string, maxBytes: number): { text: string; truncated: boolean } {
  if (Buffer.byteLength(text) <= maxBytes) return { text, truncated: false };
  // Cut on a character boundary (a UTF-8 sequence is never split).
  const cut = Buffer.from(text).subarray(0, maxBytes).toString("utf8").replace(/\uFFFD$/, "");
  return { text: cut, truncated: true };
}

export interface BodyCapture {
  /** The bodies as they will be stored: redacted, then capped. */
  finish(): CapturedBodies;
}

/**
 * Starts capturing one request: the client's body now, and what this response writes from
 * here on (JSON or SSE bytes, as the client received them). Wraps this response's write/end
 * only — never the prototype — and stops buffering a little past the cap, so a long stream
 * costs at most about `maxBytes` of memory.
 */
export function startBodyCapture(res: ServerResponse, requestBody: Buffer | string, config: BodyCaptureConfig): BodyCapture {
  const chunks: Buffer[] = [];
  let captured = 0;
  let overflow = false;
  const take = (chunk: unknown, encoding: unknown): void => {
    if (overflow || chunk === undefined || chunk === null || typeof chunk === "function") return;
    const buffer = Buffer.isBuffer(chunk)
      ? chunk
      : chunk instanceof Uint8Array
        ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
        : typeof chunk === "string"
          ? Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8")
          : null;
    if (!buffer) return;
    const room = config.maxBytes + REDACTION_MARGIN - captured;
    if (buffer.length >= room) {
      chunks.push(buffer.subarray(0, room));
      captured += room;
      overflow = true;
    } else {
      chunks.push(buffer);
      captured += buffer.length;
    }
  };
  const originalWrite = res.write;
  const originalEnd = res.end;
  res.write = function write(this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
    take(chunk, rest[0]);
    return (originalWrite as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as ServerResponse["write"];
  res.end = function end(this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
    take(chunk, rest[0]);
    return (originalEnd as (...args: unknown[]) => ServerResponse).call(this, chunk, ...rest);
  } as ServerResponse["end"];

  const requestText = typeof requestBody === "string" ? requestBody : requestBody.toString("utf8");
  return {
    finish() {
      const request = cap(redactBody(requestText, config.extraPatterns), config.maxBytes);
      const responseText = Buffer.concat(chunks).toString("utf8");
      // Redact before capping so a secret cut in half by the cap is still caught.
      const response = cap(redactBody(responseText, config.extraPatterns), config.maxBytes);
      return {
        requestBody: request.text,
        responseBody: chunks.length === 0 ? null : response.text,
        truncated: request.truncated || response.truncated || overflow,
      };
    },
  };
}

/**
 * The handlers' one call: capture when the request, key or routed provider asks for it. The
 * body is serialized only then, so requests without capture pay one header lookup.
 */
export function captureBodiesIfEnabled(
  trace: { bodyCapture: BodyCapture | null },
  req: { headers: IncomingHttpHeaders },
  res: ServerResponse,
  key: VirtualKeyConfig,
  provider: Pick<ProviderConfig, "captureBodies"> | null,
  requestBody: () => Buffer | string,
  config: BodyCaptureConfig,
): void {
  if (shouldCaptureBodies(req.headers, key, provider, config)) trace.bodyCapture = startBodyCapture(res, requestBody(), config);
}
