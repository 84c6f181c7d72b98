// Budget and rate-limit rows for governance tests (column names as in prisma/schema.prisma).
import { randomUUID } from "node:crypto";
import type pg from "pg";
import type { LimitLevel } from "../../governance/types";

export async function insertBudget(
  db: pg.Pool,
  seed: { entityType: LimitLevel; entityId: string; window: string; usd?: number; tokens?: number; alignment?: "calendar" | "rolling" },
): Promise<string> {
  const id = `budget_${randomUUID()}`;
  await db.query(
    `INSERT INTO budgets (id, entity_type, entity_id, "window", limit_usd, limit_tokens, alignment, updated_at)
     VALUES ($1, $2::"LimitEntity", $3, $4, $5, $6, $7::"WindowAlignment", now())`,
    [id, seed.entityType, seed.entityId, seed.window, seed.usd ?? null, seed.tokens ?? null, seed.alignment ?? "calendar"],
  );
  return id;
}

export async function insertRateLimit(
  db: pg.Pool,
  seed: { entityType: LimitLevel; entityId: string; window: string; requests?: number; tokens?: number; concurrent?: number; alignment?: "calendar" | "rolling" },
): Promise<string> {
  const id = `rl_${randomUUID()}`;
  await db.query(
    `INSERT INTO rate_limits (id, entity_type, entity_id, "window", max_requests, max_tokens, max_concurrent, alignment, updated_at)
     VALUES ($1, $2::"LimitEntity", $3, $4, $5, $6, $7, $8::"WindowAlignment", now())`,
    [id, seed.entityType, seed.entityId, seed.window, seed.requests ?? null, seed.tokens ?? null, seed.concurrent ?? null, seed.alignment ?? "rolling"],
  );
  return id;
}

/** Sum of a key's logged cost as exact decimal text (numeric sum in Postgres). */
export async function loggedCost(db: pg.Pool, virtualKeyId: string): Promise<{ total: string; rows: number }> {
  const result = await db.query<{ total: string; rows: string }>(
    `SELECT coalesce(sum(cost_usd), 0)::text AS total, count(*)::text AS rows FROM request_logs WHERE virtual_key_id = $1`,
    [virtualKeyId],
  );
  return { total: result.rows[0]?.total ?? "0", rows: Number(result.rows[0]?.rows ?? 0) };
}
