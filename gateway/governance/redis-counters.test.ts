// Redis counters: the shared contract over two connections (two replicas), plus fail-open /
// fail-closed with an unreachable Redis. The contract needs a Redis (REDIS_URL, set in CI);
// the unreachable cases need none.
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { usdToNano } from "../../lib/pricing/usd-units";
import { buildCounterItems } from "./counter-items";
import { describeCountersContract } from "./counters-contract";
import { createEnforcer } from "./enforce";
import { governanceRequest, limitsOf, usdBudget } from "./governance-fixtures";
import { RedisCounters, type FailMode } from "./redis-counters";

const redisUrl = process.env.REDIS_URL;
const NOON = new Date("2026-03-10T12:00:00.000Z");

if (!redisUrl) {
  console.warn("redis-counters.test.ts: REDIS_URL is not set; skipping the Redis counter contract (CI sets it).");
  it.skip("Redis counter contract (needs REDIS_URL)", () => {});
} else {
  const url = redisUrl;
  const runPrefix = `sy:test:${randomUUID()}:`;
  const clients: Redis[] = [];
  let harnessRuns = 0;

  const connect = () => {
    const client = new Redis(url, { maxRetriesPerRequest: 1 });
    clients.push(client);
    return client;
  };

  afterAll(async () => {
    const cleaner = clients[0] ?? connect();
    let cursor = "0";
    do {
      const [next, keys] = await cleaner.scan(cursor, "MATCH", `${runPrefix}*`, "COUNT", 1000);
      if (keys.length > 0) await cleaner.del(...keys);
      cursor = next;
    } while (cursor !== "0");
    await Promise.all(clients.map((c) => c.quit()));
  });

  describeCountersContract("redis counters", {
    async replicas() {
      // A fresh prefix per test: every test starts from empty counters.
      const keyPrefix = `${runPrefix}${++harnessRuns}:`;
      return [new RedisCounters(connect(), { keyPrefix }), new RedisCounters(connect(), { keyPrefix })];
    },
  });

  describe("redis counters: degraded reservations", () => {
    it("counts the actual usage of a fail-open request once Redis is back", async () => {
      const counters = new RedisCounters(connect(), { keyPrefix: `${runPrefix}degraded:` });
      const limits = limitsOf([usdBudget(1)]);
      const items = buildCounterItems(governanceRequest(), limits, NOON);
      const reservation = { id: randomUUID(), createdAtMs: NOON.getTime(), items: items.map((i) => ({ key: i.key, metric: i.metric, amount: i.amount, ttlMs: i.ttlMs })), degraded: true };
      expect(await counters.settle(reservation, { costUsd: 0.02, tokens: 5 }, NOON)).toBe("settled");
      expect(await counters.settle(reservation, { costUsd: 0.02, tokens: 5 }, NOON)).toBe("already-settled");
      expect((await counters.usage(items, NOON))[0]?.current).toBe(usdToNano(0.02));
    });
  });
}

describe("redis counters: Redis unreachable", () => {
  function unreachable(failMode: FailMode) {
    // Port 1: connection refused at once; retries keep the client "reconnecting".
    const client = new Redis({ host: "127.0.0.1", port: 1, connectTimeout: 200, maxRetriesPerRequest: 0, retryStrategy: () => 100 });
    client.on("error", () => {}); // expected: ECONNREFUSED
    const errors: string[] = [];
    const counters = new RedisCounters(client, { failMode, timeoutMs: 300, onError: (_e, op) => errors.push(op) });
    return { client, counters, errors };
  }

  const request = governanceRequest();
  const limits = limitsOf([usdBudget(1)]);

  it("fails closed with a 503 'governance unavailable' decision, quickly", async () => {
    const { client, counters, errors } = unreachable("closed");
    try {
      const started = Date.now();
      const decision = await createEnforcer({ counters }).admit(request, limits, NOON);
      expect(Date.now() - started).toBeLessThan(1000);
      expect(decision).toMatchObject({ kind: "reject", status: 503, code: "governance_unavailable" });
      expect(errors).toEqual(["reserve"]);
    } finally {
      client.disconnect();
    }
  });

  it("fails open with a degraded allow decision, and settling does not throw", async () => {
    const { client, counters, errors } = unreachable("open");
    try {
      const enforcer = createEnforcer({ counters });
      const decision = await enforcer.admit(request, limits, NOON);
      expect(decision).toMatchObject({ kind: "allow", degraded: true });
      if (decision.kind !== "allow") return;
      expect(await enforcer.settle(decision.reservation, { costUsd: 0.01, tokens: 10 }, NOON)).toBe("unavailable");
      expect(errors).toEqual(["reserve", "settle"]);
    } finally {
      client.disconnect();
    }
  });

  it("does not need Redis for a request without limits", async () => {
    const { client, counters } = unreachable("closed");
    try {
      expect(await createEnforcer({ counters }).admit(request, limitsOf(), NOON)).toMatchObject({ kind: "allow", degraded: false });
    } finally {
      client.disconnect();
    }
  });
});
