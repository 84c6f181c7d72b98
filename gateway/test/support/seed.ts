// Minimal rows for gateway tests, written with plain SQL so the tests do not depend on
// the dashboard's services. Column names follow prisma/schema.prisma @map names.
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { encryptSecret } from "../../../lib/crypto/secret-box";
import { displayPrefix, generateVirtualKey, hashVirtualKey } from "../../../lib/crypto/virtual-key";

export interface ProviderSeed {
  name: string;
  type?: string;
  /** null: none configured (types with a public default use it; others must refuse). */
  baseUrl: string | null;
  models?: string[];
  enabled?: boolean;
  keys: Array<{ name: string; secret: string; weight?: number }>;
}

export async function insertProvider(db: pg.Pool, seed: ProviderSeed): Promise<string> {
  const id = `prov_${randomUUID()}`;
  await db.query(
    `INSERT INTO providers (id, name, type, base_url, models, enabled, updated_at) VALUES ($1, $2, $3, $4, $5, $6, now())`,
    [id, seed.name, seed.type ?? "openai", seed.baseUrl, seed.models ?? [], seed.enabled ?? true],
  );
  for (const key of seed.keys) {
    await db.query(
      `INSERT INTO provider_keys (id, provider_id, name, secret_ciphertext, secret_hint, weight, updated_at) VALUES ($1, $2, $3, $4, $5, $6, now())`,
      [`pkey_${randomUUID()}`, id, key.name, encryptSecret(key.secret), key.secret.slice(-4), key.weight ?? 1],
    );
  }
  return id;
}

export async function insertTeam(db: pg.Pool, name: string, customerName?: string): Promise<{ teamId: string; customerId: string | null }> {
  let customerId: string | null = null;
  if (customerName) {
    customerId = `cust_${randomUUID()}`;
    await db.query(`INSERT INTO customers (id, name, updated_at) VALUES ($1, $2, now())`, [customerId, customerName]);
  }
  const teamId = `team_${randomUUID()}`;
  await db.query(`INSERT INTO teams (id, name, customer_id, updated_at) VALUES ($1, $2, $3, now())`, [teamId, name, customerId]);
  return { teamId, customerId };
}

export interface VirtualKeySeed {
  name: string;
  teamId?: string | null;
  allowedModels?: string[];
  allowedProviders?: string[];
  expiresAt?: Date | null;
  active?: boolean;
  revokedAt?: Date | null;
  /** Owner (users.id), for member-scoped views. */
  userId?: string | null;
}

export async function insertVirtualKey(db: pg.Pool, seed: VirtualKeySeed): Promise<{ id: string; secret: string }> {
  const secret = generateVirtualKey();
  const id = `vk_${randomUUID()}`;
  await db.query(
    `INSERT INTO virtual_keys (id, name, key_hash, display_prefix, team_id, allowed_models, allowed_providers, expires_at, active, revoked_at, user_id, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now())`,
    [id, seed.name, hashVirtualKey(secret), displayPrefix(secret), seed.teamId ?? null, seed.allowedModels ?? ["*"], seed.allowedProviders ?? ["*"], seed.expiresAt ?? null, seed.active ?? true, seed.revokedAt ?? null, seed.userId ?? null],
  );
  return { id, secret };
}

export async function insertPrice(db: pg.Pool, model: string, inputPerMTok: number, outputPerMTok: number): Promise<void> {
  await db.query(`INSERT INTO model_pricing (id, model, input_per_mtok, output_per_mtok, updated_at) VALUES ($1, $2, $3, $4, now())`, [`price_${randomUUID()}`, model, inputPerMTok, outputPerMTok]);
}

export async function notifyConfigChanged(db: pg.Pool): Promise<void> {
  await db.query(`NOTIFY config_changed`);
}
