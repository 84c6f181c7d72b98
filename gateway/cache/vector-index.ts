// Semantic layer storage: nearest stored conversation within one namespace + scope +
// embedding model. Two implementations behind this one interface, chosen at start
// (pgvector when the extension can be created, in-process otherwise) and reported by /ready.
// Vectors are unit length (normalised by the caller), so cosine similarity is a dot product.
import type { CacheEntry } from "./cache-entry";

export interface VectorQuery {
  readonly namespace: string;
  readonly scope: string;
  readonly embeddingModel: string;
  readonly vector: Float32Array;
  readonly threshold: number;
  readonly nowMs: number;
}

export interface VectorMatch {
  readonly entry: CacheEntry;
  readonly similarity: number;
}

export interface VectorRecord {
  readonly entry: CacheEntry;
  readonly scope: string;
  readonly embeddingModel: string;
  readonly vector: Float32Array;
}

export interface VectorIndex {
  readonly kind: "pgvector" | "memory";
  search(query: VectorQuery): Promise<VectorMatch | null>;
  add(record: VectorRecord): Promise<void>;
  deleteNamespace(namespace: string): Promise<number>;
  deleteEntry(id: string): Promise<number>;
  /** Entries per namespace (pgvector: every replica's; memory: this process's). */
  counts(): Promise<Map<string, number>>;
  close(): Promise<void>;
}

export function normalize(vector: ArrayLike<number>): Float32Array {
  let norm = 0;
  for (let i = 0; i < vector.length; i++) norm += (vector[i] as number) * (vector[i] as number);
  const out = new Float32Array(vector.length);
  if (norm === 0) return out;
  const scale = 1 / Math.sqrt(norm);
  for (let i = 0; i < vector.length; i++) out[i] = (vector[i] as number) * scale;
  return out;
}

export function dot(a: Float32Array, b: Float32Array): number {
  const n = a.length;
  if (n !== b.length) return -1;
  // Four accumulators: independent additions the CPU can overlap (the brute-force search is
  // nothing but this loop).
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    s0 += (a[i] as number) * (b[i] as number);
    s1 += (a[i + 1] as number) * (b[i + 1] as number);
    s2 += (a[i + 2] as number) * (b[i + 2] as number);
    s3 += (a[i + 3] as number) * (b[i + 3] as number);
  }
  for (; i < n; i++) s0 += (a[i] as number) * (b[i] as number);
  return s0 + s1 + s2 + s3;
}
