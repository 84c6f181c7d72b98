// Builders shared by the governance tests (not used by production code).
import type { BudgetLimit, GovernanceLimits, GovernanceRequest, KeyPolicy, RateLimitRule } from "./types";

export function keyPolicy(overrides: Partial<KeyPolicy> = {}): KeyPolicy {
  return { id: "key-1", name: "ci-key", active: true, expiresAt: null, allowedModels: ["*"], allowedProviders: null, ...overrides };
}

export function governanceRequest(overrides: Partial<GovernanceRequest> = {}): GovernanceRequest {
  return {
    keyId: "key-1",
    teamId: "team-1",
    customerId: "customer-1",
    userId: null,
    provider: "openai",
    model: "gpt-4o",
    estimatedInputTokens: 100,
    maxOutputTokens: 100,
    estimatedCostNanoUsd: 10_000_000, // $0.01
    ...overrides,
  };
}

export function limitsOf(
  budgets: readonly BudgetLimit[] = [],
  rateLimits: readonly RateLimitRule[] = [],
  key: KeyPolicy = keyPolicy(),
): GovernanceLimits {
  return { key, budgets, rateLimits };
}

export function usdBudget(limitUsd: number, overrides: Partial<BudgetLimit> = {}): BudgetLimit {
  return { level: "virtual_key", entityId: "key-1", window: "1d", alignment: "calendar", limitUsd, ...overrides };
}

export function tokenBudget(limitTokens: number, overrides: Partial<BudgetLimit> = {}): BudgetLimit {
  return { level: "virtual_key", entityId: "key-1", window: "1d", alignment: "calendar", limitTokens, ...overrides };
}

export function rateLimit(overrides: Partial<RateLimitRule>): RateLimitRule {
  return { level: "virtual_key", entityId: "key-1", window: "1m", alignment: "rolling", ...overrides };
}

/** Small deterministic PRNG (mulberry32), so concurrency tests are reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
