// Exact layer storage: an in-process LRU (bounded by entries and bytes, per-entry TTL) in
// front of Redis when REDIS_URL is set, so that replicas share entries and a restart keeps
// them. Redis keys carry a hash of the namespace so a namespace is cleared with one SCAN.
import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import { LRUCache } from "lru-cache";
import { decodeEntry, encodeEntry, entryBytes, type CacheEntry } from "./cache-entry";

export interface ExactStore {
  readonly kind: "memory" | "memory+redis";
  get(namespace: string, id: string, nowMs: number): Promise<CacheEntry | null>;
  /** The in-process copy is written synchronously, so the next request on this replica sees it. */
  set(entry: CacheEntry): Promise<void>;
  deleteNamespace(namespace: string): Promise<number>;
  deleteEntry(id: string): Promise<number>;
  /** Drops this process's copies only (another replica's NOTIFY already cleared shared storage). */
  forgetLocal(match: { namespace: string } | { entryId: string }): number;
  /** Entries per namespace in this process's LRU. */
  localCounts(): Map<string, number>;
  close(): Promise<void>;
}

export interface ExactStoreOptions {
  maxEntries: number;
  maxBytes: number;
  redis?: Redis | null;
  redisKeyPrefix?: string;
  log: (message: string) => void;
}

function namespaceHash(namespace: string): string {
  return createHash("sha256").update(namespace).digest("hex").slice(0, 24);
}

export function createExactStore(options: ExactStoreOptions): ExactStore {
  const lru = new LRUCache<string, CacheEntry>({
    max: options.maxEntries,
    maxSize: options.maxBytes,
    sizeCalculation: (entry) => entryBytes(entry),
    ttlAutopurge: false,
  });
  const redis = options.redis ?? null;
  const prefix = `${options.redisKeyPrefix ?? "sy:"}cache:e:`;
  const redisKey = (namespace: string, id: string) => `${prefix}${namespaceHash(namespace)}:${id}`;

  async function scanDelete(pattern: string): Promise<number> {
    if (!redis) return 0;
    let cursor = "0";
    let deleted = 0;
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 500);
      cursor = next;
      if (keys.length > 0) deleted += await redis.del(...keys);
    } while (cursor !== "0");
    return deleted;
  }

  function forgetLocal(match: { namespace: string } | { entryId: string }): number {
    let removed = 0;
    if ("entryId" in match) return lru.delete(match.entryId) ? 1 : 0;
    for (const [id, entry] of lru.entries()) {
      if (entry.namespace === match.namespace && lru.delete(id)) removed += 1;
    }
    return removed;
  }

  return {
    kind: redis ? "memory+redis" : "memory",
    async get(namespace, id, nowMs) {
      const local = lru.get(id);
      if (local) return local.namespace === namespace && local.expiresAtMs > nowMs ? local : null;
      if (!redis) return null;
      let text: string | null;
      try {
        text = await redis.get(redisKey(namespace, id));
      } catch (error) {
        // The cache is an optimisation: Redis being down is a miss, never a failed request.
        options.log(`cache redis get failed: ${(error as Error).message}`);
        return null;
      }
      const entry = text === null ? null : decodeEntry(text);
      if (!entry || entry.namespace !== namespace || entry.expiresAtMs <= nowMs) return null;
      lru.set(id, entry, { ttl: Math.max(1, entry.expiresAtMs - nowMs) });
      return entry;
    },
    async set(entry) {
      const ttlMs = Math.max(1, entry.expiresAtMs - Date.now());
      lru.set(entry.id, entry, { ttl: ttlMs });
      if (!redis) return;
      await redis.set(redisKey(entry.namespace, entry.id), encodeEntry(entry), "PX", ttlMs);
    },
    async deleteNamespace(namespace) {
      const local = forgetLocal({ namespace });
      const shared = await scanDelete(`${prefix}${namespaceHash(namespace)}:*`);
      return Math.max(local, shared);
    },
    async deleteEntry(id) {
      const local = forgetLocal({ entryId: id });
      const shared = await scanDelete(`${prefix}*:${id}`);
      return Math.max(local, shared);
    },
    forgetLocal,
    localCounts() {
      const counts = new Map<string, number>();
      for (const entry of lru.values()) counts.set(entry.namespace, (counts.get(entry.namespace) ?? 0) + 1);
      return counts;
    },
    async close() {
      lru.clear();
    },
  };
}
