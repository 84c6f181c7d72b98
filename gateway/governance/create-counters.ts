// Picks the counters implementation: Redis when REDIS_URL is set (shared by every replica),
// otherwise in-process (one replica; seeded from the database at start, see
// seed-memory-counters.ts).
import { Redis } from "ioredis";
import type { GovernanceCounters } from "./counters";
import { MemoryCounters } from "./memory-counters";
import { RedisCounters, type FailMode } from "./redis-counters";

export interface CountersOptions {
  readonly redisUrl: string | null;
  readonly keyPrefix?: string;
  readonly failMode: FailMode;
  readonly log: (message: string) => void;
}

export interface CountersHandle {
  readonly counters: GovernanceCounters;
  /** Set for in-process counters: they need seeding from the database. */
  readonly memory: MemoryCounters | null;
  close(): Promise<void>;
}

// Errors repeat on every reconnect attempt while Redis is down; one line per interval is enough.
const ERROR_LOG_INTERVAL_MS = 10_000;

export function createCounters(options: CountersOptions): CountersHandle {
  if (!options.redisUrl) {
    const memory = new MemoryCounters();
    return { counters: memory, memory, close: async () => {} };
  }
  let lastLoggedMs = 0;
  const throttledLog = (message: string) => {
    const nowMs = Date.now();
    if (nowMs - lastLoggedMs < ERROR_LOG_INTERVAL_MS) return;
    lastLoggedMs = nowMs;
    options.log(message);
  };
  const redis = new Redis(options.redisUrl, {
    // Fail fast instead of queueing: the fail mode decides what a request does without Redis.
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 200, 5_000),
  });
  // Without a listener, a connection error would be an unhandled 'error' event.
  redis.on("error", (error: Error) => throttledLog(`governance redis: ${error.message}`));
  const counters = new RedisCounters(redis, {
    ...(options.keyPrefix === undefined ? {} : { keyPrefix: options.keyPrefix }),
    failMode: options.failMode,
    onError: (error, operation) => throttledLog(`governance redis ${operation} failed (fail-${options.failMode}): ${(error as Error)?.message ?? String(error)}`),
  });
  return {
    counters,
    memory: null,
    close: async () => {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
