// The counters governance reserves against. Two implementations share these semantics:
// memory-counters.ts (one gateway process) and redis-counters.ts (any number of replicas).
//
// reserve() is all-or-nothing across every item at once: it checks every item against its
// limit first, and only if all fit does it add every amount. Items are checked in the order
// given (the decision order of counter-items.ts), so the failure it reports is the first one
// in that order. settle() replaces the reserved amounts by the actual ones and frees the
// concurrency slots; release() undoes a reservation whose request never ran.
import { usdToNano } from "../../lib/pricing/usd-units";
import type { ActualUsage, CounterItem, ItemUsage, Reservation, ReservedItem } from "./types";

export type ReserveResult =
  | { readonly status: "reserved"; readonly reservation: Reservation }
  | { readonly status: "exceeded"; readonly failedIndex: number; readonly usage: ItemUsage }
  /** Counters unreachable and fail-closed: the caller answers 503. */
  | { readonly status: "unavailable"; readonly reason: string };

export type SettleOutcome = "settled" | "already-settled" | "unavailable";

/**
 * A settle plus what the counters hold right after it, from the same atomic step (one Lua
 * round trip in Redis): budget alerts need the post-settle usage, and a second read would
 * cost another round trip per request.
 */
export interface SettleReading {
  readonly outcome: SettleOutcome;
  /**
   * Per reservation item (same order), the current bucket's value after settling; null for
   * concurrency items. Null as a whole when nothing was applied (already settled, unavailable).
   */
  readonly after: readonly (number | null)[] | null;
}

export interface GovernanceCounters {
  reserve(items: readonly CounterItem[], now: Date): Promise<ReserveResult>;
  /** Idempotent: a second settle (or a settle after release) of one reservation does nothing. */
  settle(reservation: Reservation, actual: ActualUsage, now: Date): Promise<SettleOutcome>;
  /** settle(), also answering each counter's value after it (see SettleReading). */
  settleAndRead(reservation: Reservation, actual: ActualUsage, now: Date): Promise<SettleReading>;
  release(reservation: Reservation, now: Date): Promise<SettleOutcome>;
  /** Current usage of each item (for evaluate's counter state and "used so far" displays). */
  usage(items: readonly CounterItem[], now: Date): Promise<ItemUsage[]>;
  /** Manual reset: zeroes the current buckets of these items (and the previous ones). */
  reset(items: readonly CounterItem[]): Promise<void>;
}

const PPM = 1_000_000;

export function effectiveUsage(item: CounterItem, current: number, previous: number): ItemUsage {
  const weighted = item.previousKey === null ? 0 : Math.floor((previous * item.previousWeightPpm) / PPM);
  return { current, previous, effective: current + weighted };
}

/** The single admission rule both implementations (and the Lua script) apply. */
export function wouldExceed(item: CounterItem, usage: ItemUsage): boolean {
  return usage.effective + item.amount > item.limit;
}

export function toReservedItems(items: readonly CounterItem[]): ReservedItem[] {
  return items.map((item) => ({ key: item.key, metric: item.metric, amount: item.amount, ttlMs: item.ttlMs }));
}

/** Longest TTL of a reservation's counters: how long its "still open" marker must live. */
export function reservationTtlMs(items: readonly ReservedItem[]): number {
  return items.reduce((max, item) => Math.max(max, item.ttlMs), 60_000);
}

export interface CounterDelta {
  readonly key: string;
  readonly metric: ReservedItem["metric"];
  /** For windowed counters: what to add (negative to give back). Ignored for concurrency. */
  readonly delta: number;
  readonly ttlMs: number;
}

/**
 * What settling adds to each counter. A reserved request swaps its estimate for the actual
 * amount (delta = actual − reserved, which is negative when the estimate was too high); the
 * request itself stays counted. A degraded (fail-open) reservation reserved nothing, so it
 * adds the actual amounts and the request.
 */
export function settlementDeltas(reservation: Reservation, actual: ActualUsage): CounterDelta[] {
  const costNano = Math.max(0, usdToNano(actual.costUsd));
  const tokens = Math.max(0, Math.ceil(actual.tokens));
  return reservation.items.map((item) => {
    const reserved = reservation.degraded ? 0 : item.amount;
    const actualAmount = item.metric === "usd" ? costNano : item.metric === "tokens" ? tokens : item.metric === "requests" ? 1 : 0;
    return { key: item.key, metric: item.metric, delta: item.metric === "concurrent" ? 0 : actualAmount - reserved, ttlMs: item.ttlMs };
  });
}

/** Releasing gives back everything reserved, the request count included: it never ran. */
export function releaseDeltas(reservation: Reservation): CounterDelta[] {
  return reservation.items.map((item) => ({
    key: item.key,
    metric: item.metric,
    delta: reservation.degraded || item.metric === "concurrent" ? 0 : -item.amount,
    ttlMs: item.ttlMs,
  }));
}
