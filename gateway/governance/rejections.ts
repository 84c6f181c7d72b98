// Turns "this counter item would exceed its limit" into the typed decision and a message
// that names the limit: level, entity, window and when it frees up (PRODUCT §5.6).
import { formatNanoUsd } from "../../lib/pricing/usd-units";
import type {
  CounterItem,
  ExceededLimit,
  ItemUsage,
  LimitLevel,
  LimitRef,
  ProviderExcludedDecision,
  RejectDecision,
} from "./types";

const LEVEL_LABELS: Record<LimitLevel, string> = {
  virtual_key: "virtual key",
  user: "user",
  team: "team",
  customer: "customer",
  model: "model",
  provider: "provider",
};

export function decisionForExceeded(
  item: CounterItem,
  usage: ItemUsage,
  provider: string,
  now: Date,
): RejectDecision | ProviderExcludedDecision {
  const limit = exceededLimit(item, usage, now);
  const retryAfterSeconds = retryAfter(item, limit.resetAt, now);
  const message = item.ref.kind === "budget" ? budgetMessage(limit, now) : rateLimitMessage(limit, now);
  if (item.ref.level === "provider") {
    return { kind: "providerExcluded", provider, reason: message, limit, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) };
  }
  if (item.ref.kind === "budget") {
    return { kind: "reject", status: 402, type: "budget_exceeded", code: "budget_exceeded", message, limit };
  }
  return {
    kind: "reject",
    status: 429,
    type: "rate_limit_error",
    code: item.metric === "concurrent" ? "concurrency_limit_exceeded" : "rate_limit_exceeded",
    message,
    limit,
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
  };
}

export function unavailableDecision(reason: string): RejectDecision {
  return {
    kind: "reject",
    status: 503,
    type: "server_error",
    code: "governance_unavailable",
    message: `Governance unavailable: budgets and rate limits cannot be checked right now (${reason}), so the request was not sent.`,
  };
}

export function exceededLimit(item: CounterItem, usage: ItemUsage, now: Date): ExceededLimit {
  return { ...item.ref, used: usage.effective, requested: item.amount, resetAt: resetTime(item, usage, now) };
}

/**
 * When the request would fit again, assuming no other traffic:
 * - calendar windows: the end of the current window;
 * - rolling windows (sliding approximation, counter-items.ts): the moment the decaying
 *   previous bucket — or, if the current bucket alone is too full, the current bucket once it
 *   has become the previous one — has slid out far enough;
 * - null for concurrency (a slot frees when some request ends) and for a request that is
 *   larger than the whole limit (it never fits; retrying does not help).
 */
export function resetTime(item: CounterItem, usage: ItemUsage, now: Date): Date | null {
  if (item.bucketStartMs === null || item.bucketEndMs === null) return null;
  if (item.amount > item.limit) return null;
  if (item.previousKey === null) return new Date(item.bucketEndMs);
  const lengthMs = item.bucketEndMs - item.bucketStartMs;
  const room = item.limit - item.amount - usage.current;
  if (room >= 0 && usage.previous > 0) {
    const fraction = 1 - room / usage.previous;
    return new Date(Math.max(now.getTime(), item.bucketStartMs + Math.ceil(lengthMs * fraction)));
  }
  if (usage.current <= 0) return new Date(item.bucketEndMs);
  const fraction = Math.max(0, 1 - (item.limit - item.amount) / usage.current);
  return new Date(item.bucketEndMs + Math.ceil(lengthMs * fraction));
}

function retryAfter(item: CounterItem, resetAt: Date | null, now: Date): number | undefined {
  // A concurrency slot frees when any in-flight request ends; one second is a fair guess.
  if (item.metric === "concurrent") return 1;
  if (resetAt === null) return undefined;
  return Math.max(1, Math.ceil((resetAt.getTime() - now.getTime()) / 1000));
}

function budgetMessage(limit: ExceededLimit, now: Date): string {
  const head = `Budget exceeded: ${entity(limit)} has used ${amount(limit, limit.used)} of its ${amount(limit, limit.limit)} budget per ${windowText(limit)}`;
  return `${head}; this request needs up to ${amount(limit, limit.requested)}. ${whenFree(limit, now, "The budget resets")}`;
}

function rateLimitMessage(limit: ExceededLimit, now: Date): string {
  if (limit.metric === "concurrent") {
    return `Concurrency limit exceeded: ${entity(limit)} allows ${limit.limit} concurrent requests and ${limit.used} are in flight. Retry when one finishes.`;
  }
  const head = `Rate limit exceeded: ${entity(limit)} allows ${amount(limit, limit.limit)} per ${windowText(limit)} and has used ${amount(limit, limit.used)}`;
  return `${head}; this request needs ${amount(limit, limit.requested)}. ${whenFree(limit, now, "Retry after")}`;
}

function whenFree(limit: ExceededLimit, now: Date, lead: string): string {
  if (limit.resetAt === null) {
    return `The request alone needs more than the whole limit; lower max_tokens or the prompt size.`;
  }
  const seconds = Math.max(1, Math.ceil((limit.resetAt.getTime() - now.getTime()) / 1000));
  return `${lead} at ${limit.resetAt.toISOString()} (in ${seconds} s).`;
}

function entity(ref: LimitRef): string {
  return `${LEVEL_LABELS[ref.level]} '${ref.entityName ?? ref.entityId}'`;
}

function windowText(ref: LimitRef): string {
  const alignment = ref.alignment === "calendar" ? "calendar window, UTC" : "rolling window";
  return `${ref.window} (${alignment})`;
}

function amount(ref: LimitRef, value: number): string {
  switch (ref.metric) {
    case "usd":
      return `$${formatNanoUsd(value)}`;
    case "tokens":
      return `${value} tokens`;
    case "requests":
      return `${value} requests`;
    case "concurrent":
      return `${value} concurrent requests`;
  }
}
