// Gemini / Vertex errors → GatewayError (STYLE §4: errors are data). Google answers every
// failure as {"error":{"code","message","status","details"}} — wrapped in a JSON array on the
// non-SSE streaming endpoint — with a google.rpc status name that says more than the HTTP
// code: RESOURCE_EXHAUSTED (429) and UNAVAILABLE (503, "model is overloaded") are worth a
// retry elsewhere, INVALID_ARGUMENT is not.
import { GatewayError } from "../../errors";
import type { Json } from "./gemini-wire";
import { isJsonObject } from "./gemini-wire";

/** google.rpc.Code names by HTTP status, for errors the gateway writes in Google's shape. */
const STATUS_BY_HTTP: Readonly<Record<number, string>> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  409: "ABORTED",
  413: "INVALID_ARGUMENT",
  429: "RESOURCE_EXHAUSTED",
  499: "CANCELLED",
  500: "INTERNAL",
  501: "UNIMPLEMENTED",
  503: "UNAVAILABLE",
  504: "DEADLINE_EXCEEDED",
};

export function googleStatusFor(httpStatus: number): string {
  return STATUS_BY_HTTP[httpStatus] ?? (httpStatus >= 500 ? "INTERNAL" : "INVALID_ARGUMENT");
}

/** The gateway's error types (OpenAI-style) for Google status names. */
const TYPE_BY_STATUS: Readonly<Record<string, string>> = {
  INVALID_ARGUMENT: "invalid_request_error",
  FAILED_PRECONDITION: "invalid_request_error",
  OUT_OF_RANGE: "invalid_request_error",
  UNAUTHENTICATED: "authentication_error",
  PERMISSION_DENIED: "permission_error",
  NOT_FOUND: "not_found_error",
  RESOURCE_EXHAUSTED: "rate_limit_error",
  UNAVAILABLE: "overloaded_error",
  INTERNAL: "server_error",
  UNKNOWN: "server_error",
  DEADLINE_EXCEEDED: "server_error",
  CANCELLED: "server_error",
};

interface GoogleError {
  readonly code: number | null;
  readonly message: string | null;
  readonly status: string | null;
  /** google.rpc.ErrorInfo.reason (API_KEY_INVALID, ...), when present. */
  readonly reason: string | null;
}

function readGoogleError(parsed: unknown): GoogleError | null {
  const root = Array.isArray(parsed) ? parsed[0] : parsed;
  const error = isJsonObject(root) ? root.error : undefined;
  if (!isJsonObject(error)) return null;
  const details = Array.isArray(error.details) ? (error.details as unknown[]) : [];
  const info = details.find((d): d is Json => isJsonObject(d) && typeof d.reason === "string");
  return {
    code: typeof error.code === "number" ? error.code : null,
    message: typeof error.message === "string" ? error.message : null,
    status: typeof error.status === "string" ? error.status : null,
    reason: info ? String(info.reason) : null,
  };
}

function fromGoogleError(providerId: string, httpStatus: number, error: GoogleError | null, fallbackMessage: string, retryAfterSeconds: number | null): GatewayError {
  const statusName = error?.status ?? googleStatusFor(httpStatus);
  // Google answers a wrong API key with 400 INVALID_ARGUMENT; for the gateway it is a broken
  // provider credential (an auth failure of ours), not a bad request of the client's, so it
  // is reported as 401 and the routing treats it as an auth error.
  const badKey = error?.reason === "API_KEY_INVALID";
  const status = badKey ? 401 : httpStatus;
  return new GatewayError({
    status,
    type: badKey ? "authentication_error" : (TYPE_BY_STATUS[statusName] ?? (status >= 500 ? "server_error" : "invalid_request_error")),
    code: error?.reason ?? statusName,
    message: `${providerId}: ${error?.message ?? fallbackMessage}`,
    source: "upstream",
    provider: providerId,
    retryable: status === 429 || status === 408 || status >= 500,
    retryAfterSeconds,
  });
}

export function parseGeminiError(providerId: string, httpStatus: number, bodyText: string, retryAfterSeconds: number | null): GatewayError {
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    // Not JSON (an HTML 404 page from a wrong base URL, a proxy's text): keep the text.
  }
  return fromGoogleError(providerId, httpStatus, readGoogleError(parsed), bodyText.slice(0, 2_000) || `HTTP ${httpStatus}`, retryAfterSeconds);
}

/** An `{"error": ...}` object that arrived inside a 200 stream. */
export function geminiStreamError(providerId: string, chunk: Json): GatewayError {
  const error = readGoogleError(chunk);
  const code = error?.code ?? 500;
  return fromGoogleError(providerId, code >= 400 ? code : 500, error, "upstream error in stream", null);
}
