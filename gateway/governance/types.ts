// Types of the governance core (PRODUCT §5, issue 4): the limits that apply to a request,
// the request as governance sees it, the counter items that reservation works on, and the
// typed decision the pipeline acts on. No I/O here.
import type { WindowAlignment } from "../../lib/durations/windows";

export type { WindowAlignment };

/** What a limit is attached to (prisma `LimitEntity`). */
export type LimitLevel = "customer" | "team" | "virtual_key" | "user" | "provider" | "model";

/**
 * Order in which levels are checked within one kind of limit (decision order, step 3 and 4):
 * the narrowest owner first, so that a key's own limit is reported before its team's, and
 * provider limits last, because a provider over its limit only excludes that provider.
 */
export const LEVEL_ORDER: readonly LimitLevel[] = ["virtual_key", "user", "team", "customer", "model", "provider"];

export interface BudgetLimit {
  readonly level: LimitLevel;
  /** Id of the customer / team / key / user / provider; the model name or glob for `model`. */
  readonly entityId: string;
  /** Shown in messages instead of the id when known (a key's or team's name). */
  readonly entityName?: string;
  /** `<n><unit>` (lib/durations/windows). */
  readonly window: string;
  readonly alignment: WindowAlignment;
  /** Exactly one of the two is set (lib/validation/limits.ts enforces it for config). */
  readonly limitUsd?: number;
  readonly limitTokens?: number;
}

export interface RateLimitRule {
  readonly level: LimitLevel;
  readonly entityId: string;
  readonly entityName?: string;
  /** Required with maxRequests or maxTokens; unused by maxConcurrent. */
  readonly window?: string;
  readonly alignment: WindowAlignment;
  readonly maxRequests?: number;
  readonly maxTokens?: number;
  readonly maxConcurrent?: number;
}

/** The virtual key's own policy (steps 1 and 2 of the decision order). */
export interface KeyPolicy {
  readonly id: string;
  readonly name: string;
  readonly active: boolean;
  readonly expiresAt: Date | null;
  /** Model globs matched against `provider/model` and bare `model`; empty allows nothing. */
  readonly allowedModels: readonly string[];
  /** Provider globs; null means the key does not restrict providers (models still do). */
  readonly allowedProviders: readonly string[] | null;
}

/** Everything evaluate() needs to know about the limits of one request. */
export interface GovernanceLimits {
  readonly key: KeyPolicy;
  readonly budgets: readonly BudgetLimit[];
  readonly rateLimits: readonly RateLimitRule[];
}

export interface GovernanceRequest {
  readonly keyId: string;
  readonly teamId: string | null;
  readonly customerId: string | null;
  readonly userId: string | null;
  /** Name of the provider the router picked for this attempt. */
  readonly provider: string;
  readonly model: string;
  readonly estimatedInputTokens: number;
  /** `max_tokens` of the request, or the configured default when it has none. */
  readonly maxOutputTokens: number;
  /** Reservation estimate (estimate.ts), in integer nano-dollars. */
  readonly estimatedCostNanoUsd: number;
}

export type CounterMetric = "requests" | "tokens" | "usd" | "concurrent";

/** The limit a counter item enforces, for decisions and messages. */
export interface LimitRef {
  readonly kind: "budget" | "rate_limit";
  readonly metric: CounterMetric;
  readonly level: LimitLevel;
  readonly entityId: string;
  readonly entityName?: string;
  /** Null for max-concurrency limits. */
  readonly window: string | null;
  readonly alignment: WindowAlignment;
  /** In the metric's unit (nano-dollars for usd). */
  readonly limit: number;
}

/**
 * One counter a request must fit into. Reservation adds `amount` to `key` only if, for every
 * item at once, `used + amount ≤ limit`.
 */
export interface CounterItem {
  /** Counter key; contains the window start, so a new window starts from zero. */
  readonly key: string;
  /**
   * Rolling windows: the previous bucket's key; its value counts with `previousWeightPpm`
   * (sliding-window approximation, see counter-items.ts). Null for calendar windows.
   */
  readonly previousKey: string | null;
  /** Weight of the previous bucket in millionths (0 … 1,000,000). */
  readonly previousWeightPpm: number;
  readonly metric: CounterMetric;
  /** Integer: nano-dollars, tokens, or 1 request / 1 concurrency slot. */
  readonly amount: number;
  readonly limit: number;
  /** How long the counter (or a concurrency lease) must live; ≥ the window length. */
  readonly ttlMs: number;
  /** Start and end (ms) of the current bucket; null for concurrency. */
  readonly bucketStartMs: number | null;
  readonly bucketEndMs: number | null;
  readonly ref: LimitRef;
}

/** Usage of one counter item as read at reservation time. */
export interface ItemUsage {
  readonly current: number;
  readonly previous: number;
  /** What the check compared: current + previous × weight (rounded down). */
  readonly effective: number;
}

/** What was reserved; serializable, so the pipeline can keep it on the request context. */
export interface Reservation {
  readonly id: string;
  readonly createdAtMs: number;
  readonly items: readonly ReservedItem[];
  /**
   * True when counters were unreachable and fail-open let the request through without a
   * reservation; settle then records the actual usage without any check.
   */
  readonly degraded: boolean;
}

export interface ReservedItem {
  readonly key: string;
  readonly metric: CounterMetric;
  readonly amount: number;
  readonly ttlMs: number;
}

export interface ActualUsage {
  readonly costUsd: number;
  /** Input + output tokens actually used (partial output included). */
  readonly tokens: number;
}

// ---- Decisions ----

export interface AllowDecision {
  readonly kind: "allow";
  readonly reservation: Reservation;
  /** Counters were unavailable and fail-open admitted the request; the log record says so. */
  readonly degraded: boolean;
}

export type RejectStatus = 401 | 402 | 403 | 429 | 503;

export type RejectCode =
  | "key_inactive"
  | "key_expired"
  | "provider_not_allowed"
  | "model_not_allowed"
  | "rate_limit_exceeded"
  | "concurrency_limit_exceeded"
  | "budget_exceeded"
  | "governance_unavailable";

/** A window-bound limit that was hit, with the moment it frees up. */
export interface ExceededLimit extends LimitRef {
  /** What was already used (effective, for rolling windows) and what the request needed. */
  readonly used: number;
  readonly requested: number;
  /** When the window resets (calendar) or enough usage slides out (rolling); null: unknown. */
  readonly resetAt: Date | null;
}

export interface RejectDecision {
  readonly kind: "reject";
  readonly status: RejectStatus;
  /** OpenAI-style error type, as in gateway/errors.ts. */
  readonly type: "invalid_request_error" | "permission_error" | "rate_limit_error" | "budget_exceeded" | "server_error";
  readonly code: RejectCode;
  readonly message: string;
  readonly limit?: ExceededLimit;
  /** For 429: seconds until the limit frees up (the `retry-after` header). */
  readonly retryAfterSeconds?: number;
}

/**
 * A provider over its own budget or rate limit is skipped by routing (fallbacks take over),
 * not failed; only when every candidate is excluded does the pipeline answer with an error.
 */
export interface ProviderExcludedDecision {
  readonly kind: "providerExcluded";
  readonly provider: string;
  readonly reason: string;
  readonly limit: ExceededLimit;
  readonly retryAfterSeconds?: number;
}

export type Decision = AllowDecision | RejectDecision | ProviderExcludedDecision;
