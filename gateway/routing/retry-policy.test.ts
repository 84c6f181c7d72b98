import { describe, expect, it } from "vitest";
import { backoffDelayMs, classifyFailure, decideAfterFailure, DEFAULT_FALLBACK_TRIGGERS, DEFAULT_RETRY_POLICY, parseRetryAfter, type AttemptFailure } from "./retry-policy";

const base = { attemptsMade: 1, hasNextTarget: true, chainRestarts: 0, triggers: DEFAULT_FALLBACK_TRIGGERS, policy: DEFAULT_RETRY_POLICY, random: () => 0.5 };

describe("retry decisions", () => {
  it.each<[AttemptFailure, string]>([
    [{ kind: "connection_error" }, "next_target"],
    [{ kind: "timeout", phase: "first_byte" }, "next_target"],
    [{ kind: "status", status: 429 }, "next_target"],
    [{ kind: "status", status: 500 }, "next_target"],
    [{ kind: "status", status: 503 }, "next_target"],
    [{ kind: "provider_excluded", reason: "cap" }, "next_target"],
    [{ kind: "status", status: 400 }, "give_up"],
    [{ kind: "status", status: 422 }, "give_up"],
    [{ kind: "status", status: 401 }, "give_up"],
  ])("%j → %s by default", (failure, action) => {
    expect(decideAfterFailure({ ...base, failure }).action).toBe(action);
  });

  it("a rule's fallbackOn can make 422 move on and 500 stop", () => {
    expect(decideAfterFailure({ ...base, failure: { kind: "status", status: 422 }, triggers: ["validation_error"] }).action).toBe("next_target");
    expect(decideAfterFailure({ ...base, failure: { kind: "status", status: 500 }, triggers: ["validation_error"] }).action).toBe("give_up");
  });

  it("stops when attempts run out and restarts the chain with backoff when it is spent", () => {
    expect(decideAfterFailure({ ...base, failure: { kind: "status", status: 500 }, attemptsMade: 4 })).toMatchObject({ action: "give_up", reason: "attempts_exhausted" });
    const restart = decideAfterFailure({ ...base, failure: { kind: "status", status: 429, retryAfterMs: 2_000 }, hasNextTarget: false });
    expect(restart).toEqual({ action: "retry_chain", delayMs: 2_000, trigger: "rate_limited" });
    expect(decideAfterFailure({ ...base, failure: { kind: "status", status: 429, retryAfterMs: 120_000 }, hasNextTarget: false })).toMatchObject({ reason: "retry_after_too_long" });
  });

  it("classifies 408 as a timeout and other 4xx as client errors", () => {
    expect(classifyFailure({ kind: "status", status: 408 })).toBe("timeout");
    expect(classifyFailure({ kind: "status", status: 404 })).toBe("client_error");
  });
});

describe("backoff", () => {
  it("stays within [0, min(max, base·2^n)] (full jitter)", () => {
    for (let n = 0; n < 8; n++) {
      const ceiling = Math.min(DEFAULT_RETRY_POLICY.maxDelayMs, DEFAULT_RETRY_POLICY.baseDelayMs * 2 ** n);
      expect(backoffDelayMs(n, DEFAULT_RETRY_POLICY, () => 0)).toBe(0);
      expect(backoffDelayMs(n, DEFAULT_RETRY_POLICY, () => 0.999999)).toBeLessThan(ceiling);
      expect(backoffDelayMs(n, DEFAULT_RETRY_POLICY, () => 0.999999)).toBeGreaterThanOrEqual(ceiling - 1);
    }
  });

  it("honors retry-after as a floor, capped", () => {
    expect(backoffDelayMs(0, DEFAULT_RETRY_POLICY, () => 0.5, 3_000)).toBe(3_000);
    expect(backoffDelayMs(0, DEFAULT_RETRY_POLICY, () => 0.5, 999_999)).toBe(DEFAULT_RETRY_POLICY.maxRetryAfterMs);
  });

  it("parses retry-after seconds and HTTP dates", () => {
    const now = Date.parse("2025-01-01T00:00:00Z");
    expect(parseRetryAfter("2", now)).toBe(2_000);
    expect(parseRetryAfter("Wed, 01 Jan 2025 00:00:10 GMT", now)).toBe(10_000);
    expect(parseRetryAfter("soon", now)).toBeNull();
  });
});
