// In-process semantic index: exact (brute-force) cosine search over the entries of one
// namespace + scope + embedding model. A bucket is what one tenant asked with one set of
// parameters, so scans stay small (scripts/bench/cache-bench.ts measures a 10,000-entry
// bucket, the worst case). Bounded: the oldest entries go first.
import { dot, type VectorIndex, type VectorMatch, type VectorRecord } from "./vector-index";

interface Stored extends VectorRecord {
  readonly bucket: string;
}

function bucketOf(namespace: string, scope: string, embeddingModel: string, dimension: number): string {
  return `${namespace}\u0000${scope}\u0000${embeddingModel}\u0000${dimension}`;
}

export function createMemoryVectorIndex(maxEntries: number): VectorIndex {
  // Insertion order = age: the first key is the oldest, evicted when full.
  const byId = new Map<string, Stored>();
  // bucket → its entries by id: a search iterates the values directly (no second lookup per entry).
  const buckets = new Map<string, Map<string, Stored>>();
  // namespace → the "model/dimension" of its entries: a namespace holds one embedding model,
  // since vectors of two models are not comparable; writing with another drops the old ones.
  const namespaceModel = new Map<string, string>();

  function remove(id: string): boolean {
    const stored = byId.get(id);
    if (!stored) return false;
    byId.delete(id);
    const bucket = buckets.get(stored.bucket);
    bucket?.delete(id);
    if (bucket?.size === 0) buckets.delete(stored.bucket);
    return true;
  }

  return {
    kind: "memory",
    async search(query) {
      const entries = buckets.get(bucketOf(query.namespace, query.scope, query.embeddingModel, query.vector.length));
      if (!entries) return null;
      let best: Stored | null = null;
      let bestSimilarity = query.threshold;
      const expired: string[] = [];
      const { vector, nowMs } = query;
      for (const stored of entries.values()) {
        if (stored.entry.expiresAtMs <= nowMs) {
          expired.push(stored.entry.id);
          continue;
        }
        const similarity = dot(stored.vector, vector);
        if (similarity > bestSimilarity || (best === null && similarity >= bestSimilarity)) {
          best = stored;
          bestSimilarity = similarity;
        }
      }
      for (const id of expired) remove(id);
      return best === null ? null : ({ entry: best.entry, similarity: bestSimilarity } satisfies VectorMatch);
    },
    async add(record) {
      remove(record.entry.id);
      const modelKey = `${record.embeddingModel}/${record.vector.length}`;
      const previous = namespaceModel.get(record.entry.namespace);
      if (previous !== undefined && previous !== modelKey) {
        for (const [id, stored] of [...byId]) if (stored.entry.namespace === record.entry.namespace) remove(id);
      }
      namespaceModel.set(record.entry.namespace, modelKey);
      const bucket = bucketOf(record.entry.namespace, record.scope, record.embeddingModel, record.vector.length);
      const stored: Stored = { ...record, bucket };
      byId.set(record.entry.id, stored);
      let entries = buckets.get(bucket);
      if (!entries) buckets.set(bucket, (entries = new Map()));
      entries.set(record.entry.id, stored);
      while (byId.size > maxEntries) {
        const oldest = byId.keys().next().value;
        if (oldest === undefined) break;
        remove(oldest);
      }
    },
    async deleteNamespace(namespace) {
      namespaceModel.delete(namespace);
      let removed = 0;
      for (const [id, stored] of [...byId]) {
        if (stored.entry.namespace === namespace && remove(id)) removed += 1;
      }
      return removed;
    },
    async deleteEntry(id) {
      return remove(id) ? 1 : 0;
    },
    async counts() {
      const counts = new Map<string, number>();
      for (const stored of byId.values()) counts.set(stored.entry.namespace, (counts.get(stored.entry.namespace) ?? 0) + 1);
      return counts;
    },
    async close() {
      byId.clear();
      buckets.clear();
    },
  };
}
