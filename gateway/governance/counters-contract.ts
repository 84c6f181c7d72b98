// One behavioural contract for every GovernanceCounters implementation, run by
// memory-counters.test.ts and redis-counters.test.ts. `replicas` returns two counters that
// share state: the same object in memory, two separate Redis connections for Redis.
import { describe, expect, it } from "vitest";
import { usdToNano } from "../../lib/pricing/usd-units";
import { buildCounterItems } from "./counter-items";
import type { GovernanceCounters } from "./counters";
import { createEnforcer } from "./enforce";
import { governanceRequest, limitsOf, rateLimit, seededRandom, tokenBudget, usdBudget } from "./governance-fixtures";
import type { Decision, GovernanceLimits, GovernanceRequest, Reservation } from "./types";

export interface CountersHarness {
  /** Two views of one shared store (two gateway replicas). Each call starts from empty state. */
  replicas(): Promise<[GovernanceCounters, GovernanceCounters]>;
}

const NOON = new Date("2026-03-10T12:00:00.000Z");

function itemsFor(request: GovernanceRequest, limits: GovernanceLimits, now: Date) {
  return buildCounterItems(request, limits, now);
}

function allowed(decision: Decision): Reservation {
  if (decision.kind !== "allow") throw new Error(`expected allow, got ${JSON.stringify(decision)}`);
  return decision.reservation;
}

export function describeCountersContract(name: string, harness: CountersHarness): void {
  describe(`${name}: reservation and settlement arithmetic`, () => {
    const limits = limitsOf([usdBudget(1), tokenBudget(10_000)], [rateLimit({ maxRequests: 100 })]);
    const request = governanceRequest({ estimatedCostNanoUsd: usdToNano(0.1), estimatedInputTokens: 300, maxOutputTokens: 700 });
    const [usd, tokens, requests] = ["usd", "tokens", "requests"].map(
      (metric) => itemsFor(request, limits, NOON).findIndex((i) => i.metric === metric),
    ) as [number, number, number];

    async function usageAfter(counters: GovernanceCounters) {
      const usage = await counters.usage(itemsFor(request, limits, NOON), NOON);
      return { usd: usage[usd]?.current, tokens: usage[tokens]?.current, requests: usage[requests]?.current };
    }

    it("reserves the estimate on every counter at once", async () => {
      const [counters] = await harness.replicas();
      allowed(await createEnforcer({ counters }).admit(request, limits, NOON));
      expect(await usageAfter(counters)).toEqual({ usd: usdToNano(0.1), tokens: 1000, requests: 1 });
    });

    it("settles lower than the estimate to the actual amount", async () => {
      const [counters] = await harness.replicas();
      const enforcer = createEnforcer({ counters });
      const reservation = allowed(await enforcer.admit(request, limits, NOON));
      expect(await enforcer.settle(reservation, { costUsd: 0.025, tokens: 400 }, NOON)).toBe("settled");
      expect(await usageAfter(counters)).toEqual({ usd: usdToNano(0.025), tokens: 400, requests: 1 });
    });

    it("settleAndRead answers each counter's value right after the settle, open reservations included", async () => {
      const [counters, other] = await harness.replicas();
      const enforcer = createEnforcer({ counters });
      const settled = allowed(await enforcer.admit(request, limits, NOON));
      allowed(await createEnforcer({ counters: other }).admit(request, limits, NOON));
      const reading = await enforcer.settleAndRead(settled, { costUsd: 0.025, tokens: 400 }, NOON);
      expect(reading.outcome).toBe("settled");
      const byMetric = Object.fromEntries(settled.items.map((item, i) => [item.metric, reading.after?.[i]]));
      expect(byMetric).toEqual({ usd: usdToNano(0.025) + usdToNano(0.1), tokens: 400 + 1000, requests: 2 });
      expect(await enforcer.settleAndRead(settled, { costUsd: 0.025, tokens: 400 }, NOON)).toEqual({ outcome: "already-settled", after: null });
    });

    it("settles higher than the estimate to the actual amount", async () => {
      const [counters] = await harness.replicas();
      const enforcer = createEnforcer({ counters });
      const reservation = allowed(await enforcer.admit(request, limits, NOON));
      await enforcer.settle(reservation, { costUsd: 0.1300000001, tokens: 1500 }, NOON);
      expect(await usageAfter(counters)).toEqual({ usd: 130_000_000, tokens: 1500, requests: 1 });
    });

    it("release gives everything back, the request count included", async () => {
      const [counters] = await harness.replicas();
      const enforcer = createEnforcer({ counters });
      const kept = allowed(await enforcer.admit(request, limits, NOON));
      const failed = allowed(await enforcer.admit(request, limits, NOON));
      expect(await enforcer.release(failed, NOON)).toBe("settled");
      expect(await usageAfter(counters)).toEqual({ usd: usdToNano(0.1), tokens: 1000, requests: 1 });
      await enforcer.settle(kept, { costUsd: 0.05, tokens: 10 }, NOON);
      expect(await usageAfter(counters)).toEqual({ usd: usdToNano(0.05), tokens: 10, requests: 1 });
    });

    it("applies a settlement once, and nothing after a release", async () => {
      const [counters, other] = await harness.replicas();
      const enforcer = createEnforcer({ counters });
      const reservation = allowed(await enforcer.admit(request, limits, NOON));
      await enforcer.settle(reservation, { costUsd: 0.05, tokens: 10 }, NOON);
      expect(await other.settle(reservation, { costUsd: 0.05, tokens: 10 }, NOON)).toBe("already-settled");
      expect(await counters.release(reservation, NOON)).toBe("already-settled");
      const released = allowed(await enforcer.admit(request, limits, NOON));
      await enforcer.release(released, NOON);
      expect(await enforcer.settle(released, { costUsd: 0.5, tokens: 10 }, NOON)).toBe("already-settled");
      expect(await usageAfter(counters)).toEqual({ usd: usdToNano(0.05), tokens: 10, requests: 1 });
    });

    it("is all-or-nothing: when one level fails, no level is charged", async () => {
      const [counters] = await harness.replicas();
      const enforcer = createEnforcer({ counters });
      const tight = limitsOf([usdBudget(1), usdBudget(0.15, { level: "team", entityId: "team-1" })]);
      allowed(await enforcer.admit(request, tight, NOON));
      const second = await enforcer.admit(request, tight, NOON);
      expect(second).toMatchObject({ kind: "reject", status: 402, limit: { level: "team", used: usdToNano(0.1) } });
      const usage = await counters.usage(itemsFor(request, tight, NOON), NOON);
      expect(usage.map((u) => u.current)).toEqual([usdToNano(0.1), usdToNano(0.1)]);
    });

    it("reports the first failing item in decision order", async () => {
      const [counters] = await harness.replicas();
      const enforcer = createEnforcer({ counters });
      const both = limitsOf([usdBudget(0.15)], [rateLimit({ maxRequests: 1 })]);
      allowed(await enforcer.admit(request, both, NOON));
      expect(await enforcer.admit(request, both, NOON)).toMatchObject({ kind: "reject", status: 429, code: "rate_limit_exceeded" });
    });
  });

  describe(`${name}: windows`, () => {
    const request = governanceRequest({ estimatedCostNanoUsd: usdToNano(0.6) });

    it("starts a calendar day from zero at 00:00 UTC", async () => {
      const [counters] = await harness.replicas();
      const enforcer = createEnforcer({ counters });
      const limits = limitsOf([usdBudget(1)]);
      const lastMs = new Date("2026-03-10T23:59:59.999Z");
      const reservation = allowed(await enforcer.admit(request, limits, lastMs));
      await enforcer.settle(reservation, { costUsd: 0.6, tokens: 1 }, lastMs);
      const refused = await enforcer.admit(request, limits, lastMs);
      expect(refused).toMatchObject({ status: 402, limit: { resetAt: new Date("2026-03-11T00:00:00.000Z") } });
      allowed(await enforcer.admit(request, limits, new Date("2026-03-11T00:00:00.000Z")));
    });

    it("starts a calendar month from zero on the 1st", async () => {
      const [counters] = await harness.replicas();
      const enforcer = createEnforcer({ counters });
      const limits = limitsOf([usdBudget(1, { window: "1M" })]);
      allowed(await enforcer.admit(request, limits, new Date("2024-02-01T00:00:00.000Z")));
      const refused = await enforcer.admit(request, limits, new Date("2024-02-29T23:00:00.000Z"));
      expect(refused).toMatchObject({ status: 402, limit: { resetAt: new Date("2024-03-01T00:00:00.000Z") } });
      allowed(await enforcer.admit(request, limits, new Date("2024-03-01T00:00:00.000Z")));
    });

    it("slides a rolling window: the previous minute counts by the part still inside it", async () => {
      const [counters] = await harness.replicas();
      const enforcer = createEnforcer({ counters });
      const limits = limitsOf([], [rateLimit({ maxRequests: 10, window: "1m", alignment: "rolling" })]);
      const t0 = new Date("2026-03-10T12:00:00.000Z");
      for (let i = 0; i < 10; i++) allowed(await enforcer.admit(request, limits, t0));
      const full = await enforcer.admit(request, limits, new Date("2026-03-10T12:00:30.000Z"));
      // The current bucket alone holds the limit: free once it has slid out enough (12:01:06).
      expect(full).toMatchObject({ status: 429, retryAfterSeconds: 36 });
      // 15 s into the next minute, 45/60 of the previous 10 still count: 7.5 → 7 used.
      const t1 = new Date("2026-03-10T12:01:15.000Z");
      for (let i = 0; i < 3; i++) allowed(await enforcer.admit(request, limits, t1));
      expect(await enforcer.admit(request, limits, t1)).toMatchObject({ status: 429, limit: { used: 10 } });
      // By 12:01:30 the weight is 1/2: 5 + 3 = 8 used.
      allowed(await enforcer.admit(request, limits, new Date("2026-03-10T12:01:30.000Z")));
    });
  });

  describe(`${name}: max concurrency`, () => {
    const request = governanceRequest();
    const limits = limitsOf([], [rateLimit({ maxConcurrent: 2, window: undefined })]);

    it("holds a slot from reserve to settle, across replicas", async () => {
      const [a, b] = await harness.replicas();
      const first = allowed(await createEnforcer({ counters: a }).admit(request, limits, NOON));
      allowed(await createEnforcer({ counters: b }).admit(request, limits, NOON));
      expect(await createEnforcer({ counters: a }).admit(request, limits, NOON)).toMatchObject({
        status: 429,
        code: "concurrency_limit_exceeded",
        retryAfterSeconds: 1,
      });
      await b.settle(first, { costUsd: 0, tokens: 0 }, NOON);
      allowed(await createEnforcer({ counters: a }).admit(request, limits, NOON));
    });

    it("frees the slot of a request that never settled once its lease ends", async () => {
      const [counters] = await harness.replicas();
      const enforcer = createEnforcer({ counters, concurrencyLeaseMs: 60_000 });
      allowed(await enforcer.admit(request, limits, NOON));
      allowed(await enforcer.admit(request, limits, NOON));
      expect(await enforcer.admit(request, limits, new Date(NOON.getTime() + 59_000))).toMatchObject({ status: 429 });
      allowed(await enforcer.admit(request, limits, new Date(NOON.getTime() + 60_001)));
    });
  });

  describe(`${name}: 200 concurrent requests, two replicas`, () => {
    it("never admits more than a $0.50 budget when estimates are upper bounds", async () => {
      const [a, b] = await harness.replicas();
      const limits = limitsOf([usdBudget(0.5)]);
      const request = governanceRequest({ estimatedCostNanoUsd: usdToNano(0.01) });
      const decisions = await Promise.all(
        Array.from({ length: 200 }, (_, i) => createEnforcer({ counters: i % 2 ? a : b }).admit(request, limits, NOON)),
      );
      const admitted = decisions.filter((d) => d.kind === "allow");
      expect(admitted).toHaveLength(50);
      expect(decisions.filter((d) => d.kind !== "allow").every((d) => d.kind === "reject" && d.status === 402)).toBe(true);
    });

    it("keeps settled spend within the bound and counters equal to the sum of settlements", async () => {
      const [a, b] = await harness.replicas();
      const limits = limitsOf([usdBudget(0.5)]);
      const random = seededRandom(42);
      const budgetNano = usdToNano(0.5);
      const outcomes = await Promise.all(
        Array.from({ length: 200 }, async (_, i) => {
          const estimate = 5_000_000 + Math.floor(random() * 15_000_000); // $0.005 … $0.02
          // Actual cost between half and 1.5× the estimate: settlements both ways.
          const actual = Math.floor(estimate * (0.5 + random()));
          const delayMs = Math.floor(random() * 5);
          const enforcer = createEnforcer({ counters: i % 2 ? a : b });
          const decision = await enforcer.admit(governanceRequest({ estimatedCostNanoUsd: estimate }), limits, NOON);
          if (decision.kind !== "allow") return { admitted: false, status: decision.kind === "reject" ? decision.status : 0, estimate, actual: 0 };
          await new Promise((resolve) => setTimeout(resolve, delayMs));
          await enforcer.settle(decision.reservation, { costUsd: actual / 1e9, tokens: 10 }, NOON);
          return { admitted: true, status: 200, estimate, actual };
        }),
      );
      const admitted = outcomes.filter((o) => o.admitted);
      const settled = admitted.reduce((sum, o) => sum + o.actual, 0);
      // enforce.ts: final ≤ limit + Σ over requests in flight at the last admission of
      // max(0, actual − estimate); summing over every admitted request bounds that sum.
      const bound = admitted.reduce((sum, o) => sum + Math.max(0, o.actual - o.estimate), 0);
      expect(settled).toBeLessThanOrEqual(budgetNano + bound);
      expect(outcomes.filter((o) => !o.admitted).every((o) => o.status === 402)).toBe(true);
      expect(admitted.length).toBeGreaterThan(20);
      const [usage] = await a.usage(itemsFor(governanceRequest(), limits, NOON), NOON);
      expect(usage?.current).toBe(settled);
    });

    it("admits exactly the requests-per-minute limit split over the replicas", async () => {
      const [a, b] = await harness.replicas();
      const limits = limitsOf([], [rateLimit({ maxRequests: 60, window: "1m", alignment: "calendar" })]);
      const decisions = await Promise.all(
        Array.from({ length: 200 }, (_, i) => createEnforcer({ counters: i % 2 ? a : b }).admit(governanceRequest(), limits, NOON)),
      );
      expect(decisions.filter((d) => d.kind === "allow")).toHaveLength(60);
      expect(decisions.filter((d) => d.kind === "reject" && d.status === 429 && d.retryAfterSeconds === 60)).toHaveLength(140);
    });
  });
}
