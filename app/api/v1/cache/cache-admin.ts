// The cache's admin side (PRODUCT §6.5). The dashboard cannot reach a gateway's memory, so
// invalidation goes through what both see: shared vector rows are deleted here, and
// `NOTIFY cache_invalidate` (sent in the same transaction, delivered on commit) makes every
// gateway replica drop its in-process and Redis copies. Stats come from the request log
// (hits, misses and savings per namespace) plus the shared vector table where it exists.
import { Prisma, type PrismaClient } from "@/lib/db/client";
import type { Actor } from "@/lib/admin/actor";
import { audit } from "@/lib/admin/transaction";
import { CACHE_INVALIDATE_CHANNEL, type CacheInvalidation } from "@/lib/validation/cache";

/** gateway/cache/pgvector-index.ts creates it where pgvector is installed. */
const VECTOR_TABLE = "switchyard_cache_vectors";

export interface CacheNamespaceStats {
  namespace: string;
  hits_exact: number;
  hits_semantic: number;
  misses: number;
  bypassed: number;
  saved_usd: number;
  /** Semantic entries in the shared pgvector table; null when the gateways keep vectors in memory. */
  semantic_entries: number | null;
}

export interface CacheStats {
  hours: number;
  /** Whether shared semantic storage (pgvector) exists; exact entries live in gateway memory / Redis. */
  shared_vectors: boolean;
  namespaces: CacheNamespaceStats[];
  totals: { hits: number; misses: number; saved_usd: number };
}

async function vectorTableExists(db: PrismaClient | Prisma.TransactionClient): Promise<boolean> {
  const rows = await db.$queryRaw<Array<{ exists: boolean }>>`SELECT to_regclass(${VECTOR_TABLE}) IS NOT NULL AS exists`;
  return rows[0]?.exists === true;
}

interface StatsRow {
  namespace: string;
  hits_exact: bigint;
  hits_semantic: bigint;
  misses: bigint;
  bypassed: bigint;
  saved_usd: Prisma.Decimal | null;
}

export async function cacheStats(prisma: PrismaClient, hours: number): Promise<CacheStats> {
  const rows = await prisma.$queryRaw<StatsRow[]>`
    SELECT metadata->>'cacheNamespace' AS namespace,
           count(*) FILTER (WHERE cache = 'hit-exact') AS hits_exact,
           count(*) FILTER (WHERE cache = 'hit-semantic') AS hits_semantic,
           count(*) FILTER (WHERE cache = 'miss') AS misses,
           count(*) FILTER (WHERE cache = 'bypass') AS bypassed,
           sum(cache_saved_usd) AS saved_usd
      FROM request_logs
     WHERE created_at >= now() - make_interval(hours => ${hours}::int)
       AND cache <> 'none' AND metadata ? 'cacheNamespace'
     GROUP BY 1`;
  const shared = await vectorTableExists(prisma);
  const entryCounts = new Map<string, number>();
  if (shared) {
    const counted = await prisma.$queryRawUnsafe<Array<{ namespace: string; n: bigint }>>(`SELECT namespace, count(*) AS n FROM ${VECTOR_TABLE} WHERE expires_at > now() GROUP BY namespace`);
    for (const row of counted) entryCounts.set(row.namespace, Number(row.n));
  }
  const byName = new Map<string, CacheNamespaceStats>();
  for (const row of rows) {
    byName.set(row.namespace, {
      namespace: row.namespace,
      hits_exact: Number(row.hits_exact),
      hits_semantic: Number(row.hits_semantic),
      misses: Number(row.misses),
      bypassed: Number(row.bypassed),
      saved_usd: row.saved_usd === null ? 0 : Number(row.saved_usd),
      semantic_entries: shared ? (entryCounts.get(row.namespace) ?? 0) : null,
    });
  }
  for (const [namespace, n] of entryCounts) {
    if (!byName.has(namespace)) byName.set(namespace, { namespace, hits_exact: 0, hits_semantic: 0, misses: 0, bypassed: 0, saved_usd: 0, semantic_entries: n });
  }
  const namespaces = [...byName.values()].sort((a, b) => a.namespace.localeCompare(b.namespace));
  return {
    hours,
    shared_vectors: shared,
    namespaces,
    totals: {
      hits: namespaces.reduce((sum, n) => sum + n.hits_exact + n.hits_semantic, 0),
      misses: namespaces.reduce((sum, n) => sum + n.misses, 0),
      saved_usd: Math.round(namespaces.reduce((sum, n) => sum + n.saved_usd, 0) * 1e10) / 1e10,
    },
  };
}

export interface InvalidationResult {
  target: CacheInvalidation;
  /** Rows removed from the shared vector table now; gateways drop their copies on the notification. */
  deleted_shared_entries: number;
  notified: true;
}

export async function invalidateCache(prisma: PrismaClient, actor: Actor, target: CacheInvalidation): Promise<InvalidationResult> {
  return prisma.$transaction(async (tx) => {
    let deleted = 0;
    if (await vectorTableExists(tx)) {
      deleted =
        "namespace" in target
          ? await tx.$executeRawUnsafe(`DELETE FROM ${VECTOR_TABLE} WHERE namespace = $1`, target.namespace)
          : /^[0-9a-f-]{36}$/.test(target.entryId)
            ? await tx.$executeRawUnsafe(`DELETE FROM ${VECTOR_TABLE} WHERE id = $1::uuid`, target.entryId)
            : 0;
    }
    await audit(tx, actor, {
      action: "cache.invalidate",
      entityType: "cache",
      entityId: "namespace" in target ? target.namespace : target.entryId,
      after: { ...target, deleted_shared_entries: deleted },
    });
    // Delivered on commit, to every gateway listening.
    await tx.$executeRaw`SELECT pg_notify(${CACHE_INVALIDATE_CHANNEL}, ${JSON.stringify(target)})`;
    return { target, deleted_shared_entries: deleted, notified: true as const };
  });
}
