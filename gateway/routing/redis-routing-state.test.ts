// Redis routing state: replicas (two or three RedisRoutingState instances, each with its own
// connections) share key cooldowns and circuit transitions. The sharing cases need a Redis
// (REDIS_URL, set in CI); the unreachable case needs none.
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { CircuitBreaker } from "./circuit-breaker";
import { createRoutingState } from "./create-routing-state";
import { KeyCooldowns } from "./key-pool";
import { RedisRoutingState } from "./redis-routing-state";
import { InMemoryRoutingState } from "./routing-state";

const redisUrl = process.env.REDIS_URL;
const POLL = { timeout: 5_000, interval: 10 };
const BREAKER = { windowMs: 10_000, buckets: 10, minRequests: 4, failureRateThreshold: 0.5, openMs: 60_000, halfOpenProbes: 1, successesToClose: 1 };

const opened: RedisRoutingState[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

if (!redisUrl) {
  console.warn("redis-routing-state.test.ts: REDIS_URL is not set; skipping the shared routing state tests (CI sets it).");
  it.skip("shared routing state over Redis (needs REDIS_URL)", () => {});
} else {
  const url = redisUrl;
  const runPrefix = `sy:test:routing:${randomUUID()}:`;
  let runs = 0;
  const admin = new Redis(url, { maxRetriesPerRequest: 1 });

  afterAll(async () => {
    let cursor = "0";
    do {
      const [next, keys] = await admin.scan(cursor, "MATCH", `${runPrefix}*`, "COUNT", 1000);
      if (keys.length > 0) await admin.del(...keys);
      cursor = next;
    } while (cursor !== "0");
    await admin.quit();
  });

  const replicas = async (count: number, keyPrefix = `${runPrefix}${++runs}:`) => {
    const stores = Array.from({ length: count }, () => new RedisRoutingState({ redisUrl: url, keyPrefix }));
    opened.push(...stores);
    await Promise.all(stores.map((s) => s.ready()));
    return { stores, keyPrefix };
  };

  describe("redis routing state", () => {
    it("a key cooldown set on one replica excludes the key on another", async () => {
      const { stores } = await replicas(2);
      const [a, b] = stores as [RedisRoutingState, RedisRoutingState];
      const cooldownsA = new KeyCooldowns(a);
      const cooldownsB = new KeyCooldowns(b);
      expect(cooldownsB.isCoolingDown("key-1")).toBe(false);
      cooldownsA.recordFailure("key-1", 429, 60_000);
      await vi.waitFor(() => expect(cooldownsB.isCoolingDown("key-1")).toBe(true), POLL);
      expect(b.getKeyCooldown("key-1")).toBe(a.getKeyCooldown("key-1"));
      expect(cooldownsB.isCoolingDown("key-2")).toBe(false);
    });

    it("never shortens a longer cooldown set elsewhere", async () => {
      const { stores, keyPrefix } = await replicas(2);
      const [a, b] = stores as [RedisRoutingState, RedisRoutingState];
      const long = Date.now() + 120_000;
      a.setKeyCooldown("key-1", long);
      await vi.waitFor(() => expect(b.getKeyCooldown("key-1")).toBe(long), POLL);
      // B had not seen A's cooldown yet when it wrote a shorter one (a race): Redis keeps the longer.
      b.setKeyCooldown("key-1", Date.now() + 1_000);
      // Commands and messages stay in order per connection: once A sees the marker, B's first write is done.
      b.setKeyCooldown("marker", Date.now() + 60_000);
      await vi.waitFor(() => expect(a.getKeyCooldown("marker")).toBeDefined(), POLL);
      expect(a.getKeyCooldown("key-1")).toBe(long);
      expect(Number(await admin.get(`${keyPrefix}cd:key-1`))).toBe(long);
    });

    it("honours the cooldown's expiry, locally and in Redis", async () => {
      const { stores, keyPrefix } = await replicas(2);
      const [a, b] = stores as [RedisRoutingState, RedisRoutingState];
      const until = Date.now() + 300;
      a.setKeyCooldown("key-1", until);
      await vi.waitFor(() => expect(b.getKeyCooldown("key-1")).toBe(until), POLL);
      await vi.waitFor(() => expect(new KeyCooldowns(b).isCoolingDown("key-1")).toBe(false), POLL);
      expect(b.getKeyCooldown("key-1")).toBeUndefined();
      await vi.waitFor(async () => expect(await admin.exists(`${keyPrefix}cd:key-1`)).toBe(0), POLL);
    });

    it("a circuit opened on one replica is open on another, and closing it is shared too", async () => {
      const { stores } = await replicas(2);
      const [a, b] = stores as [RedisRoutingState, RedisRoutingState];
      let now = Date.now();
      const clock = () => now;
      const breakerA = new CircuitBreaker(a, clock, BREAKER);
      const breakerB = new CircuitBreaker(b, clock, BREAKER);
      for (let i = 0; i < 4; i++) breakerA.recordFailure("openai", "gpt-4o");
      expect(breakerA.state("openai", "gpt-4o")).toBe("open");
      await vi.waitFor(() => expect(breakerB.state("openai", "gpt-4o")).toBe("open"), POLL);
      expect(breakerB.isAvailable("openai", "gpt-4o")).toBe(false);
      expect(breakerB.state("openai", "gpt-5")).toBe("closed");

      // Half-open is computed per replica from the shared openedAtMs; a successful probe on B closes it on A.
      now += BREAKER.openMs;
      expect(breakerA.state("openai", "gpt-4o")).toBe("half_open");
      expect(breakerB.tryAcquire("openai", "gpt-4o")).toBe(true);
      now += 1;
      breakerB.recordSuccess("openai", "gpt-4o");
      expect(breakerB.state("openai", "gpt-4o")).toBe("closed");
      await vi.waitFor(() => expect(breakerA.state("openai", "gpt-4o")).toBe("closed"), POLL);
    });

    it("a replica that starts later loads the current state", async () => {
      const { stores, keyPrefix } = await replicas(1);
      const a = stores[0] as RedisRoutingState;
      const breakerA = new CircuitBreaker(a, Date.now, BREAKER);
      for (let i = 0; i < 4; i++) breakerA.recordFailure("mistral", "large");
      const until = Date.now() + 60_000;
      a.setKeyCooldown("key-9", until);
      await vi.waitFor(async () => expect(await admin.exists(`${keyPrefix}cd:key-9`)).toBe(1), POLL);
      await vi.waitFor(async () => expect(await admin.keys(`${keyPrefix}cb:*`)).toHaveLength(1), POLL);

      const { stores: late } = await replicas(1, keyPrefix);
      const c = late[0] as RedisRoutingState;
      expect(c.getKeyCooldown("key-9")).toBe(until);
      expect(new CircuitBreaker(c, Date.now, BREAKER).state("mistral", "large")).toBe("open");
    });

    it("catches up after its connections drop (reconnect, resubscribe, resync)", async () => {
      const { stores, keyPrefix } = await replicas(1);
      const a = stores[0] as RedisRoutingState;
      const connectionName = `sy-test-${randomUUID()}`;
      const b = new RedisRoutingState({ redisUrl: url, keyPrefix, redisOptions: { connectionName, retryStrategy: () => 20 } });
      opened.push(b);
      await b.ready();
      const clients = ((await admin.client("LIST")) as string).split("\n").filter((line) => line.includes(` name=${connectionName} `));
      expect(clients).toHaveLength(2);
      for (const line of clients) await admin.client("KILL", "ID", /id=(\d+)/.exec(line)?.[1] ?? "");
      // Written while B is (probably) reconnecting: B gets it by message or by the resync.
      a.setKeyCooldown("key-1", Date.now() + 60_000);
      // Written by B while its connection is gone: pushed to Redis once it is back.
      b.setKeyCooldown("key-b", Date.now() + 60_000);
      await vi.waitFor(() => expect(b.getKeyCooldown("key-1")).toBeDefined(), POLL);
      await vi.waitFor(() => expect(a.getKeyCooldown("key-b")).toBeDefined(), POLL);
      // And the subscription works again afterwards.
      a.setKeyCooldown("key-2", Date.now() + 60_000);
      await vi.waitFor(() => expect(b.getKeyCooldown("key-2")).toBeDefined(), POLL);
    });

    it("createRoutingState picks Redis when a URL is given", async () => {
      const store = createRoutingState({ redisUrl: url, keyPrefix: `${runPrefix}factory:`, log: () => {} });
      expect(store).toBeInstanceOf(RedisRoutingState);
      await store.close();
    });
  });
}

describe("redis routing state: Redis unreachable", () => {
  it("keeps serving reads from local state and rejects nothing", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    const logs: string[] = [];
    try {
      // Port 1: connection refused at once; the clients keep reconnecting.
      const store = new RedisRoutingState({
        redisUrl: "redis://127.0.0.1:1",
        keyPrefix: "sy:test:unreachable:",
        log: (m) => logs.push(m),
        redisOptions: { connectTimeout: 200, retryStrategy: () => 50 },
      });
      opened.push(store);
      const cooldowns = new KeyCooldowns(store);
      const breaker = new CircuitBreaker(store, Date.now, BREAKER);
      cooldowns.recordFailure("key-1", 401);
      for (let i = 0; i < 4; i++) breaker.recordFailure("openai", "gpt-4o");
      expect(cooldowns.isCoolingDown("key-1")).toBe(true);
      expect(breaker.state("openai", "gpt-4o")).toBe("open");
      await vi.waitFor(() => expect(logs.length).toBeGreaterThan(0), POLL);
      expect(logs[0]).toMatch(/routing state redis/);
      await store.close();
      // Let any stray rejection surface before checking.
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });

  it("createRoutingState without a URL is in memory", async () => {
    const store = createRoutingState({ redisUrl: undefined, log: () => {} });
    expect(store).toBeInstanceOf(InMemoryRoutingState);
    store.setKeyCooldown("k", 5);
    expect(store.getKeyCooldown("k")).toBe(5);
    await store.close();
  });
});
