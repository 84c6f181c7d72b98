// Counters shared by every gateway replica through Redis (DESIGN "The hot path"). One Lua
// script per reserve and one per settle: one round trip each, atomic on the server.
//
// Failure policy (`failMode`), used when Redis is unreachable or slower than `timeoutMs`:
// - "closed" (default): reserve answers `unavailable`; the pipeline rejects with 503
//   "governance unavailable". Budgets can never be overrun, but traffic stops with Redis.
// - "open": reserve answers a degraded reservation that reserved nothing; the request goes
//   through unchecked and its decision says `degraded: true` for the log record. Settling
//   it later adds the actual usage (no check), so spend during an outage is still counted
//   if Redis is back by then.
//
// Replicas compute window starts from their own clocks; keep them NTP-synced (a skew of s
// seconds moves a window boundary by s seconds for that replica, nothing more).
//
// Redis Cluster: a script may only touch keys of one slot. Give `keyPrefix` a hash tag
// (e.g. "{sy}:gov:") to put every governance key on one slot.
import { createHash, randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import {
  effectiveUsage,
  releaseDeltas,
  reservationTtlMs,
  settlementDeltas,
  toReservedItems,
  type CounterDelta,
  type GovernanceCounters,
  type ReserveResult,
  type SettleOutcome,
  type SettleReading,
} from "./counters";
import { RESERVE_SCRIPT, SETTLE_SCRIPT } from "./redis-scripts";
import type { ActualUsage, CounterItem, ItemUsage, Reservation } from "./types";

export type FailMode = "closed" | "open";

export interface RedisCountersOptions {
  readonly keyPrefix?: string;
  readonly failMode?: FailMode;
  /** A governance call that takes longer counts as Redis being unavailable. */
  readonly timeoutMs?: number;
  /** Told about every Redis failure, so the gateway can log it (counters never throw). */
  readonly onError?: (error: unknown, operation: "reserve" | "settle" | "release" | "usage" | "reset") => void;
}

export const DEFAULT_REDIS_KEY_PREFIX = "sy:gov:";
const DEFAULT_TIMEOUT_MS = 500;

// While ioredis reconnects, a command would sit in its offline queue until our timeout;
// answering at once keeps a Redis outage from adding latency to every request.
const DISCONNECTED_STATUSES = new Set(["reconnecting", "close", "end"]);

class CountersUnavailableError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "CountersUnavailableError";
  }
}

export class RedisCounters implements GovernanceCounters {
  private readonly prefix: string;
  private readonly failMode: FailMode;
  private readonly timeoutMs: number;
  private readonly onError: NonNullable<RedisCountersOptions["onError"]>;

  constructor(
    private readonly redis: Redis,
    options: RedisCountersOptions = {},
  ) {
    this.prefix = options.keyPrefix ?? DEFAULT_REDIS_KEY_PREFIX;
    this.failMode = options.failMode ?? "closed";
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.onError = options.onError ?? (() => {});
  }

  async reserve(items: readonly CounterItem[], now: Date): Promise<ReserveResult> {
    const reservation: Reservation = { id: randomUUID(), createdAtMs: now.getTime(), items: toReservedItems(items), degraded: false };
    // A request without limits must not depend on Redis being up.
    if (items.length === 0) return { status: "reserved", reservation };
    const keys = [this.markerKey(reservation.id)];
    const args: (string | number)[] = [now.getTime(), reservation.id, reservationTtlMs(reservation.items), items.length];
    for (const item of items) {
      keys.push(this.prefix + item.key, this.prefix + (item.previousKey ?? item.key));
      args.push(item.metric === "concurrent" ? "c" : "n", item.amount, item.limit, item.ttlMs, item.previousWeightPpm);
    }
    let reply: unknown;
    try {
      reply = await this.runScript(RESERVE_SCRIPT, keys, args);
    } catch (error) {
      this.onError(error, "reserve");
      if (this.failMode === "closed") return { status: "unavailable", reason: describe(error) };
      return { status: "reserved", reservation: { ...reservation, degraded: true } };
    }
    return parseReserveReply(reply, reservation, items);
  }

  async settle(reservation: Reservation, actual: ActualUsage, now: Date): Promise<SettleOutcome> {
    return (await this.settleAndRead(reservation, actual, now)).outcome;
  }

  async settleAndRead(reservation: Reservation, actual: ActualUsage, _now: Date): Promise<SettleReading> {
    return this.applyDeltas(reservation, settlementDeltas(reservation, actual), "settle");
  }

  async release(reservation: Reservation, _now: Date): Promise<SettleOutcome> {
    // A degraded reservation added nothing anywhere, so there is nothing to give back.
    if (reservation.degraded) return "settled";
    return (await this.applyDeltas(reservation, releaseDeltas(reservation), "release")).outcome;
  }

  async usage(items: readonly CounterItem[], now: Date): Promise<ItemUsage[]> {
    const pipeline = this.redis.pipeline();
    for (const item of items) {
      if (item.metric === "concurrent") pipeline.zcount(this.prefix + item.key, `(${now.getTime()}`, "+inf");
      else pipeline.mget(this.prefix + item.key, this.prefix + (item.previousKey ?? item.key));
    }
    const replies = await this.withTimeout(pipeline.exec(), "usage");
    return items.map((item, index) => {
      const [error, value] = replies?.[index] ?? [new Error("missing reply"), null];
      if (error) throw error;
      if (item.metric === "concurrent") return { current: Number(value), previous: 0, effective: Number(value) };
      const [current, previous] = Array.isArray(value) ? value : [];
      return effectiveUsage(item, Number(current ?? 0), Number(previous ?? 0));
    });
  }

  async reset(items: readonly CounterItem[]): Promise<void> {
    const keys = items.flatMap((item) => [item.key, ...(item.previousKey === null ? [] : [item.previousKey])]).map((k) => this.prefix + k);
    if (keys.length > 0) await this.withTimeout(this.redis.del(...keys), "reset");
  }

  private async applyDeltas(reservation: Reservation, deltas: CounterDelta[], operation: "settle" | "release"): Promise<SettleReading> {
    if (deltas.length === 0) return { outcome: "settled", after: [] };
    const keys = [this.markerKey(reservation.id), ...deltas.map((d) => this.prefix + d.key)];
    const args: (string | number)[] = [reservation.degraded ? "d" : "r", reservation.id, reservationTtlMs(reservation.items), deltas.length];
    for (const d of deltas) args.push(d.metric === "concurrent" ? "c" : "n", d.delta, d.ttlMs);
    try {
      return parseSettleReply(await this.runScript(SETTLE_SCRIPT, keys, args), deltas);
    } catch (error) {
      // The request is over; its cost is still on its log record. Counters miss it.
      this.onError(error, operation);
      return { outcome: "unavailable", after: null };
    }
  }

  private markerKey(reservationId: string): string {
    return `${this.prefix}res:${reservationId}`;
  }

  /** EVALSHA, falling back to EVAL once after a Redis restart flushed the script cache. */
  private async runScript(script: string, keys: string[], args: (string | number)[]): Promise<unknown> {
    if (DISCONNECTED_STATUSES.has(this.redis.status)) {
      throw new CountersUnavailableError(`redis is ${this.redis.status}`);
    }
    const sha = scriptSha(script);
    try {
      return await this.withTimeout(this.redis.evalsha(sha, keys.length, ...keys, ...args), "script");
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
      return await this.withTimeout(this.redis.eval(script, keys.length, ...keys, ...args), "script");
    }
  }

  private withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new CountersUnavailableError(`redis ${what} timed out after ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }
}

function parseReserveReply(reply: unknown, reservation: Reservation, items: readonly CounterItem[]): ReserveResult {
  if (!Array.isArray(reply) || reply.some((v) => typeof v !== "number")) {
    throw new Error(`unexpected reserve script reply: ${JSON.stringify(reply)}`);
  }
  const [ok, index = 0, current = 0, previous = 0, effective = 0] = reply as number[];
  if (ok === 1) return { status: "reserved", reservation };
  // Lua indexes from 1.
  const failedIndex = index - 1;
  if (!items[failedIndex]) throw new Error(`reserve script reported item ${index} of ${items.length}`);
  return { status: "exceeded", failedIndex, usage: { current, previous, effective } };
}

/** {1, value per item (-1 for concurrency)} when applied, {0} when already settled. */
function parseSettleReply(reply: unknown, deltas: readonly CounterDelta[]): SettleReading {
  if (!Array.isArray(reply) || reply.some((v) => typeof v !== "number")) {
    throw new Error(`unexpected settle script reply: ${JSON.stringify(reply)}`);
  }
  const [applied, ...values] = reply as number[];
  if (applied !== 1) return { outcome: "already-settled", after: null };
  return { outcome: "settled", after: deltas.map((d, i) => (d.metric === "concurrent" ? null : (values[i] ?? 0))) };
}

const shaCache = new Map<string, string>();

function scriptSha(script: string): string {
  let sha = shaCache.get(script);
  if (!sha) {
    sha = createHash("sha1").update(script).digest("hex");
    shaCache.set(script, sha);
  }
  return sha;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
