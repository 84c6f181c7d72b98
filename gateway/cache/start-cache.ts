// Builds the cache layer at gateway start: exact store (LRU, + Redis when REDIS_URL is
// set), vector index (pgvector when the extension can be created, else in-process — the
// choice and its reason are reported by /ready), the embedder, and the LISTEN on
// `cache_invalidate` through which the dashboard clears entries in every replica.
import { Redis } from "ioredis";
import type pg from "pg";
import { CACHE_INVALIDATE_CHANNEL, cacheInvalidationSchema } from "../../lib/validation/cache";
import type { ConfigSnapshot } from "../config/snapshot";
import { listenForNotifications, type NotificationListener } from "../config/config-change-listener";
import type { UpstreamDispatchers } from "../upstream/http-dispatcher";
import { createCacheLayer, type CacheLayer } from "./cache-layer";
import type { CacheConfig } from "./cache-config";
import { createProviderEmbedder, type Embedder } from "./embedder";
import { createExactStore } from "./exact-store";
import { createMemoryVectorIndex } from "./memory-vector-index";
import { createPgvectorIndex, preparePgvector } from "./pgvector-index";
import type { VectorIndex } from "./vector-index";

export interface StartCacheOptions {
  config: CacheConfig;
  pool: pg.Pool;
  databaseUrl: string;
  redisUrl: string | null;
  redisKeyPrefix?: string;
  snapshot: () => ConfigSnapshot | null;
  dispatchers: UpstreamDispatchers;
  log: (message: string) => void;
  /** Replaces the provider embedder (tests, benchmarks). */
  embedder?: Embedder | null;
  /** false: no LISTEN (unit-level use without a database). */
  listen?: boolean;
}

export interface CacheRuntime {
  layer: CacheLayer;
  close(): Promise<void>;
}

async function chooseVectorIndex(options: StartCacheOptions): Promise<{ index: VectorIndex; note: string | null }> {
  const memory = () => createMemoryVectorIndex(options.config.maxEntries);
  if (options.config.vectorBackend === "memory") return { index: memory(), note: "SWITCHYARD_CACHE_VECTOR_BACKEND=memory" };
  try {
    await preparePgvector(options.pool);
    return { index: createPgvectorIndex(options.pool, options.log), note: null };
  } catch (error) {
    const reason = `pgvector unavailable: ${(error as Error).message}`;
    if (options.config.vectorBackend === "pgvector") throw new Error(`SWITCHYARD_CACHE_VECTOR_BACKEND=pgvector but ${reason}`);
    return { index: memory(), note: reason };
  }
}

export async function startCache(options: StartCacheOptions): Promise<CacheRuntime> {
  const { log } = options;
  const vectors = await chooseVectorIndex(options);
  let redis: Redis | null = null;
  if (options.redisUrl) {
    redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 1, retryStrategy: (attempt) => Math.min(attempt * 200, 5_000) });
    let lastLogged = 0;
    redis.on("error", (error: Error) => {
      if (Date.now() - lastLogged > 10_000) log(`cache redis: ${error.message}`);
      lastLogged = Date.now();
    });
  }
  const exact = createExactStore({
    maxEntries: options.config.maxEntries,
    maxBytes: options.config.maxMemoryBytes,
    redis,
    ...(options.redisKeyPrefix === undefined ? {} : { redisKeyPrefix: options.redisKeyPrefix }),
    log,
  });
  const embedding = options.config.embedding;
  const embedder =
    options.embedder !== undefined
      ? options.embedder
      : embedding
        ? createProviderEmbedder({ providerName: embedding.provider, model: embedding.model, snapshot: options.snapshot, dispatchers: options.dispatchers })
        : null;
  const layer = createCacheLayer({ config: options.config, exact, vectors: vectors.index, vectorNote: vectors.note, embedder, log });
  log(`cache: default mode ${options.config.defaultMode}, exact ${exact.kind}, vectors ${vectors.index.kind}${vectors.note ? ` (${vectors.note})` : ""}${embedder ? `, embeddings ${embedder.provider}/${embedder.model}` : ", no embedding model (semantic layer off)"}`);

  let listener: NotificationListener | null = null;
  if (options.listen !== false) {
    listener = listenForNotifications({
      databaseUrl: options.databaseUrl,
      channels: [CACHE_INVALIDATE_CHANNEL],
      label: "cache invalidation listener",
      onNotification: (_channel, payload) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(payload);
        } catch {
          parsed = null;
        }
        const target = cacheInvalidationSchema.safeParse(parsed);
        if (!target.success) {
          log(`cache: ignored malformed ${CACHE_INVALIDATE_CHANNEL} payload ${JSON.stringify(payload.slice(0, 200))}`);
          return;
        }
        void layer.invalidate(target.data).catch((error: Error) => log(`cache: invalidation failed: ${error.message}`));
      },
      log,
    });
  }

  return {
    layer,
    async close() {
      await listener?.close();
      await layer.close();
      if (redis) await redis.quit().catch(() => redis?.disconnect());
    },
  };
}
