import { describe, expect, it } from "vitest";
import { KeyCooldowns, pickProviderKey } from "./key-pool";
import { InMemoryRoutingState } from "./routing-state";
import { provider } from "./routing-fixtures.test-helpers";
import { seededRandom } from "./weighted-pick";

const pool = provider("openai", {
  keys: [
    { id: "a", name: "a", weight: 3, models: [] },
    { id: "b", name: "b", weight: 1, models: ["gpt-4o*"] },
  ],
});

describe("key pool", () => {
  it("honors weights and model allow-lists", () => {
    const cooldowns = new KeyCooldowns(new InMemoryRoutingState(), () => 0);
    const random = seededRandom(7);
    let a = 0;
    for (let i = 0; i < 4_000; i++) if (pickProviderKey(pool, "gpt-4o", cooldowns, random)?.name === "a") a++;
    expect(a / 4_000).toBeGreaterThan(0.72);
    expect(a / 4_000).toBeLessThan(0.78);
    expect(pickProviderKey(pool, "o3", cooldowns, random)?.name).toBe("a");
    expect(pickProviderKey(pool, "o3", cooldowns, random, "b")).toBeNull();
  });

  it("cools a key down after 429 for retry-after, and it comes back when that expires", () => {
    let now = 1_000;
    const cooldowns = new KeyCooldowns(new InMemoryRoutingState(), () => now);
    expect(cooldowns.recordFailure("a", 429, 5_000)).toBe(6_000);
    expect(pickProviderKey(pool, "gpt-4o", cooldowns, () => 0)?.name).toBe("b");
    now = 5_999;
    expect(cooldowns.isCoolingDown("a")).toBe(true);
    now = 6_000;
    expect(cooldowns.isCoolingDown("a")).toBe(false);
    expect(pickProviderKey(pool, "gpt-4o", cooldowns, () => 0)?.name).toBe("a");
  });

  it("uses defaults for 401/403/429 without retry-after, ignores 500, caps bogus retry-after", () => {
    const cooldowns = new KeyCooldowns(new InMemoryRoutingState(), () => 0, { rateLimitedMs: 10, authFailedMs: 100, maxMs: 1_000 });
    expect(cooldowns.recordFailure("a", 429)).toBe(10);
    expect(cooldowns.recordFailure("b", 401)).toBe(100);
    expect(cooldowns.recordFailure("c", 500)).toBeNull();
    expect(cooldowns.recordFailure("d", 429, 86_400_000)).toBe(1_000);
    // A shorter cooldown never shortens a longer one.
    expect(cooldowns.recordFailure("b", 429, 5)).toBe(100);
  });
});
