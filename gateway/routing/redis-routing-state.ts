// Routing health state shared by every gateway replica through Redis (issue 5 item 4).
//
// Reads never touch Redis: each replica keeps a local copy (the same maps as
// InMemoryRoutingState) that resolveRoute reads synchronously. Writes apply locally at once,
// then go through to Redis and are PUBLISHed on `<prefix>routing-state`; every replica applies
// the messages to its local copy (milliseconds behind). On start, and again after every
// reconnect, a replica loads the current state (SCAN of the prefix) and pushes what it learnt
// while Redis was away.
//
// Key cooldowns are shared exactly: `<prefix>cd:<keyId>` holds the end of the cooldown (epoch
// ms) with a PX expiry; a write only ever extends it (Lua, set-if-greater), so a cooldown set by
// replica A excludes the key on replica B until it ends, and nothing shortens it.
//
// Circuit breakers are shared approximately (documented in README "Scaling"):
// - the rolling error-rate window (success/failure buckets) is counted per replica: publishing
//   every request's outcome would put Redis on the hot path. With N replicas behind a balancer
//   each sees about 1/N of the traffic, so a replica trips on the same error *rate* as a single
//   process would, only on its own `minRequests` sample;
// - the transitions are shared: when any replica opens a circuit (threshold reached, or a failed
//   half-open probe), `<prefix>cb:<circuitId>` is set to {state:"open", openedAtMs} and every
//   replica opens it; when any replica closes it after successful probes, every replica closes it;
// - open → half-open is computed by each replica from the shared `openedAtMs` (same instant on
//   NTP-synced clocks), and the half-open probe budget is per replica (up to `halfOpenProbes`
//   probes each). Conflicts resolve by transition time (last writer wins on `atMs`).
//
// Redis outages: writes fail fast (no offline queue), are logged (throttled) and kept locally;
// ioredis reconnects with backoff and resubscribes, and the resync above repairs the gap.

import { randomUUID } from "node:crypto";
import { Redis, type RedisOptions } from "ioredis";
import type { CircuitRecord, Clock, RoutingStateStore } from "./routing-state";

export const DEFAULT_ROUTING_KEY_PREFIX = "sy:routing:";
/** How long a shared circuit transition is kept in Redis (refreshed by every transition). */
const DEFAULT_CIRCUIT_TTL_MS = 3_600_000;
// Errors repeat on every reconnect attempt while Redis is down; one line per interval is enough.
const ERROR_LOG_INTERVAL_MS = 10_000;

// KEYS[1] cooldown key; ARGV: untilMs, ttlMs, channel, message. Only extends a cooldown.
const SET_COOLDOWN_SCRIPT = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > current then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  redis.call('PUBLISH', ARGV[3], ARGV[4])
  return 1
end
return 0`;

// KEYS[1] circuit key; ARGV: atMs, value (JSON), ttlMs, channel, message. Newer transition wins.
const SET_CIRCUIT_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if current then
  local ok, decoded = pcall(cjson.decode, current)
  if ok and type(decoded) == 'table' and tonumber(decoded.atMs) and tonumber(decoded.atMs) >= tonumber(ARGV[1]) then
    return 0
  end
end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
redis.call('PUBLISH', ARGV[4], ARGV[5])
return 1`;

/** A shared circuit transition, as stored in Redis and published. */
interface CircuitTransition {
  readonly state: "open" | "closed";
  /** When the transition happened (epoch ms); orders concurrent transitions. */
  readonly atMs: number;
  readonly openedAtMs: number;
}

type Message =
  | { readonly from: string; readonly kind: "cooldown"; readonly id: string; readonly untilMs: number }
  | ({ readonly from: string; readonly kind: "circuit"; readonly id: string } & CircuitTransition);

export interface RedisRoutingStateOptions {
  readonly redisUrl: string;
  readonly keyPrefix?: string;
  readonly log?: (message: string) => void;
  readonly clock?: Clock;
  readonly circuitTtlMs?: number;
  /** Merged over the defaults (tests: short connect timeouts). */
  readonly redisOptions?: RedisOptions;
}

function closedRecord(): CircuitRecord {
  return { state: "closed", openedAtMs: 0, buckets: [], probesInFlight: 0, probeSuccesses: 0 };
}

function isTransition(value: unknown): value is CircuitTransition {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (v.state === "open" || v.state === "closed") && typeof v.atMs === "number" && typeof v.openedAtMs === "number";
}

export class RedisRoutingState implements RoutingStateStore {
  private readonly cooldowns = new Map<string, number>();
  private readonly circuits = new Map<string, CircuitRecord>();
  /** Per circuit: the latest shared transition this replica knows (made or received). */
  private readonly transitions = new Map<string, CircuitTransition>();
  private readonly instanceId = randomUUID();
  private readonly prefix: string;
  private readonly channel: string;
  private readonly clock: Clock;
  private readonly circuitTtlMs: number;
  private readonly log: (message: string) => void;
  private readonly client: Redis;
  private readonly subscriber: Redis;
  private closed = false;
  private lastLoggedMs = 0;
  private syncing: Promise<void> | null = null;
  private syncAgain = false;
  /** The subscriber is subscribed (false again while it reconnects). */
  private subscribed = false;
  private resolveReady: () => void = () => {};
  private readonly readyPromise: Promise<void>;

  constructor(options: RedisRoutingStateOptions) {
    this.prefix = options.keyPrefix ?? DEFAULT_ROUTING_KEY_PREFIX;
    this.channel = `${this.prefix}routing-state`;
    this.clock = options.clock ?? Date.now;
    this.circuitTtlMs = options.circuitTtlMs ?? DEFAULT_CIRCUIT_TTL_MS;
    this.log = options.log ?? (() => {});
    this.readyPromise = new Promise((resolve) => (this.resolveReady = resolve));
    const redisOptions: RedisOptions = {
      // Writes are fire-and-forget and resynced on reconnect: fail fast instead of queueing.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      retryStrategy: (attempt) => Math.min(attempt * 200, 5_000),
      lazyConnect: true,
      ...options.redisOptions,
    };
    this.client = new Redis(options.redisUrl, redisOptions);
    // The subscriber needs its own connection; ioredis resubscribes it after a reconnect.
    this.subscriber = new Redis(options.redisUrl, { ...redisOptions, autoResubscribe: true });
    // Without listeners, connection errors would be unhandled 'error' events.
    this.client.on("error", (error: Error) => this.logThrottled(`routing state redis: ${error.message}`));
    this.subscriber.on("error", (error: Error) => this.logThrottled(`routing state redis (subscriber): ${error.message}`));
    this.subscriber.on("message", (channel: string, message: string) => {
      if (channel === this.channel) this.applyMessage(message);
    });
    // Every (re)connect of either connection resyncs: messages may have been missed meanwhile.
    this.client.on("ready", () => this.scheduleSync());
    this.subscriber.on("close", () => (this.subscribed = false));
    this.subscriber.on("ready", () => {
      this.subscriber.subscribe(this.channel).then(
        () => {
          this.subscribed = true;
          this.scheduleSync();
        },
        (error: unknown) => this.logThrottled(`routing state subscribe failed: ${describe(error)}`),
      );
    });
    this.client.connect().catch(() => {}); // reported through 'error'; retried by retryStrategy
    this.subscriber.connect().catch(() => {});
  }

  /**
   * Resolves after the first load from Redis made while subscribed, i.e. from then on no change
   * is missed. Never rejects; stays pending while Redis is down (reads work meanwhile).
   */
  ready(): Promise<void> {
    return this.readyPromise;
  }

  getKeyCooldown(keyId: string): number | undefined {
    const until = this.cooldowns.get(keyId);
    if (until !== undefined && until <= this.clock()) {
      this.cooldowns.delete(keyId);
      return undefined;
    }
    return until;
  }

  setKeyCooldown(keyId: string, untilMs: number): void {
    this.cooldowns.set(keyId, untilMs);
    this.pushCooldown(keyId, untilMs);
  }

  getCircuit(circuitId: string): CircuitRecord | undefined {
    return this.circuits.get(circuitId);
  }

  setCircuit(circuitId: string, record: CircuitRecord): void {
    const previous = this.circuits.get(circuitId);
    this.circuits.set(circuitId, record);
    let transition: CircuitTransition | null = null;
    if (record.state === "open" && (previous?.state !== "open" || previous.openedAtMs !== record.openedAtMs)) {
      transition = { state: "open", atMs: Math.max(record.openedAtMs, this.clock()), openedAtMs: record.openedAtMs };
    } else if (record.state === "closed" && previous !== undefined && previous.state !== "closed") {
      transition = { state: "closed", atMs: this.clock(), openedAtMs: previous.openedAtMs };
    }
    // half_open and bucket updates stay local (see the header).
    if (transition === null) return;
    this.transitions.set(circuitId, transition);
    this.pushCircuit(circuitId, transition);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([this.client, this.subscriber].map((c) => (c.status === "ready" ? c.quit().then(() => undefined, () => c.disconnect()) : c.disconnect())));
  }

  private cooldownKey(keyId: string): string {
    return `${this.prefix}cd:${encodeURIComponent(keyId)}`;
  }

  private circuitKey(circuitId: string): string {
    return `${this.prefix}cb:${encodeURIComponent(circuitId)}`;
  }

  private pushCooldown(keyId: string, untilMs: number): void {
    const ttlMs = Math.ceil(untilMs - this.clock());
    if (ttlMs <= 0 || this.client.status !== "ready") return; // resync pushes it on reconnect
    const message: Message = { from: this.instanceId, kind: "cooldown", id: keyId, untilMs };
    this.client
      .eval(SET_COOLDOWN_SCRIPT, 1, this.cooldownKey(keyId), untilMs, ttlMs, this.channel, JSON.stringify(message))
      .catch((error: unknown) => this.logThrottled(`routing state: sharing a key cooldown failed: ${describe(error)}`));
  }

  private pushCircuit(circuitId: string, t: CircuitTransition): void {
    if (this.client.status !== "ready") return;
    const value = JSON.stringify({ state: t.state, atMs: t.atMs, openedAtMs: t.openedAtMs });
    const message: Message = { from: this.instanceId, kind: "circuit", id: circuitId, ...t };
    this.client
      .eval(SET_CIRCUIT_SCRIPT, 1, this.circuitKey(circuitId), t.atMs, value, this.circuitTtlMs, this.channel, JSON.stringify(message))
      .catch((error: unknown) => this.logThrottled(`routing state: sharing a circuit transition failed: ${describe(error)}`));
  }

  private applyMessage(raw: string): void {
    let message: Message;
    try {
      message = JSON.parse(raw) as Message;
    } catch {
      return;
    }
    if (message.from === this.instanceId || typeof message.id !== "string") return;
    if (message.kind === "cooldown" && typeof message.untilMs === "number") this.applyCooldown(message.id, message.untilMs);
    else if (message.kind === "circuit" && isTransition(message)) this.applyTransition(message.id, message);
  }

  private applyCooldown(keyId: string, untilMs: number): void {
    const current = this.cooldowns.get(keyId);
    if (untilMs > this.clock() && (current === undefined || current < untilMs)) this.cooldowns.set(keyId, untilMs);
  }

  private applyTransition(circuitId: string, t: CircuitTransition): void {
    const known = this.transitions.get(circuitId);
    if (known !== undefined && known.atMs >= t.atMs) return;
    this.transitions.set(circuitId, { state: t.state, atMs: t.atMs, openedAtMs: t.openedAtMs });
    const local = this.circuits.get(circuitId);
    if (t.state === "open") {
      this.circuits.set(circuitId, { ...closedRecord(), state: "open", openedAtMs: t.openedAtMs });
    } else if (local !== undefined && local.state !== "closed") {
      // Closed elsewhere after successful probes; a locally closed record keeps its buckets.
      this.circuits.set(circuitId, closedRecord());
    }
  }

  private scheduleSync(): void {
    if (this.closed) return;
    if (this.syncing) {
      this.syncAgain = true;
      return;
    }
    const subscribed = this.subscribed;
    this.syncing = this.sync()
      .then(
        () => {
          if (subscribed) this.resolveReady();
        },
        (error: unknown) => this.logThrottled(`routing state: loading shared state failed: ${describe(error)}`),
      )
      .finally(() => {
        this.syncing = null;
        if (this.syncAgain) {
          this.syncAgain = false;
          this.scheduleSync();
        }
      });
  }

  /** Loads the shared state into the local copy, then pushes local state Redis missed. */
  private async sync(): Promise<void> {
    if (this.client.status !== "ready") throw new Error(`not connected (${this.client.status})`);
    const keys: string[] = [];
    let cursor = "0";
    do {
      const [next, batch] = await this.client.scan(cursor, "MATCH", `${escapeGlob(this.prefix)}c[db]:*`, "COUNT", 1000);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== "0");
    for (let i = 0; i < keys.length; i += 500) {
      const batch = keys.slice(i, i + 500);
      const values = await this.client.mget(...batch);
      batch.forEach((key, index) => this.applyStored(key, values[index] ?? null));
    }
    if (this.closed) return;
    const now = this.clock();
    for (const [keyId, untilMs] of this.cooldowns) if (untilMs > now) this.pushCooldown(keyId, untilMs);
    for (const [circuitId, t] of this.transitions) {
      // Older than its Redis expiry: forgotten everywhere else, and by now long half-open or closed.
      if (t.atMs + this.circuitTtlMs <= now) this.transitions.delete(circuitId);
      else this.pushCircuit(circuitId, t);
    }
  }

  private applyStored(key: string, value: string | null): void {
    if (value === null) return;
    const rest = key.slice(this.prefix.length);
    let id: string;
    try {
      id = decodeURIComponent(rest.slice(3));
    } catch {
      return;
    }
    if (rest.startsWith("cd:")) {
      const untilMs = Number(value);
      if (Number.isFinite(untilMs)) this.applyCooldown(id, untilMs);
    } else if (rest.startsWith("cb:")) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch {
        return;
      }
      if (isTransition(parsed)) this.applyTransition(id, parsed);
    }
  }

  private logThrottled(message: string): void {
    if (this.closed) return;
    const nowMs = Date.now();
    if (nowMs - this.lastLoggedMs < ERROR_LOG_INTERVAL_MS) return;
    this.lastLoggedMs = nowMs;
    this.log(message);
  }
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
