// Reads everything the hot path needs from Postgres. Runs on reload only, never per request.
import type pg from "pg";
import { decryptSecret } from "../../lib/crypto/secret-box";
import { MODEL_ALIASES_SETTING } from "../../lib/validation/model-aliases";
import { providerAdapterSettingsFrom } from "../upstream/provider-adapter-settings";
import { providerTimeoutsFromSettings } from "../upstream/provider-timeouts";
import type { WindowAlignment } from "../../lib/durations/windows";
import type { LimitLevel } from "../governance/types";
import type { ProviderConfig, ProviderKeyConfig, RoutingTargetConfig, SnapshotContents } from "./snapshot";

type Logger = (message: string) => void;

function stringMap(value: unknown): Record<string, string> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return {};
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(value)) {
    if (typeof v === "string") out[name] = v;
  }
  return out;
}

/** numeric and int8 columns arrive as text (exact); the snapshot holds numbers. */
function numberOrNull(value: string | number | null): number | null {
  return value === null ? null : Number(value);
}

// Plain SQL through node-postgres, not Prisma: the gateway reads these tables only here, and
// loading Prisma's client and query compiler cost the gateway process ~95 MB of resident
// memory (measured: 82 → 177 MB for two queries) — half its RSS budget (README "Benchmarks").
// Column names are the schema's @map names (prisma/schema.prisma); row objects below are
// typed by hand accordingly.
const QUERIES = {
  providers: `SELECT id, name, type, base_url, request_types, headers, settings, models, enabled, capture_bodies FROM providers ORDER BY name ASC`,
  providerKeys: `SELECT id, provider_id, name, secret_ciphertext, weight, models FROM provider_keys WHERE enabled ORDER BY name ASC`,
  virtualKeys: `SELECT id, name, key_hash, previous_key_hash, previous_key_expires_at, team_id, user_id, customer_id, allowed_models, allowed_providers, expires_at, active, revoked_at, tags, settings FROM virtual_keys`,
  teams: `SELECT id, name, customer_id, settings FROM teams`,
  customers: `SELECT id, name FROM customers`,
  pricing: `SELECT model, input_per_mtok::text, output_per_mtok::text, cache_read_per_mtok::text, cache_write_per_mtok::text, reasoning_per_mtok::text FROM model_pricing`,
  routingRules: `SELECT id, name, condition, scope::text, scope_id, priority, enabled, fallback_on, retry FROM routing_rules ORDER BY priority DESC, name ASC`,
  routingTargets: `SELECT rule_id, kind::text, position, provider, model, weight, provider_key FROM routing_targets ORDER BY position ASC`,
  budgets: `SELECT id, entity_type::text, entity_id, "window", limit_usd::text, limit_tokens::text, alignment::text, alert_thresholds FROM budgets ORDER BY id ASC`,
  rateLimits: `SELECT id, entity_type::text, entity_id, "window", max_requests, max_tokens::text, max_concurrent, alignment::text FROM rate_limits ORDER BY id ASC`,
  aliases: `SELECT value FROM settings WHERE key = $1`,
} as const;

type Row = Record<string, unknown>;

function groupBy<T extends Row>(rows: readonly T[], key: keyof T): Map<unknown, T[]> {
  const groups = new Map<unknown, T[]>();
  for (const row of rows) {
    const group = groups.get(row[key]);
    if (group) group.push(row);
    else groups.set(row[key], [row]);
  }
  return groups;
}

export async function loadSnapshotContents(pool: pg.Pool, warn: Logger): Promise<SnapshotContents> {
  const client = await pool.connect();
  const results = {} as Record<keyof typeof QUERIES, Row[]>;
  try {
    // One snapshot of the database, so that a key and the team it points at come from the same moment.
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    for (const name of Object.keys(QUERIES) as Array<keyof typeof QUERIES>) {
      results[name] = (await client.query(QUERIES[name], name === "aliases" ? [MODEL_ALIASES_SETTING] : [])).rows as Row[];
    }
    await client.query("COMMIT");
    client.release();
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    client.release(error as Error);
    throw error;
  }
  const { providers, providerKeys, virtualKeys, teams, customers, pricing, routingRules, routingTargets, budgets, rateLimits, aliases } = results;
  const keysByProvider = groupBy(providerKeys, "provider_id");
  const targetsByRule = groupBy(routingTargets, "rule_id");

  return {
    modelAliases: stringMap(aliases[0]?.value ?? null),
    providers: providers.map((p): ProviderConfig => {
      const keys: ProviderKeyConfig[] = [];
      for (const k of keysByProvider.get(p.id) ?? []) {
        try {
          keys.push({ id: k.id as string, name: k.name as string, secret: decryptSecret(k.secret_ciphertext as string), weight: k.weight as number, models: k.models as string[] });
        } catch (error) {
          // One undecryptable key (wrong master key, corrupted row) must not take the
          // whole gateway down; the provider just has one key fewer.
          warn(`provider ${p.name as string}: key ${k.name as string} cannot be decrypted, skipped (${(error as Error).message})`);
        }
      }
      return {
        id: p.id as string,
        name: p.name as string,
        type: p.type as string,
        baseUrl: p.base_url as string | null,
        requestTypes: p.request_types as string[],
        headers: stringMap(p.headers),
        models: p.models as string[],
        enabled: p.enabled as boolean,
        keys,
        timeouts: providerTimeoutsFromSettings(p.settings),
        adapterSettings: providerAdapterSettingsFrom(p.settings),
        captureBodies: p.capture_bodies === true,
      };
    }),
    virtualKeys: virtualKeys.map((k) => ({
      id: k.id as string,
      name: k.name as string,
      keyHash: k.key_hash as string,
      previousKeyHash: k.previous_key_hash as string | null,
      previousKeyExpiresAt: k.previous_key_expires_at as Date | null,
      teamId: k.team_id as string | null,
      userId: k.user_id as string | null,
      customerId: k.customer_id as string | null,
      allowedModels: k.allowed_models as string[],
      allowedProviders: k.allowed_providers as string[],
      expiresAt: k.expires_at as Date | null,
      active: k.active as boolean,
      revokedAt: k.revoked_at as Date | null,
      tags: k.tags as string[],
      settings: k.settings,
    })),
    teams: teams.map((t) => ({ id: t.id as string, name: t.name as string, customerId: t.customer_id as string | null, settings: t.settings })),
    customers: customers.map((c) => ({ id: c.id as string, name: c.name as string })),
    pricing: pricing.map((p) => ({
      model: p.model as string,
      inputPerMTok: Number(p.input_per_mtok),
      outputPerMTok: Number(p.output_per_mtok),
      cacheReadPerMTok: numberOrNull(p.cache_read_per_mtok as string | null),
      cacheWritePerMTok: numberOrNull(p.cache_write_per_mtok as string | null),
      reasoningPerMTok: numberOrNull(p.reasoning_per_mtok as string | null),
    })),
    routingRules: routingRules.map((r) => ({
      id: r.id as string,
      name: r.name as string,
      condition: r.condition as string,
      scope: r.scope as string,
      scopeId: r.scope_id as string | null,
      priority: r.priority as number,
      enabled: r.enabled as boolean,
      targets: (targetsByRule.get(r.id) ?? []).map((t) => ({
        kind: t.kind as RoutingTargetConfig["kind"],
        position: t.position as number,
        provider: t.provider as string,
        model: t.model as string,
        weight: t.weight as number,
        providerKey: t.provider_key as string | null,
      })),
      fallbackOn: r.fallback_on,
      retry: r.retry,
    })),
    budgets: budgets.map((b) => ({
      id: b.id as string,
      entityType: b.entity_type as LimitLevel,
      entityId: b.entity_id as string,
      window: b.window as string,
      limitUsd: numberOrNull(b.limit_usd as string | null),
      limitTokens: numberOrNull(b.limit_tokens as string | null),
      alignment: b.alignment as WindowAlignment,
      alertThresholds: b.alert_thresholds as number[],
    })),
    rateLimits: rateLimits.map((r) => ({
      id: r.id as string,
      entityType: r.entity_type as LimitLevel,
      entityId: r.entity_id as string,
      window: r.window as string,
      maxRequests: r.max_requests as number | null,
      maxTokens: numberOrNull(r.max_tokens as string | null),
      maxConcurrent: r.max_concurrent as number | null,
      alignment: r.alignment as WindowAlignment,
    })),
  };
}
