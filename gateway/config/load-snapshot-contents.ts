// Reads everything the hot path needs from Postgres through Prisma. Runs on reload only,
// never per request.
import type { PrismaClient } from "../../lib/db/client";
import { decryptSecret } from "../../lib/crypto/secret-box";
import { MODEL_ALIASES_SETTING } from "../../lib/validation/model-aliases";
import { providerAdapterSettingsFrom } from "../upstream/provider-adapter-settings";
import { providerTimeoutsFromSettings } from "../upstream/provider-timeouts";
import type { ProviderConfig, ProviderKeyConfig, SnapshotContents } from "./snapshot";

type Logger = (message: string) => void;

function stringMap(value: unknown): Record<string, string> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return {};
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(value)) {
    if (typeof v === "string") out[name] = v;
  }
  return out;
}

function decimalToNumber(value: { toNumber(): number } | null): number | null {
  return value === null ? null : value.toNumber();
}

export async function loadSnapshotContents(prisma: PrismaClient, warn: Logger): Promise<SnapshotContents> {
  // One transaction so that a key and the team it points at come from the same moment.
  const [providers, virtualKeys, teams, customers, pricing, routingRules, budgets, rateLimits, aliasSetting] = await prisma.$transaction(
    [
      prisma.provider.findMany({ include: { keys: { where: { enabled: true }, orderBy: { name: "asc" } } }, orderBy: { name: "asc" } }),
      prisma.virtualKey.findMany(),
      prisma.team.findMany(),
      prisma.customer.findMany(),
      prisma.modelPricing.findMany(),
      prisma.routingRule.findMany({ include: { targets: true }, orderBy: [{ priority: "desc" }, { name: "asc" }] }),
      prisma.budget.findMany({ orderBy: { id: "asc" } }),
      prisma.rateLimit.findMany({ orderBy: { id: "asc" } }),
      prisma.setting.findUnique({ where: { key: MODEL_ALIASES_SETTING } }),
    ],
    { isolationLevel: "RepeatableRead" },
  );

  return {
    modelAliases: stringMap(aliasSetting?.value ?? null),
    providers: providers.map((p): ProviderConfig => {
      const keys: ProviderKeyConfig[] = [];
      for (const k of p.keys) {
        try {
          keys.push({ id: k.id, name: k.name, secret: decryptSecret(k.secretCiphertext), weight: k.weight, models: k.models });
        } catch (error) {
          // One undecryptable key (wrong master key, corrupted row) must not take the
          // whole gateway down; the provider just has one key fewer.
          warn(`provider ${p.name}: key ${k.name} cannot be decrypted, skipped (${(error as Error).message})`);
        }
      }
      return {
        id: p.id,
        name: p.name,
        type: p.type,
        baseUrl: p.baseUrl,
        requestTypes: p.requestTypes,
        headers: stringMap(p.headers),
        models: p.models,
        enabled: p.enabled,
        keys,
        timeouts: providerTimeoutsFromSettings(p.settings),
        adapterSettings: providerAdapterSettingsFrom(p.settings),
        captureBodies: p.captureBodies === true,
      };
    }),
    virtualKeys: virtualKeys.map((k) => ({
      id: k.id,
      name: k.name,
      keyHash: k.keyHash,
      previousKeyHash: k.previousKeyHash,
      previousKeyExpiresAt: k.previousKeyExpiresAt,
      teamId: k.teamId,
      userId: k.userId,
      customerId: k.customerId,
      allowedModels: k.allowedModels,
      allowedProviders: k.allowedProviders,
      expiresAt: k.expiresAt,
      active: k.active,
      revokedAt: k.revokedAt,
      tags: k.tags,
      settings: k.settings,
    })),
    teams: teams.map((t) => ({ id: t.id, name: t.name, customerId: t.customerId, settings: t.settings })),
    customers: customers.map((c) => ({ id: c.id, name: c.name })),
    pricing: pricing.map((p) => ({
      model: p.model,
      inputPerMTok: p.inputPerMTok.toNumber(),
      outputPerMTok: p.outputPerMTok.toNumber(),
      cacheReadPerMTok: decimalToNumber(p.cacheReadPerMTok),
      cacheWritePerMTok: decimalToNumber(p.cacheWritePerMTok),
      reasoningPerMTok: decimalToNumber(p.reasoningPerMTok),
    })),
    routingRules: routingRules.map((r) => ({
      id: r.id,
      name: r.name,
      condition: r.condition,
      scope: r.scope,
      scopeId: r.scopeId,
      priority: r.priority,
      enabled: r.enabled,
      targets: r.targets
        .map((t) => ({ kind: t.kind, position: t.position, provider: t.provider, model: t.model, weight: t.weight, providerKey: t.providerKey }))
        .sort((a, b) => a.position - b.position),
      fallbackOn: r.fallbackOn,
      retry: r.retry,
    })),
    budgets: budgets.map((b) => ({
      id: b.id,
      entityType: b.entityType,
      entityId: b.entityId,
      window: b.window,
      limitUsd: decimalToNumber(b.limitUsd),
      limitTokens: b.limitTokens === null ? null : Number(b.limitTokens),
      alignment: b.alignment,
      alertThresholds: b.alertThresholds,
    })),
    rateLimits: rateLimits.map((r) => ({
      id: r.id,
      entityType: r.entityType,
      entityId: r.entityId,
      window: r.window,
      maxRequests: r.maxRequests,
      maxTokens: r.maxTokens === null ? null : Number(r.maxTokens),
      maxConcurrent: r.maxConcurrent,
      alignment: r.alignment,
    })),
  };
}
