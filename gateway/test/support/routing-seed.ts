// Routing rows for gateway tests (plain SQL, column names from prisma/schema.prisma).
import { randomUUID } from "node:crypto";
import type pg from "pg";

export interface TargetSeed {
  kind?: "target" | "fallback";
  provider: string;
  model: string;
  weight?: number;
  position?: number;
  providerKey?: string | null;
}

export interface RuleSeed {
  name: string;
  condition: string;
  priority?: number;
  fallbackOn?: string[];
  retry?: Record<string, number>;
  targets: TargetSeed[];
}

export async function insertRoutingRule(db: pg.Pool, seed: RuleSeed): Promise<string> {
  const id = `rule_${randomUUID()}`;
  await db.query(
    `INSERT INTO routing_rules (id, name, condition, scope, priority, enabled, fallback_on, retry, updated_at) VALUES ($1, $2, $3, 'global', $4, true, $5::jsonb, $6::jsonb, now())`,
    [id, seed.name, seed.condition, seed.priority ?? 0, seed.fallbackOn ? JSON.stringify(seed.fallbackOn) : null, seed.retry ? JSON.stringify(seed.retry) : null],
  );
  for (const [i, t] of seed.targets.entries()) {
    await db.query(
      `INSERT INTO routing_targets (id, rule_id, kind, position, provider, model, weight, provider_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [`rt_${randomUUID()}`, id, t.kind ?? "target", t.position ?? i, t.provider, t.model, t.weight ?? 1, t.providerKey ?? null],
    );
  }
  return id;
}

export async function setProviderSettings(db: pg.Pool, providerName: string, settings: Record<string, unknown>, requestTypes?: string[]): Promise<void> {
  await db.query(`UPDATE providers SET settings = $2::jsonb, request_types = COALESCE($3, request_types) WHERE name = $1`, [providerName, JSON.stringify(settings), requestTypes ?? null]);
}

export async function insertProviderTokenBudget(db: pg.Pool, providerId: string, window: string, limitTokens: number): Promise<string> {
  const id = `budget_${randomUUID()}`;
  await db.query(`INSERT INTO budgets (id, entity_type, entity_id, "window", limit_tokens, updated_at) VALUES ($1, 'provider', $2, $3, $4, now())`, [id, providerId, window, limitTokens]);
  return id;
}
