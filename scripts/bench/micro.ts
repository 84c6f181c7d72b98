// `npm run bench -- --micro`: in-process micro-benchmarks of the two per-request decisions
// the hot path makes besides proxying, so their cost is known apart from network noise:
//   1. governance: admit (reserve on every level at once) + settle, with in-process counters
//      and, when REDIS_URL is set, with Redis counters (one Lua round trip each);
//   2. routing: rule matching with 1,000 rules loaded (worst case: only the last one matches).
// Figures are printed, never asserted; README "Benchmarks" records a run.
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { Redis } from "ioredis";
import { createEnforcer } from "../../gateway/governance/enforce";
import { governanceRequest, limitsOf, rateLimit, usdBudget } from "../../gateway/governance/governance-fixtures";
import { MemoryCounters } from "../../gateway/governance/memory-counters";
import { RedisCounters } from "../../gateway/governance/redis-counters";
import type { GovernanceCounters } from "../../gateway/governance/counters";
import { resolveRoute } from "../../gateway/routing/resolve-route";
import { healthy, provider, request, rule, target, view } from "../../gateway/routing/routing-fixtures.test-helpers";
import { seededRandom } from "../../gateway/routing/weighted-pick";

// A realistic hierarchy: key and team daily budgets, a customer monthly budget, a key
// requests-per-minute limit and a concurrency cap; all far from exhausted.
const limits = limitsOf(
  [
    usdBudget(1e6),
    usdBudget(1e6, { level: "team", entityId: "team-1" }),
    usdBudget(1e7, { level: "customer", entityId: "customer-1", window: "1M" }),
  ],
  [rateLimit({ maxRequests: 1e9 }), rateLimit({ window: undefined, maxConcurrent: 10_000 })],
);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function benchGovernance(name: string, counters: GovernanceCounters, n: number): Promise<void> {
  const enforcer = createEnforcer({ counters });
  const request = governanceRequest();
  const once = async () => {
    const decision = await enforcer.admit(request, limits);
    if (decision.kind !== "allow") throw new Error(`${name}: unexpected ${decision.kind}`);
    await enforcer.settle(decision.reservation, { costUsd: 0.001, tokens: 150 });
  };
  for (let i = 0; i < Math.min(500, n / 10); i++) await once();
  const samples: number[] = [];
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await once();
    samples.push((performance.now() - t0) * 1000);
  }
  const totalMs = performance.now() - started;
  samples.sort((a, b) => a - b);
  console.log(
    `governance ${name.padEnd(10)} admit+settle: p50 ${percentile(samples, 50).toFixed(1)} µs, p99 ${percentile(samples, 99).toFixed(1)} µs, ` +
      `mean ${((totalMs / n) * 1000).toFixed(1)} µs (${n} sequential requests, 5 limits each)`,
  );
}

function benchRouting(): void {
  const rules = Array.from({ length: 1_000 }, (_, i) =>
    rule(
      `r${String(i).padStart(4, "0")}`,
      i === 999 ? "" : `model.startsWith("claude-${i}") && headers["x-team"] == "t${i}" && budget_used > 0.${(i % 9) + 1}`,
      [target("openai", "gpt-4o")],
      { priority: -i },
    ),
  );
  const compileStart = performance.now();
  const snapshotView = view([provider("openai", { models: ["gpt-4o"] })], rules);
  const compileMs = performance.now() - compileStart;
  const req = request({ headers: { "x-team": "a" }, usage: { budgetUsed: 0.5 }, body: { temperature: 0.3 } });
  const random = seededRandom(1);
  for (let i = 0; i < 500; i++) resolveRoute(req, snapshotView, healthy(), random);
  const n = 5_000;
  const started = performance.now();
  for (let i = 0; i < n; i++) resolveRoute(req, snapshotView, healthy(), random);
  const perRequestUs = ((performance.now() - started) / n) * 1000;
  console.log(
    `routing    1,000 global rules: compile ${compileMs.toFixed(0)} ms once per snapshot; ` +
      `worst-case match ${perRequestUs.toFixed(1)} µs/request (${(perRequestUs / 1000).toFixed(3)} µs/rule)`,
  );
  const oneRule = view([provider("openai", { models: ["gpt-4o"] })], [rule("only", 'model.startsWith("gpt-")', [target("openai", "gpt-4o")])]);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) resolveRoute(req, oneRule, healthy(), random);
  console.log(`routing    1 matching rule: ${(((performance.now() - t0) / n) * 1000).toFixed(1)} µs/request`);
}

async function main(): Promise<void> {
  console.log(`micro-benchmarks, node ${process.version}, ${new Date().toISOString()}`);
  await benchGovernance("in-process", new MemoryCounters(), 50_000);
  const redisUrl = process.env.REDIS_URL;
  if (redisUrl) {
    const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    const prefix = `sy:bench:${randomUUID()}:`;
    try {
      await benchGovernance("redis", new RedisCounters(redis, { keyPrefix: prefix }), 5_000);
    } finally {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    }
  } else {
    console.log("governance redis: skipped (REDIS_URL is not set)");
  }
  benchRouting();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
