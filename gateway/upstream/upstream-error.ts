// Turns an upstream HTTP error into a GatewayError that keeps the provider's status,
// type and code, and says in the message that the provider (not the gateway) produced it.
import { GatewayError } from "../errors";

interface UpstreamErrorFields {
  message: string | null;
  type: string | null;
  code: string | null;
  param: string | null;
}

function str(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  return null;
}

function parseUpstreamError(bodyText: string): UpstreamErrorFields {
  try {
    const parsed: unknown = JSON.parse(bodyText);
    const root = parsed !== null && typeof parsed === "object" ? (parsed as Record<string, unknown>) : {};
    // OpenAI: {"error":{...}}; some compatible servers: {"error":"text"} or {"message":...}.
    const inner = root.error;
    if (inner !== null && typeof inner === "object") {
      const e = inner as Record<string, unknown>;
      return { message: str(e.message), type: str(e.type), code: str(e.code), param: str(e.param) };
    }
    return { message: str(inner) ?? str(root.message) ?? str(root.detail), type: str(root.type), code: str(root.code), param: null };
  } catch {
    const text = bodyText.trim().slice(0, 500);
    return { message: text || null, type: null, code: null, param: null };
  }
}

function defaultType(status: number): string {
  if (status === 401) return "authentication_error";
  if (status === 403) return "permission_error";
  if (status === 404) return "not_found_error";
  if (status === 429) return "rate_limit_error";
  if (status >= 500) return "upstream_error";
  return "invalid_request_error";
}

/** @param retryAfterSeconds the upstream's retry-after, kept so that routing can honour it and cool the key down. */
export function upstreamHttpError(provider: string, status: number, bodyText: string, retryAfterSeconds: number | null = null): GatewayError {
  const fields = parseUpstreamError(bodyText);
  return new GatewayError({
    status,
    type: fields.type ?? defaultType(status),
    code: fields.code,
    param: fields.param,
    message: `Upstream provider '${provider}' returned HTTP ${status}: ${fields.message ?? "no error message"}`,
    source: "upstream",
    provider,
    // Rate limits, overload and server errors may succeed on another try or target.
    retryable: status === 408 || status === 409 || status === 429 || status >= 500,
    retryAfterSeconds,
  });
}
