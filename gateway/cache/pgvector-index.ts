// Semantic index in Postgres with pgvector: one table for every replica, an HNSW index
// (cosine) per embedding dimension. The table is created here at start, not by a
// migration, because the `vector` type exists only where the extension can be loaded;
// without it the gateway uses the in-process index (create-vector-index.ts).
import type pg from "pg";
import { toSql } from "pgvector";
import { decodeEntry, encodeEntry } from "./cache-entry";
import type { VectorIndex } from "./vector-index";

export const VECTOR_TABLE = "switchyard_cache_vectors";
const PRUNE_INTERVAL_MS = 60_000;

/** Creates the extension and the table; throws (with Postgres' reason) where pgvector is not installed. */
export async function preparePgvector(pool: pg.Pool): Promise<void> {
  await pool.query("CREATE EXTENSION IF NOT EXISTS vector");
  await pool.query(`CREATE TABLE IF NOT EXISTS ${VECTOR_TABLE} (
    id uuid PRIMARY KEY,
    namespace text NOT NULL,
    scope text NOT NULL,
    embedding_model text NOT NULL,
    dimension integer NOT NULL,
    embedding vector NOT NULL,
    entry text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
  )`);
  await pool.query(`CREATE INDEX IF NOT EXISTS ${VECTOR_TABLE}_scope_idx ON ${VECTOR_TABLE} (namespace, scope, embedding_model)`);
  await pool.query(`CREATE INDEX IF NOT EXISTS ${VECTOR_TABLE}_expires_idx ON ${VECTOR_TABLE} (expires_at)`);
}

function dimensionOf(vector: Float32Array): number {
  // Interpolated into DDL and casts below: only ever a positive integer.
  if (!Number.isSafeInteger(vector.length) || vector.length < 1 || vector.length > 16_000) throw new Error(`unsupported embedding dimension ${vector.length}`);
  return vector.length;
}

export function createPgvectorIndex(pool: pg.Pool, log: (message: string) => void): VectorIndex {
  const indexedDimensions = new Set<number>();
  // Connections on which the HNSW scan was told to keep going past its candidate list.
  const iterativeConnections = new WeakSet<pg.PoolClient>();
  let iterativeScanUnsupported = false;

  /**
   * An HNSW scan yields its ef_search (40) nearest candidates and the WHERE clause filters them
   * afterwards: where the planner picks the HNSW index, a small tenant whose namespace holds none
   * of the 40 nearest vectors of the whole table would never get a hit. pgvector ≥ 0.8 can
   * continue the scan until rows pass the filter (strict_order keeps the nearest first); it is a
   * session setting, made once per pooled connection.
   */
  async function searchConnection(): Promise<pg.PoolClient> {
    const client = await pool.connect();
    if (iterativeScanUnsupported || iterativeConnections.has(client)) return client;
    try {
      await client.query("SET hnsw.iterative_scan = strict_order");
      iterativeConnections.add(client);
    } catch (error) {
      iterativeScanUnsupported = true;
      log(`cache: pgvector without iterative index scans (${(error as Error).message}); upgrade to pgvector 0.8 or later, or small namespaces may miss entries that a large one crowds out of the HNSW candidates`);
    }
    return client;
  }
  // namespace → "model/dimension" it was last written with by this process (PRODUCT: a
  // namespace holds one embedding model; vectors of another model are not comparable).
  const namespaceModel = new Map<string, string>();

  async function ensureHnsw(dimension: number): Promise<void> {
    if (indexedDimensions.has(dimension)) return;
    // Partial expression index: one table holds several dimensions, an HNSW index needs one.
    await pool.query(
      `CREATE INDEX IF NOT EXISTS ${VECTOR_TABLE}_hnsw_d${dimension} ON ${VECTOR_TABLE} USING hnsw ((embedding::vector(${dimension})) vector_cosine_ops) WHERE dimension = ${dimension}`,
    );
    indexedDimensions.add(dimension);
  }

  const pruneTimer = setInterval(() => {
    pool.query(`DELETE FROM ${VECTOR_TABLE} WHERE expires_at <= now()`).catch((error: Error) => log(`cache: pruning expired vectors failed: ${error.message}`));
  }, PRUNE_INTERVAL_MS);
  pruneTimer.unref();

  return {
    kind: "pgvector",
    async search(query) {
      const dimension = dimensionOf(query.vector);
      const vectorText = toSql(Array.from(query.vector));
      const client = await searchConnection();
      let result: pg.QueryResult<{ entry: string; similarity: number }>;
      try {
        result = await client.query<{ entry: string; similarity: number }>(
          `SELECT entry, 1 - ((embedding::vector(${dimension})) <=> $1::vector(${dimension})) AS similarity
             FROM ${VECTOR_TABLE}
            WHERE dimension = ${dimension} AND namespace = $2 AND scope = $3 AND embedding_model = $4 AND expires_at > to_timestamp($5 / 1000.0)
            ORDER BY (embedding::vector(${dimension})) <=> $1::vector(${dimension})
            LIMIT 1`,
          [vectorText, query.namespace, query.scope, query.embeddingModel, query.nowMs],
        );
        client.release();
      } catch (error) {
        client.release(error as Error); // a failed connection is not handed out again
        throw error;
      }
      const row = result.rows[0];
      if (!row || Number(row.similarity) < query.threshold) return null;
      const entry = decodeEntry(row.entry);
      return entry ? { entry, similarity: Number(row.similarity) } : null;
    },
    async add(record) {
      const dimension = dimensionOf(record.vector);
      await ensureHnsw(dimension);
      const modelKey = `${record.embeddingModel}/${dimension}`;
      if (namespaceModel.get(record.entry.namespace) !== modelKey) {
        await pool.query(`DELETE FROM ${VECTOR_TABLE} WHERE namespace = $1 AND (embedding_model <> $2 OR dimension <> $3)`, [record.entry.namespace, record.embeddingModel, dimension]);
        namespaceModel.set(record.entry.namespace, modelKey);
      }
      await pool.query(
        `INSERT INTO ${VECTOR_TABLE} (id, namespace, scope, embedding_model, dimension, embedding, entry, expires_at)
         VALUES ($1::uuid, $2, $3, $4, $5, $6::vector, $7, to_timestamp($8 / 1000.0))
         ON CONFLICT (id) DO NOTHING`,
        [record.entry.id, record.entry.namespace, record.scope, record.embeddingModel, dimension, toSql(Array.from(record.vector)), encodeEntry(record.entry), record.entry.expiresAtMs],
      );
    },
    async deleteNamespace(namespace) {
      const result = await pool.query(`DELETE FROM ${VECTOR_TABLE} WHERE namespace = $1`, [namespace]);
      return result.rowCount ?? 0;
    },
    async deleteEntry(id) {
      if (!/^[0-9a-f-]{36}$/.test(id)) return 0;
      const result = await pool.query(`DELETE FROM ${VECTOR_TABLE} WHERE id = $1::uuid`, [id]);
      return result.rowCount ?? 0;
    },
    async counts() {
      const result = await pool.query<{ namespace: string; n: string }>(`SELECT namespace, count(*)::text AS n FROM ${VECTOR_TABLE} WHERE expires_at > now() GROUP BY namespace`);
      return new Map(result.rows.map((r) => [r.namespace, Number(r.n)]));
    },
    async close() {
      clearInterval(pruneTimer);
    },
  };
}
