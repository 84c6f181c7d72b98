// Anthropic error bodies → GatewayError (STYLE §4: errors are data). Anthropic answers every
// failure as {"type":"error","error":{"type","message"},"request_id"}, both as an HTTP error
// body and as an `error` event inside a 200 stream (where there is no status: it is derived
// from the error type, so that retry and the client's error shape work the same way).
import { GatewayError } from "../../errors";

type Json = Record<string, unknown>;

/** Error type → the HTTP status Anthropic uses for it (docs: "HTTP errors"). */
export const ANTHROPIC_ERROR_STATUS: Readonly<Record<string, number>> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

function defaultType(status: number): string {
  for (const [type, s] of Object.entries(ANTHROPIC_ERROR_STATUS)) if (s === status) return type;
  return status >= 500 ? "api_error" : "invalid_request_error";
}

/** Overload (529), rate limits and server errors may succeed on another try or target. */
function isRetryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

function errorFields(parsed: unknown): { type?: string; message?: string } {
  if (parsed === null || typeof parsed !== "object") return {};
  const root = parsed as Json;
  const inner = root.error !== null && typeof root.error === "object" ? (root.error as Json) : root;
  return {
    ...(typeof inner.type === "string" && inner.type !== "error" ? { type: inner.type } : {}),
    ...(typeof inner.message === "string" ? { message: inner.message } : {}),
  };
}

/** An HTTP error response from an Anthropic-wire upstream. */
export function parseAnthropicError(providerId: string, status: number, bodyText: string, retryAfterSeconds: number | null): GatewayError {
  let fields: { type?: string; message?: string } = {};
  try {
    fields = errorFields(JSON.parse(bodyText));
  } catch {
    // Not JSON (a proxy's HTML page): keep the start of the text as the message.
  }
  const message = fields.message ?? (bodyText.trim().slice(0, 500) || `HTTP ${status}`);
  return new GatewayError({
    status,
    type: fields.type ?? defaultType(status),
    message: `${providerId}: ${message}`,
    source: "upstream",
    provider: providerId,
    retryable: isRetryable(status),
    retryAfterSeconds,
  });
}

/** The payload of an `error` event inside a 200 stream. */
export function anthropicStreamError(providerId: string, payload: unknown): GatewayError {
  const fields = errorFields(payload);
  const type = fields.type ?? "api_error";
  const status = ANTHROPIC_ERROR_STATUS[type] ?? 500;
  return new GatewayError({
    status,
    type,
    message: `${providerId}: ${fields.message ?? "error event in the stream"}`,
    source: "upstream",
    provider: providerId,
    retryable: isRetryable(status),
  });
}
