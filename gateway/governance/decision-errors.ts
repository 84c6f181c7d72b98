// A governance decision that stops a request → the GatewayError the client sees, in its own
// API's error shape (PRODUCT §5.6): 402 budget, 429 rate limit (+ retry-after), 403 not
// allowed, 401 inactive key, 503 governance unavailable (fail-closed). The message, written
// by rejections.ts, names the level, the window and when it resets.
import { GatewayError } from "../errors";
import type { ProviderExcludedDecision, RejectDecision } from "./types";

export function rejectionError(decision: RejectDecision): GatewayError {
  return new GatewayError({
    status: decision.status,
    type: decision.type,
    code: decision.code,
    message: decision.message,
    source: "gateway",
    // Only a lost Redis is worth retrying at once; a limit frees up at retry-after.
    retryable: decision.status === 503,
    retryAfterSeconds: decision.retryAfterSeconds ?? null,
  });
}

/**
 * A provider over its own budget or rate limit is skipped by routing (the next target takes
 * over). Only when no target is left does the request fail, with the status of the limit
 * that excluded the last one.
 */
export function providerExcludedError(decision: ProviderExcludedDecision): GatewayError {
  const isBudget = decision.limit.kind === "budget";
  return new GatewayError({
    status: isBudget ? 402 : 429,
    type: isBudget ? "budget_exceeded" : "rate_limit_error",
    code: isBudget ? "provider_budget_exceeded" : "provider_rate_limited",
    message: `Provider '${decision.provider}' is over its own limit and no other provider can serve this request. ${decision.reason}`,
    source: "gateway",
    provider: decision.provider,
    retryable: true,
    retryAfterSeconds: decision.retryAfterSeconds ?? null,
  });
}
