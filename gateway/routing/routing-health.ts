// The live health state routing reads on every request and writes after every attempt:
// key cooldowns and circuit breakers over one RoutingStateStore. One per gateway process
// (InMemoryRoutingState): replicas do not share it yet (see README "Scaling": each replica
// learns a bad key or a sick upstream on its own, at the cost of one failed attempt each).

import { CircuitBreaker, type CircuitBreakerOptions } from "./circuit-breaker";
import { KeyCooldowns, type KeyCooldownOptions } from "./key-pool";
import { InMemoryRoutingState, type Clock, type RoutingStateStore } from "./routing-state";
import type { RoutingHealthView } from "./target-exclusions";

export interface RoutingHealth {
  readonly cooldowns: KeyCooldowns;
  readonly circuits: CircuitBreaker;
  /** The view resolveRoute / explainRoute read; overLimit is added by callers that know it. */
  view(overLimit?: RoutingHealthView["overLimit"]): RoutingHealthView;
}

export interface RoutingHealthOptions {
  store?: RoutingStateStore;
  clock?: Clock;
  cooldowns?: Partial<KeyCooldownOptions>;
  circuits?: Partial<CircuitBreakerOptions>;
}

export function createRoutingHealth(options: RoutingHealthOptions = {}): RoutingHealth {
  const store = options.store ?? new InMemoryRoutingState();
  const clock = options.clock ?? Date.now;
  const cooldowns = new KeyCooldowns(store, clock, options.cooldowns);
  const circuits = new CircuitBreaker(store, clock, options.circuits);
  return {
    cooldowns,
    circuits,
    view: (overLimit) => ({ keyCooldowns: cooldowns, circuits, ...(overLimit ? { overLimit } : {}) }),
  };
}
