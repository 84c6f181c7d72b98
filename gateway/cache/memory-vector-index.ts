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
  const buckets = new Map<string, Set<string>>();
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
      const ids = buckets.get(bucketOf(query.namespace, query.scope, query.embeddingModel, query.vector.length));
      if (!ids) return null;
      let best: VectorMatch | null = null;
      const expired: string[] = [];
      for (const id of ids) {
        const stored = byId.get(id) as Stored;
        if (stored.entry.expiresAtMs <= query.nowMs) {
          expired.push(id);
          continue;
        }
        const similarity = dot(stored.vector, query.vector);
        if (similarity >= query.threshold && (best === null || similarity > best.similarity)) best = { entry: stored.entry, similarity };
      }
      for (const id of expired) remove(id);
      return best;
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
      byId.set(record.entry.id, { ...record, bucket });
      let ids = buckets.get(bucket);
      if (!ids) buckets.set(bucket, (ids = new Set()));
      ids.add(record.entry.id);
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
