// Cohere error responses → GatewayError. Cohere answers {"message": "…"} (sometimes with an
// "id"), with the meaning in the status: 400 invalid request, 401 bad key, 402 billing
// limit, 404, 429 rate limit (trial and production keys), 498/499 blocked or cancelled,
// 5xx server trouble. Retries read `retryable`: 429 and 5xx.
import { GatewayError } from "../../errors";

function typeFor(status: number): string {
  if (status === 401) return "authentication_error";
  if (status === 402) return "billing_error";
  if (status === 403) return "permission_error";
  if (status === 404) return "not_found_error";
  if (status === 429) return "rate_limit_error";
  if (status >= 500) return "server_error";
  return "invalid_request_error";
}

export function parseCohereError(status: number, bodyText: string, retryAfterSeconds: number | null): GatewayError {
  let message = bodyText.trim().slice(0, 2_000) || `HTTP ${status}`;
  try {
    const parsed = JSON.parse(bodyText) as Record<string, unknown>;
    if (typeof parsed.message === "string") message = parsed.message;
  } catch {
    // Not JSON (a proxy's page): keep the text.
  }
  return new GatewayError({
    status,
    type: typeFor(status),
    message: `cohere: ${message}`,
    source: "upstream",
    provider: "cohere",
    retryable: status === 429 || status >= 500 || status === 408,
    retryAfterSeconds,
  });
}
