// Circuit breaker per provider+model (PRODUCT §4.4): when the error rate over a rolling
// window spikes, stop sending traffic there for a while, then let a few probe requests
// through (half-open) before closing again. Per provider+model rather than per provider,
// because one broken deployment should not take a provider's other models down with it.

import type { CircuitRecord, Clock, RoutingStateStore } from "./routing-state";

export interface CircuitBreakerOptions {
  /** Rolling window length. */
  readonly windowMs: number;
  /** Buckets in the window (granularity of expiry). */
  readonly buckets: number;
  /** No verdict on fewer requests: two failures out of three is noise, not a spike. */
  readonly minRequests: number;
  /** Failure fraction (0..1) at or above which the circuit opens. */
  readonly failureRateThreshold: number;
  /** How long the circuit stays open before probing. */
  readonly openMs: number;
  /** Probes allowed in flight while half-open. */
  readonly halfOpenProbes: number;
  /** Successful probes needed to close. */
  readonly successesToClose: number;
}

export const DEFAULT_CIRCUIT_BREAKER_OPTIONS: CircuitBreakerOptions = {
  windowMs: 30_000,
  buckets: 10,
  minRequests: 20,
  failureRateThreshold: 0.5,
  openMs: 30_000,
  halfOpenProbes: 1,
  successesToClose: 2,
};

export type CircuitState = CircuitRecord["state"];

export function circuitId(provider: string, model: string): string {
  return `${provider}\u0000${model}`;
}

function closedRecord(): CircuitRecord {
  return { state: "closed", openedAtMs: 0, buckets: [], probesInFlight: 0, probeSuccesses: 0 };
}

export class CircuitBreaker {
  private readonly options: CircuitBreakerOptions;

  constructor(
    private readonly store: RoutingStateStore,
    private readonly clock: Clock = Date.now,
    options: Partial<CircuitBreakerOptions> = {},
  ) {
    this.options = { ...DEFAULT_CIRCUIT_BREAKER_OPTIONS, ...options };
  }

  /** The current state, moving open → half_open once the open period is over. Does not take a probe. */
  state(provider: string, model: string): CircuitState {
    return this.current(circuitId(provider, model)).state;
  }

  /** Whether routing may consider this provider+model at all (open = excluded). */
  isAvailable(provider: string, model: string): boolean {
    const record = this.current(circuitId(provider, model));
    return record.state === "closed" || (record.state === "half_open" && record.probesInFlight < this.options.halfOpenProbes);
  }

  /** Call just before sending an attempt: in half-open it takes one probe slot, and false means no slot is left. */
  tryAcquire(provider: string, model: string): boolean {
    const id = circuitId(provider, model);
    const record = this.current(id);
    if (record.state === "closed") return true;
    if (record.state === "open" || record.probesInFlight >= this.options.halfOpenProbes) return false;
    record.probesInFlight += 1;
    this.store.setCircuit(id, record);
    return true;
  }

  recordSuccess(provider: string, model: string): void {
    const id = circuitId(provider, model);
    const record = this.current(id);
    if (record.state === "half_open") {
      record.probesInFlight = Math.max(0, record.probesInFlight - 1);
      record.probeSuccesses += 1;
      if (record.probeSuccesses >= this.options.successesToClose) {
        this.store.setCircuit(id, closedRecord());
        return;
      }
    } else if (record.state === "closed") {
      this.bucket(record).successes += 1;
    }
    this.store.setCircuit(id, record);
  }

  /** Only failures that say the upstream is unhealthy belong here (5xx, timeouts, resets), not 4xx. */
  recordFailure(provider: string, model: string): void {
    const id = circuitId(provider, model);
    const record = this.current(id);
    const now = this.clock();
    if (record.state === "half_open") {
      // A failed probe: the upstream is still sick, wait a full open period again.
      this.store.setCircuit(id, { ...closedRecord(), state: "open", openedAtMs: now });
      return;
    }
    if (record.state === "open") return;
    this.bucket(record).failures += 1;
    let total = 0;
    let failures = 0;
    for (const b of record.buckets) {
      total += b.successes + b.failures;
      failures += b.failures;
    }
    if (total >= this.options.minRequests && failures / total >= this.options.failureRateThreshold) {
      this.store.setCircuit(id, { ...closedRecord(), state: "open", openedAtMs: now });
      return;
    }
    this.store.setCircuit(id, record);
  }

  private current(id: string): CircuitRecord {
    const stored = this.store.getCircuit(id);
    const record: CircuitRecord = stored ? { ...stored, buckets: stored.buckets.map((b) => ({ ...b })) } : closedRecord();
    const now = this.clock();
    if (record.state === "open" && now - record.openedAtMs >= this.options.openMs) {
      record.state = "half_open";
      record.probesInFlight = 0;
      record.probeSuccesses = 0;
      this.store.setCircuit(id, record);
    }
    const oldest = now - this.options.windowMs;
    record.buckets = record.buckets.filter((b) => b.startMs + this.bucketMs() > oldest);
    return record;
  }

  private bucketMs(): number {
    return Math.max(1, Math.floor(this.options.windowMs / this.options.buckets));
  }

  private bucket(record: CircuitRecord): { successes: number; failures: number } {
    const size = this.bucketMs();
    const startMs = Math.floor(this.clock() / size) * size;
    const last = record.buckets[record.buckets.length - 1];
    if (last && last.startMs === startMs) return last;
    const fresh = { startMs, successes: 0, failures: 0 };
    record.buckets.push(fresh);
    return fresh;
  }
}
