// Picks the routing health store: Redis when REDIS_URL is set (key cooldowns and circuit
// transitions shared by every replica, see redis-routing-state.ts), otherwise in-process.
import { RedisRoutingState } from "./redis-routing-state";
import { InMemoryRoutingState, type RoutingStateStore } from "./routing-state";

export interface CreateRoutingStateOptions {
  readonly redisUrl?: string | null;
  /** Redis key prefix (default "sy:routing:"; tests use a unique one each). */
  readonly keyPrefix?: string;
  readonly log: (message: string) => void;
}

export type RoutingStateHandle = RoutingStateStore & {
  /** Releases the Redis connections (no-op in memory). */
  close(): Promise<void>;
};

/** Synchronous: the Redis store serves reads from its local copy while it connects and loads. */
export function createRoutingState(options: CreateRoutingStateOptions): RoutingStateHandle {
  if (!options.redisUrl) {
    const store = new InMemoryRoutingState();
    return Object.assign(store, { close: async () => {} });
  }
  return new RedisRoutingState({
    redisUrl: options.redisUrl,
    log: options.log,
    ...(options.keyPrefix === undefined ? {} : { keyPrefix: options.keyPrefix }),
  });
}
