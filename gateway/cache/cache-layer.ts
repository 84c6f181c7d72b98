// The response cache (PRODUCT §6) as one object the pipeline talks to:
//   lookup(input)           → none | bypass | miss (with what to store) | hit-exact | hit-semantic
//   record(res, lookup)     → stamps x-switchyard-cache and, on a storable miss, captures the answer
//   invalidate(target)      → by namespace or entry (admin API, NOTIFY cache_invalidate)
//   backendInfo() / stats() → for /ready and operators
// Every storage failure degrades to a miss: the cache never fails a request.
import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import type { CacheMode } from "../../lib/validation/cache";
import type { CacheEntry } from "./cache-entry";
import { resolveCachePolicy, type CacheConfig, type CachePolicy, type PolicyInput } from "./cache-config";
import { exactCacheKey, messageCount, semanticKeyParts, type CacheKeyInput } from "./cache-key";
import type { Embedder } from "./embedder";
import type { ExactStore } from "./exact-store";
import { attachRecorder, type CapturedResponse } from "./response-recorder";
import { normalize, type VectorIndex } from "./vector-index";

export type CacheStatus = "none" | "bypass" | "miss" | "hit-exact" | "hit-semantic";

export interface CacheLookupInput extends PolicyInput {
  readonly clientApi: string;
  readonly body: Readonly<Record<string, unknown>>;
  readonly stream: boolean;
  readonly signal: AbortSignal;
}

/** What a miss (or bypass) stores once the live answer is complete. */
export interface StorePlan {
  readonly namespace: string;
  readonly clientApi: string;
  readonly exactId: string;
  readonly ttlMs: number;
  /** Set when the semantic layer is on for this request; the vector is the one the lookup computed. */
  readonly semantic: { readonly scope: string; readonly text: string; vector: Float32Array | null } | null;
}

export type CacheLookup =
  | { readonly status: "none"; readonly reason: "disabled" | "conversation_too_long" }
  | { readonly status: "bypass" | "miss"; readonly namespace: string; readonly plan: StorePlan | null }
  | { readonly status: "hit-exact" | "hit-semantic"; readonly namespace: string; readonly entry: CacheEntry; readonly similarity: number };

export interface CacheBackendInfo {
  readonly defaultMode: CacheMode;
  readonly exact: ExactStore["kind"];
  readonly vector: VectorIndex["kind"];
  /** Why pgvector is not used, when it is not. */
  readonly vectorNote: string | null;
  readonly embedding: { readonly provider: string; readonly model: string } | null;
}

export interface CacheStats {
  readonly namespaces: Array<{ namespace: string; exactEntries: number; semanticEntries: number }>;
}

export interface CacheLayer {
  lookup(input: CacheLookupInput): Promise<CacheLookup>;
  record(res: ServerResponse, lookup: CacheLookup): void;
  invalidate(target: { namespace: string } | { entryId: string }): Promise<number>;
  backendInfo(): CacheBackendInfo;
  stats(): Promise<CacheStats>;
  /** Resolves when background writes (Redis, pgvector, embeddings for bypass stores) are done. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export interface CacheLayerParts {
  readonly config: CacheConfig;
  readonly exact: ExactStore;
  readonly vectors: VectorIndex;
  readonly vectorNote: string | null;
  readonly embedder: Embedder | null;
  readonly log: (message: string) => void;
  readonly now?: () => number;
}

/** Invalidations remembered per kind; older ones rely on their deletes having finished. */
const MAX_REMEMBERED_INVALIDATIONS = 10_000;

export function createCacheLayer(parts: CacheLayerParts): CacheLayer {
  const { config, exact, vectors, embedder, log } = parts;
  const now = parts.now ?? Date.now;
  const pending = new Set<Promise<unknown>>();

  // Invalidation times, by namespace and by entry id. Deleting from Redis and pgvector takes
  // round trips, and a replica hears the NOTIFY at its own moment: until every copy is gone, a
  // lookup could still find one (and copy it back into this process's LRU). Any entry created
  // at or before its invalidation is therefore treated as gone, whatever store returned it.
  const namespaceInvalidatedAt = new Map<string, number>();
  const entryInvalidatedAt = new Map<string, number>();

  function remember(map: Map<string, number>, key: string, atMs: number): void {
    map.delete(key); // re-inserted last, so the oldest invalidation is the one dropped below
    map.set(key, atMs);
    if (map.size > MAX_REMEMBERED_INVALIDATIONS) map.delete(map.keys().next().value as string);
  }

  function invalidated(entry: CacheEntry): boolean {
    if (namespaceInvalidatedAt.size === 0 && entryInvalidatedAt.size === 0) return false;
    const cutoff = Math.max(namespaceInvalidatedAt.get(entry.namespace) ?? -Infinity, entryInvalidatedAt.get(entry.id) ?? -Infinity);
    return entry.createdAtMs <= cutoff;
  }

  function track(work: Promise<unknown>, what: string): void {
    const tracked = work.catch((error: unknown) => log(`cache: ${what} failed: ${(error as Error)?.message ?? String(error)}`)).finally(() => pending.delete(tracked));
    pending.add(tracked);
  }

  async function embed(text: string, signal: AbortSignal): Promise<Float32Array | null> {
    if (!embedder) return null;
    try {
      return normalize(await embedder.embed(text, signal));
    } catch (error) {
      // No embedding = no semantic layer for this request; the exact layer still works.
      if (!signal.aborted) log(`cache: embedding failed, semantic layer skipped: ${(error as Error).message}`);
      return null;
    }
  }

  function store(plan: StorePlan, captured: CapturedResponse): void {
    const createdAtMs = now();
    const base = {
      namespace: plan.namespace,
      clientApi: plan.clientApi,
      createdAtMs,
      expiresAtMs: createdAtMs + plan.ttlMs,
      costUsd: captured.costUsd,
      provider: captured.provider,
      model: captured.model,
      response: captured.response,
    };
    // set() writes the in-process LRU synchronously: the very next identical request hits.
    track(exact.set({ ...base, id: plan.exactId }), "exact store");
    const semantic = plan.semantic;
    if (!semantic || !embedder) return;
    const model = embedder.model;
    track(
      (async () => {
        const vector = semantic.vector ?? (await embed(semantic.text, new AbortController().signal));
        if (!vector) return;
        await vectors.add({ entry: { ...base, id: randomUUID() }, scope: semantic.scope, embeddingModel: model, vector });
      })(),
      "semantic store",
    );
  }

  return {
    async lookup(input) {
      const policy: CachePolicy = resolveCachePolicy(config, input);
      if (policy.mode === "off") return { status: "none", reason: "disabled" };
      if (messageCount(input.body) > policy.maxMessages) return { status: "none", reason: "conversation_too_long" };
      const keyInput: CacheKeyInput = { clientApi: input.clientApi, namespace: policy.namespace, stream: input.stream, body: input.body };
      const exactId = exactCacheKey(keyInput);
      const parts = policy.mode === "semantic" && embedder ? semanticKeyParts(keyInput, policy.includeSystem) : null;
      // A body whose conversation has no text (an unknown shape) must never match by meaning:
      // every such request would embed to the same vector and replay each other's answers.
      const semanticParts = parts && parts.text.trim() !== "" ? parts : null;
      const plan: StorePlan | null =
        policy.directive === "no-store"
          ? null
          : { namespace: policy.namespace, clientApi: input.clientApi, exactId, ttlMs: policy.ttlMs, semantic: semanticParts ? { scope: semanticParts.scope, text: semanticParts.text, vector: null } : null };
      if (policy.directive === "bypass") return { status: "bypass", namespace: policy.namespace, plan };

      const nowMs = now();
      let hit = await exact.get(policy.namespace, exactId, nowMs);
      if (hit && invalidated(hit)) {
        exact.forgetLocal({ entryId: hit.id }); // the copy get() may just have made from Redis
        hit = null;
      }
      if (hit && hit.clientApi === input.clientApi) return { status: "hit-exact", namespace: policy.namespace, entry: hit, similarity: 1 };

      if (semanticParts && embedder) {
        const vector = await embed(semanticParts.text, input.signal);
        if (vector) {
          if (plan?.semantic) plan.semantic.vector = vector;
          try {
            const match = await vectors.search({ namespace: policy.namespace, scope: semanticParts.scope, embeddingModel: embedder.model, vector, threshold: policy.threshold, nowMs });
            if (match && match.entry.clientApi === input.clientApi && !invalidated(match.entry)) {
              return { status: "hit-semantic", namespace: policy.namespace, entry: match.entry, similarity: Math.min(1, match.similarity) };
            }
          } catch (error) {
            log(`cache: vector search failed: ${(error as Error).message}`);
          }
        }
      }
      return { status: "miss", namespace: policy.namespace, plan };
    },

    record(res, lookup) {
      if (lookup.status !== "miss" && lookup.status !== "bypass") return;
      const plan = lookup.plan;
      attachRecorder(res, {
        cacheHeader: lookup.status,
        capture: plan ? { maxBytes: config.maxEntryBytes, onComplete: (captured) => store(plan, captured) } : null,
      });
    },

    async invalidate(target) {
      // Before the deletes start, so nothing they have not reached yet can be served meanwhile.
      if ("namespace" in target) remember(namespaceInvalidatedAt, target.namespace, now());
      else remember(entryInvalidatedAt, target.entryId, now());
      const [fromExact, fromVectors] = await Promise.all(
        "namespace" in target
          ? [exact.deleteNamespace(target.namespace), vectors.deleteNamespace(target.namespace)]
          : [exact.deleteEntry(target.entryId), vectors.deleteEntry(target.entryId)],
      );
      return fromExact + fromVectors;
    },

    backendInfo() {
      return { defaultMode: config.defaultMode, exact: exact.kind, vector: vectors.kind, vectorNote: parts.vectorNote, embedding: embedder ? { provider: embedder.provider, model: embedder.model } : null };
    },

    async stats() {
      const exactCounts = exact.localCounts();
      const vectorCounts = await vectors.counts().catch(() => new Map<string, number>());
      const names = new Set([...exactCounts.keys(), ...vectorCounts.keys()]);
      return {
        namespaces: [...names].sort().map((namespace) => ({ namespace, exactEntries: exactCounts.get(namespace) ?? 0, semanticEntries: vectorCounts.get(namespace) ?? 0 })),
      };
    },

    async idle() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },

    async close() {
      await this.idle();
      await Promise.allSettled([exact.close(), vectors.close()]);
    },
  };
}
