// Health state shared by key cooldowns and circuit breakers. Reads are synchronous so that
// route resolution stays a pure, synchronous function on the hot path; a shared (Redis)
// implementation keeps a local copy and publishes writes, trading a few milliseconds of
// staleness between replicas for no network round trip per request.

export type Clock = () => number;

export interface CircuitBucket {
  readonly startMs: number;
  successes: number;
  failures: number;
}

export interface CircuitRecord {
  state: "closed" | "open" | "half_open";
  /** When the circuit last opened (epoch ms). */
  openedAtMs: number;
  /** Rolling window, oldest first. */
  buckets: CircuitBucket[];
  /** Half-open probes handed out and not yet reported. */
  probesInFlight: number;
  /** Consecutive successful half-open probes. */
  probeSuccesses: number;
}

export interface RoutingStateStore {
  /** Epoch ms until which the key is cooling down, or undefined. */
  getKeyCooldown(keyId: string): number | undefined;
  setKeyCooldown(keyId: string, untilMs: number): void;
  getCircuit(circuitId: string): CircuitRecord | undefined;
  setCircuit(circuitId: string, record: CircuitRecord): void;
}

/** One gateway replica (no REDIS_URL): plain maps. */
export class InMemoryRoutingState implements RoutingStateStore {
  private readonly cooldowns = new Map<string, number>();
  private readonly circuits = new Map<string, CircuitRecord>();

  getKeyCooldown(keyId: string): number | undefined {
    return this.cooldowns.get(keyId);
  }

  setKeyCooldown(keyId: string, untilMs: number): void {
    this.cooldowns.set(keyId, untilMs);
  }

  getCircuit(circuitId: string): CircuitRecord | undefined {
    return this.circuits.get(circuitId);
  }

  setCircuit(circuitId: string, record: CircuitRecord): void {
    this.circuits.set(circuitId, record);
  }
}
