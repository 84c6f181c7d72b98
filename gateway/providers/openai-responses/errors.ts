// Responses API failures → GatewayError (STYLE §4). HTTP errors carry the OpenAI error body
// and keep the provider's status, type and code; failures inside a 200 stream arrive as an
// `error` event or `response.failed` (with `response.error {code, message}`) and are mapped
// by code, because the status line is long gone by then.
import { GatewayError } from "../../errors";
import { upstreamHttpError } from "../../upstream/upstream-error";

type Json = Record<string, unknown>;

export function parseResponsesError(providerId: string, status: number, bodyText: string, retryAfterSeconds: number | null): GatewayError {
  return upstreamHttpError(providerId, status, bodyText, retryAfterSeconds);
}

/** Status a stream failure would have had as an HTTP error, by its code. */
function statusOfCode(code: string | null, type: string | null): number {
  if (code === "rate_limit_exceeded" || type === "rate_limit_error" || type === "too_many_requests") return 429;
  if (code === "insufficient_quota") return 429;
  if (code === "context_length_exceeded" || code === "invalid_prompt" || type === "invalid_request_error" || (code !== null && code.startsWith("invalid_"))) return 400;
  return 502;
}

/**
 * A failure reported inside the stream (or a `status: "failed"` body). Accepts the documented
 * flat `error` event (code/message at the top), the nested `{error:{…}}` the live API sends,
 * and `response.error` of `response.failed`.
 */
export function responsesFailure(providerId: string, raw: Json): GatewayError {
  const inner = raw.error !== null && typeof raw.error === "object" && !Array.isArray(raw.error) ? (raw.error as Json) : raw;
  const code = typeof inner.code === "string" ? inner.code : null;
  const type = typeof inner.type === "string" && inner.type !== "error" ? inner.type : null;
  const message = typeof inner.message === "string" ? inner.message : "the response failed";
  const status = statusOfCode(code, type);
  return new GatewayError({
    status,
    type: type ?? (status === 429 ? "rate_limit_error" : status === 400 ? "invalid_request_error" : "upstream_error"),
    code,
    param: typeof inner.param === "string" ? inner.param : null,
    message: `Upstream provider '${providerId}' failed the response: ${message}`,
    source: "upstream",
    provider: providerId,
    retryable: status === 429 || status >= 500,
  });
}
