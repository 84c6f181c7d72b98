// Providers with their keys, and price overrides.
import { createHash } from "node:crypto";
import { decryptSecret, encryptSecret, secretHint } from "../../crypto/secret-box";
import type { Prisma } from "../../db/client";
import type { ModelPricingConfig } from "../../validation/pricing";
import type { ProviderConfig, ProviderKeyConfig } from "../../validation/providers";
import { providerKeyPlaceholderVariable } from "../env-substitution";
import { providerKeyRefId, type SecretRefs } from "../secret-refs";
import type { ApplyContext } from "./context";
import { desiredLimits, limitsSnapshot, normalizeDecimal, readLimits, writeLimits } from "./limits";
import { canonicalJson, jsonSnapshot, type Snapshot } from "./snapshot";

export async function applyProvider(ctx: ApplyContext, provider: ProviderConfig, secretRefs: SecretRefs): Promise<void> {
  const { tx } = ctx;
  const existing = await tx.provider.findUnique({ where: { name: provider.name } });
  const limits = desiredLimits(provider.budgets, provider.rate_limits);
  const current = await readLimits(tx, existing ? { entityType: "provider", entityId: existing.id } : undefined);

  const data = {
    type: provider.type,
    baseUrl: provider.base_url ?? null,
    requestTypes: provider.request_types ?? [],
    models: provider.models ?? [],
    headers: provider.headers ?? {},
    settings: (provider.settings ?? {}) as Prisma.InputJsonValue,
    enabled: provider.enabled ?? true,
    captureBodies: provider.capture_bodies ?? false,
  };
  const after = providerSnapshot(data, limitsSnapshot(limits));
  const before = existing ? providerSnapshot(existing, limitsSnapshot(current)) : null;

  let providerId = existing?.id;
  if (!ctx.isUnchanged("providers", before, after)) {
    const row = existing
      ? await tx.provider.update({ where: { id: existing.id }, data })
      : await tx.provider.create({ data: { name: provider.name, ...data } });
    providerId = row.id;
    await writeLimits(tx, { entityType: "provider", entityId: row.id }, current, limits);
    await ctx.recordChange("providers", { id: row.id, name: row.name }, before, after);
  }

  for (const key of provider.keys ?? []) {
    await applyProviderKey(ctx, provider.name, providerId as string, key, secretRefs.get(providerKeyRefId(provider.name, key.name)));
  }
}

function providerSnapshot(
  row: {
    type: string;
    baseUrl: string | null;
    requestTypes: readonly string[];
    models: readonly string[];
    headers: unknown;
    settings: unknown;
    enabled: boolean;
    captureBodies: boolean;
  },
  limits: ReturnType<typeof limitsSnapshot>,
): Snapshot {
  return {
    type: row.type,
    base_url: row.baseUrl,
    request_types: [...row.requestTypes],
    models: [...row.models],
    // Header values may be credentials, and snapshots end up in the audit log: keep the
    // names, and a digest that still tells a changed value from an unchanged one.
    header_names: Object.keys(asRecord(row.headers)).sort(),
    headers_digest: createHash("sha256").update(canonicalJson(row.headers ?? {})).digest("hex").slice(0, 16),
    settings: jsonSnapshot(row.settings),
    enabled: row.enabled,
    capture_bodies: row.captureBodies,
    ...limits,
  };
}

async function applyProviderKey(
  ctx: ApplyContext,
  providerName: string,
  providerId: string,
  key: ProviderKeyConfig,
  template: string | undefined,
): Promise<void> {
  const { tx } = ctx;
  const existing = await tx.providerKey.findUnique({ where: { providerId_name: { providerId, name: key.name } } });
  // The placeholder `config export` invents for a key of unknown origin stands for "no
  // reference"; storing it would make every export → apply round trip look like a change.
  const secretRef = template === `\${${providerKeyPlaceholderVariable(providerName, key.name)}}` ? null : (template ?? null);
  const secretChanged = existing ? !storedSecretEquals(existing.secretCiphertext, key.value) : true;

  const fields = { weight: key.weight ?? 1, models: key.models ?? [], enabled: key.enabled ?? true, secretRef };
  const after: Snapshot = {
    provider: providerName,
    ...fields,
    secret_hint: secretHint(key.value),
  };
  const before: Snapshot | null = existing
    ? {
        provider: providerName,
        weight: existing.weight,
        models: existing.models,
        enabled: existing.enabled,
        secretRef: existing.secretRef,
        secret_hint: existing.secretHint,
      }
    : null;
  if (!secretChanged && ctx.isUnchanged("provider_keys", before, after)) return;

  const data = {
    ...fields,
    // Re-encrypt only a new secret: a fresh IV on every apply would rewrite the row for nothing.
    ...(secretChanged ? { secretCiphertext: encryptSecret(key.value), secretHint: secretHint(key.value) } : {}),
  };
  const row = existing
    ? await tx.providerKey.update({ where: { id: existing.id }, data })
    : await tx.providerKey.create({
        data: { providerId, name: key.name, ...fields, secretCiphertext: encryptSecret(key.value), secretHint: secretHint(key.value) },
      });
  await ctx.recordChange(
    "provider_keys",
    { id: row.id, name: `${providerName}/${key.name}` },
    before,
    { ...after, secret: secretChanged ? "changed" : "unchanged" },
  );
}

function storedSecretEquals(ciphertext: string, plain: string): boolean {
  try {
    return decryptSecret(ciphertext) === plain;
  } catch {
    // Unreadable (master key replaced, corrupted row): the file's value is the way out.
    return false;
  }
}

export async function applyPricing(ctx: ApplyContext, pricing: ModelPricingConfig): Promise<void> {
  const { tx } = ctx;
  const existing = await tx.modelPricing.findUnique({ where: { model: pricing.model } });
  const optional = (value: number | undefined) => (value === undefined ? null : normalizeDecimal(value));
  const after: Snapshot = {
    input_per_mtok: normalizeDecimal(pricing.input_per_mtok),
    output_per_mtok: normalizeDecimal(pricing.output_per_mtok),
    cache_read_per_mtok: optional(pricing.cache_read_per_mtok),
    cache_write_per_mtok: optional(pricing.cache_write_per_mtok),
    reasoning_per_mtok: optional(pricing.reasoning_per_mtok),
  };
  const stored = (value: Prisma.Decimal | null) => (value === null ? null : normalizeDecimal(value));
  const before: Snapshot | null = existing
    ? {
        input_per_mtok: normalizeDecimal(existing.inputPerMTok),
        output_per_mtok: normalizeDecimal(existing.outputPerMTok),
        cache_read_per_mtok: stored(existing.cacheReadPerMTok),
        cache_write_per_mtok: stored(existing.cacheWritePerMTok),
        reasoning_per_mtok: stored(existing.reasoningPerMTok),
      }
    : null;
  if (ctx.isUnchanged("pricing", before, after)) return;

  const data = {
    inputPerMTok: pricing.input_per_mtok,
    outputPerMTok: pricing.output_per_mtok,
    cacheReadPerMTok: pricing.cache_read_per_mtok ?? null,
    cacheWritePerMTok: pricing.cache_write_per_mtok ?? null,
    reasoningPerMTok: pricing.reasoning_per_mtok ?? null,
  };
  const row = existing
    ? await tx.modelPricing.update({ where: { id: existing.id }, data })
    : await tx.modelPricing.create({ data: { model: pricing.model, ...data } });
  await ctx.recordChange("pricing", { id: row.id, name: row.model }, before, after);
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
