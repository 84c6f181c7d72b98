// Which failures move a request on to the next target, and how long to wait before
// trying again (PRODUCT §4.2, §4.3). Decisions read the typed failure (STYLE §4), never
// error text.

import type { GatewayError } from "../errors";
import { FALLBACK_TRIGGERS, type FallbackTrigger } from "../../lib/routing/fallback-triggers";

export { FALLBACK_TRIGGERS, type FallbackTrigger };

/** PRODUCT §4.2: 400/422 (validation) and other 4xx are not retried unless a rule says so. */
export const DEFAULT_FALLBACK_TRIGGERS: readonly FallbackTrigger[] = [
  "connection_error",
  "timeout",
  "rate_limited",
  "server_error",
  "provider_excluded",
];

export type AttemptFailure =
  | { readonly kind: "connection_error" }
  | { readonly kind: "timeout"; readonly phase?: "connect" | "first_byte" | "stream_idle" }
  | { readonly kind: "status"; readonly status: number; readonly retryAfterMs?: number | null }
  | { readonly kind: "provider_excluded"; readonly reason: string };

export function classifyFailure(failure: AttemptFailure): FallbackTrigger {
  switch (failure.kind) {
    case "connection_error":
    case "timeout":
    case "provider_excluded":
      return failure.kind;
    case "status":
      if (failure.status === 429) return "rate_limited";
      if (failure.status === 408) return "timeout";
      if (failure.status >= 500) return "server_error";
      if (failure.status === 401 || failure.status === 403) return "auth_error";
      if (failure.status === 400 || failure.status === 422) return "validation_error";
      return "client_error";
  }
}

/** Maps a GatewayError from an upstream attempt onto a failure; the codes are those of gateway/errors.ts. */
export function failureFromGatewayError(error: GatewayError, retryAfterMs: number | null = null): AttemptFailure {
  if (error.code === "upstream_unreachable") return { kind: "connection_error" };
  if (error.code === "upstream_timeout") return { kind: "timeout" };
  return { kind: "status", status: error.status, retryAfterMs };
}

export interface RetryPolicy {
  /** Total attempts across the whole chain, the first one included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A retry-after longer than this ends the request instead of holding the client. */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 5_000, maxRetryAfterMs: 30_000 };

export type OptionParseResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

/** RoutingRule.fallbackOn: null = defaults, else an array of FALLBACK_TRIGGERS names. */
export function parseFallbackOn(json: unknown): OptionParseResult<readonly FallbackTrigger[]> {
  if (json === null || json === undefined) return { ok: true, value: DEFAULT_FALLBACK_TRIGGERS };
  if (!Array.isArray(json)) return { ok: false, message: "fallbackOn must be an array of trigger names" };
  const known = new Set<string>(FALLBACK_TRIGGERS);
  for (const item of json) {
    if (typeof item !== "string" || !known.has(item)) {
      return { ok: false, message: `fallbackOn: unknown trigger ${JSON.stringify(item)}; expected one of ${FALLBACK_TRIGGERS.join(", ")}` };
    }
  }
  return { ok: true, value: Object.freeze([...new Set(json as FallbackTrigger[])]) };
}

/** RoutingRule.retry: null = defaults, else a partial RetryPolicy of positive integers. */
export function parseRetryPolicy(json: unknown): OptionParseResult<RetryPolicy> {
  if (json === null || json === undefined) return { ok: true, value: DEFAULT_RETRY_POLICY };
  if (typeof json !== "object" || Array.isArray(json)) return { ok: false, message: "retry must be an object" };
  const merged: Record<string, number> = { ...DEFAULT_RETRY_POLICY };
  for (const [field, value] of Object.entries(json)) {
    if (!(field in DEFAULT_RETRY_POLICY)) return { ok: false, message: `retry: unknown field ${field}` };
    if (typeof value !== "number" || !Number.isInteger(value) || value < (field === "maxAttempts" ? 1 : 0)) {
      return { ok: false, message: `retry.${field} must be a non-negative integer` };
    }
    merged[field] = value;
  }
  return { ok: true, value: Object.freeze(merged as unknown as RetryPolicy) };
}

/**
 * Full-jitter exponential backoff (random in [0, min(max, base·2^n)]), so that replicas
 * retrying the same overloaded upstream do not retry in lockstep. A retry-after from the
 * upstream is a floor: retrying earlier only earns another 429.
 */
export function backoffDelayMs(retryIndex: number, policy: RetryPolicy, random: () => number, retryAfterMs?: number | null): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retryIndex);
  const jittered = Math.floor(random() * ceiling);
  if (retryAfterMs === null || retryAfterMs === undefined) return jittered;
  return Math.max(jittered, Math.min(retryAfterMs, policy.maxRetryAfterMs));
}

/** Parses a Retry-After header (delta seconds or HTTP date) into milliseconds; null when absent or invalid. */
export function parseRetryAfter(header: string | null | undefined, nowMs: number): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs);
}

export type RetryDecision =
  | { readonly action: "next_target"; readonly delayMs: 0; readonly trigger: FallbackTrigger }
  | { readonly action: "retry_chain"; readonly delayMs: number; readonly trigger: FallbackTrigger }
  | { readonly action: "give_up"; readonly reason: "not_retryable" | "attempts_exhausted" | "retry_after_too_long"; readonly trigger: FallbackTrigger };

export interface RetryDecisionInput {
  readonly failure: AttemptFailure;
  /** Attempts made so far, the failed one included. */
  readonly attemptsMade: number;
  /** Whether the chain still has an untried target after the failed one. */
  readonly hasNextTarget: boolean;
  /** How many times the chain has already been restarted. */
  readonly chainRestarts: number;
  readonly triggers: readonly FallbackTrigger[];
  readonly policy: RetryPolicy;
  readonly random: () => number;
}

/**
 * After a failed attempt: move on to the next target at once (a different provider or
 * key need not wait for this one's retry-after); when the chain is spent, start it over
 * after a backoff; give up on failures the rule does not retry or when attempts run out.
 */
export function decideAfterFailure(input: RetryDecisionInput): RetryDecision {
  const trigger = classifyFailure(input.failure);
  if (!input.triggers.includes(trigger)) return { action: "give_up", reason: "not_retryable", trigger };
  if (input.attemptsMade >= input.policy.maxAttempts) return { action: "give_up", reason: "attempts_exhausted", trigger };
  if (input.hasNextTarget) return { action: "next_target", delayMs: 0, trigger };
  const retryAfterMs = input.failure.kind === "status" ? (input.failure.retryAfterMs ?? null) : null;
  if (retryAfterMs !== null && retryAfterMs > input.policy.maxRetryAfterMs) {
    return { action: "give_up", reason: "retry_after_too_long", trigger };
  }
  return { action: "retry_chain", delayMs: backoffDelayMs(input.chainRestarts, input.policy, input.random, retryAfterMs), trigger };
}
