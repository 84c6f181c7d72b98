import { describe, expect, it } from "vitest";
import { CircuitBreaker } from "./circuit-breaker";
import { InMemoryRoutingState } from "./routing-state";

function breaker() {
  const clock = { now: 0 };
  const cb = new CircuitBreaker(new InMemoryRoutingState(), () => clock.now, {
    windowMs: 10_000,
    buckets: 10,
    minRequests: 10,
    failureRateThreshold: 0.5,
    openMs: 5_000,
    halfOpenProbes: 1,
    successesToClose: 2,
  });
  return { cb, clock };
}

describe("circuit breaker", () => {
  it("stays closed below min requests, opens on an error-rate spike", () => {
    const { cb } = breaker();
    for (let i = 0; i < 9; i++) cb.recordFailure("p", "m");
    expect(cb.state("p", "m")).toBe("closed");
    cb.recordFailure("p", "m");
    expect(cb.state("p", "m")).toBe("open");
    expect(cb.isAvailable("p", "m")).toBe(false);
    expect(cb.state("p", "other-model")).toBe("closed");
  });

  it("does not open when the error rate is below the threshold", () => {
    const { cb } = breaker();
    for (let i = 0; i < 12; i++) cb.recordSuccess("p", "m");
    for (let i = 0; i < 8; i++) cb.recordFailure("p", "m");
    expect(cb.state("p", "m")).toBe("closed");
  });

  it("forgets failures that left the rolling window", () => {
    const { cb, clock } = breaker();
    for (let i = 0; i < 9; i++) cb.recordFailure("p", "m");
    clock.now = 11_000;
    cb.recordFailure("p", "m");
    expect(cb.state("p", "m")).toBe("closed");
  });

  it("open → half-open after openMs → closed after successful probes", () => {
    const { cb, clock } = breaker();
    for (let i = 0; i < 10; i++) cb.recordFailure("p", "m");
    clock.now = 4_999;
    expect(cb.tryAcquire("p", "m")).toBe(false);
    clock.now = 5_000;
    expect(cb.state("p", "m")).toBe("half_open");
    expect(cb.tryAcquire("p", "m")).toBe(true);
    expect(cb.tryAcquire("p", "m")).toBe(false); // one probe at a time
    cb.recordSuccess("p", "m");
    expect(cb.state("p", "m")).toBe("half_open");
    expect(cb.tryAcquire("p", "m")).toBe(true);
    cb.recordSuccess("p", "m");
    expect(cb.state("p", "m")).toBe("closed");
  });

  it("a failed probe reopens the circuit for a full period", () => {
    const { cb, clock } = breaker();
    for (let i = 0; i < 10; i++) cb.recordFailure("p", "m");
    clock.now = 5_000;
    expect(cb.tryAcquire("p", "m")).toBe(true);
    cb.recordFailure("p", "m");
    expect(cb.state("p", "m")).toBe("open");
    clock.now = 9_999;
    expect(cb.state("p", "m")).toBe("open");
    clock.now = 10_000;
    expect(cb.state("p", "m")).toBe("half_open");
  });
});
