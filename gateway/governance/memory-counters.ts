// In-process counters for a single gateway replica. JavaScript runs one callback at a time
// and nothing in reserve() awaits, so check-then-add is atomic without locks.
import { randomUUID } from "node:crypto";
import {
  effectiveUsage,
  releaseDeltas,
  reservationTtlMs,
  settlementDeltas,
  toReservedItems,
  wouldExceed,
  type CounterDelta,
  type GovernanceCounters,
  type ReserveResult,
  type SettleOutcome,
  type SettleReading,
} from "./counters";
import type { ActualUsage, CounterItem, ItemUsage, Reservation } from "./types";

interface CounterValue {
  value: number;
  expiresAtMs: number;
}

// Expired entries are dropped lazily on read and by a sweep every so many reservations,
// so memory stays bounded by the live windows without a timer.
const SWEEP_EVERY = 1_000;

export class MemoryCounters implements GovernanceCounters {
  private readonly values = new Map<string, CounterValue>();
  /** Concurrency key → reservation id → lease expiry (ms). */
  private readonly leases = new Map<string, Map<string, number>>();
  /** Reservations neither settled nor released yet → when they may be forgotten. */
  private readonly open = new Map<string, number>();
  private operations = 0;

  async reserve(items: readonly CounterItem[], now: Date): Promise<ReserveResult> {
    const nowMs = now.getTime();
    if (++this.operations % SWEEP_EVERY === 0) this.sweep(nowMs);
    for (const [index, item] of items.entries()) {
      const usage = this.read(item, nowMs);
      if (wouldExceed(item, usage)) return { status: "exceeded", failedIndex: index, usage };
    }
    const reservation: Reservation = { id: randomUUID(), createdAtMs: nowMs, items: toReservedItems(items), degraded: false };
    for (const item of items) {
      if (item.metric === "concurrent") this.leaseSet(item.key).set(reservation.id, nowMs + item.ttlMs);
      else this.add(item.key, item.amount, item.ttlMs, nowMs);
    }
    this.open.set(reservation.id, nowMs + reservationTtlMs(reservation.items));
    return { status: "reserved", reservation };
  }

  async settle(reservation: Reservation, actual: ActualUsage, now: Date): Promise<SettleOutcome> {
    return this.apply(reservation, settlementDeltas(reservation, actual), now.getTime());
  }

  async settleAndRead(reservation: Reservation, actual: ActualUsage, now: Date): Promise<SettleReading> {
    const nowMs = now.getTime();
    const outcome = this.apply(reservation, settlementDeltas(reservation, actual), nowMs);
    if (outcome !== "settled") return { outcome, after: null };
    return { outcome, after: reservation.items.map((item) => (item.metric === "concurrent" ? null : this.valueOf(item.key, nowMs))) };
  }

  async release(reservation: Reservation, now: Date): Promise<SettleOutcome> {
    return this.apply(reservation, releaseDeltas(reservation), now.getTime());
  }

  async usage(items: readonly CounterItem[], now: Date): Promise<ItemUsage[]> {
    return items.map((item) => this.read(item, now.getTime()));
  }

  async reset(items: readonly CounterItem[]): Promise<void> {
    for (const item of items) {
      this.values.delete(item.key);
      if (item.previousKey !== null) this.values.delete(item.previousKey);
      this.leases.delete(item.key);
    }
  }

  /**
   * Adds usage that happened before this process started (seed-memory-counters.ts), so a
   * restart does not forget what was already spent in the current windows.
   */
  seed(entries: ReadonlyArray<{ readonly key: string; readonly value: number; readonly ttlMs: number }>, now: Date): void {
    for (const entry of entries) if (entry.value > 0) this.add(entry.key, Math.ceil(entry.value), entry.ttlMs, now.getTime());
  }

  private apply(reservation: Reservation, deltas: CounterDelta[], nowMs: number): SettleOutcome {
    if (!reservation.degraded && !this.open.delete(reservation.id)) return "already-settled";
    for (const d of deltas) {
      if (d.metric === "concurrent") this.leases.get(d.key)?.delete(reservation.id);
      else if (d.delta !== 0) this.add(d.key, d.delta, d.ttlMs, nowMs);
    }
    return "settled";
  }

  private read(item: CounterItem, nowMs: number): ItemUsage {
    if (item.metric === "concurrent") {
      const set = this.leases.get(item.key);
      if (!set) return { current: 0, previous: 0, effective: 0 };
      for (const [id, expiresAtMs] of set) if (expiresAtMs <= nowMs) set.delete(id);
      return { current: set.size, previous: 0, effective: set.size };
    }
    const previous = item.previousKey === null ? 0 : this.valueOf(item.previousKey, nowMs);
    return effectiveUsage(item, this.valueOf(item.key, nowMs), previous);
  }

  private valueOf(key: string, nowMs: number): number {
    const entry = this.values.get(key);
    if (!entry) return 0;
    if (entry.expiresAtMs <= nowMs) {
      this.values.delete(key);
      return 0;
    }
    return entry.value;
  }

  private add(key: string, delta: number, ttlMs: number, nowMs: number): void {
    const entry = this.values.get(key);
    if (!entry || entry.expiresAtMs <= nowMs) {
      // A settlement that arrives after its counter expired has nothing left to correct.
      if (delta > 0) this.values.set(key, { value: delta, expiresAtMs: nowMs + ttlMs });
      else this.values.delete(key);
      return;
    }
    // Clamped at zero: a release after a manual reset must not leave a negative balance.
    entry.value = Math.max(0, entry.value + delta);
  }

  private leaseSet(key: string): Map<string, number> {
    let set = this.leases.get(key);
    if (!set) {
      set = new Map();
      this.leases.set(key, set);
    }
    return set;
  }

  private sweep(nowMs: number): void {
    for (const [key, entry] of this.values) if (entry.expiresAtMs <= nowMs) this.values.delete(key);
    for (const [key, set] of this.leases) {
      for (const [id, expiresAtMs] of set) if (expiresAtMs <= nowMs) set.delete(id);
      if (set.size === 0) this.leases.delete(key);
    }
    for (const [id, forgetAtMs] of this.open) if (forgetAtMs <= nowMs) this.open.delete(id);
  }
}
