// Virtual keys, upserted by name. Only the hash of a secret is stored: a key given a
// `value` in the file gets that secret; a new key without one gets a generated secret that
// the summary carries once; an existing key without one keeps its secret.
import type { Prisma } from "../../db/client";
import { displayPrefix, generateVirtualKey, hashVirtualKey } from "../../crypto/virtual-key";
import { parseVirtualKeyExpiry, type VirtualKeyConfig } from "../../validation/virtual-keys";
import { ConfigApplyError, type ApplyContext } from "./context";
import { desiredLimits, limitsSnapshot, readLimits, writeLimits } from "./limits";
import { jsonSnapshot, type Snapshot } from "./snapshot";

export async function applyVirtualKey(ctx: ApplyContext, key: VirtualKeyConfig): Promise<void> {
  const { tx } = ctx;
  const existing = await tx.virtualKey.findUnique({
    where: { name: key.name },
    include: {
      team: { select: { name: true } },
      customer: { select: { name: true } },
      user: { select: { email: true } },
    },
  });
  const limits = desiredLimits(key.budgets, key.rate_limits);
  const current = await readLimits(tx, existing ? { entityType: "virtual_key", entityId: existing.id } : undefined);

  const userId = key.user === undefined ? null : await findUserId(ctx, key);
  const secret = key.value ?? (existing ? undefined : generateVirtualKey());
  const keyHash = secret === undefined ? (existing?.keyHash as string) : hashVirtualKey(secret);
  const prefix = secret === undefined ? (existing?.displayPrefix as string) : displayPrefix(secret);

  // A revoked key stays off: a config file re-applied at every start must not undo a revocation.
  const revoked = existing?.revokedAt != null;
  if (revoked && key.active !== false) {
    ctx.warn(`virtual key "${key.name}" is revoked; the config file cannot re-activate it`);
  }
  const active = revoked ? false : (key.active ?? true);
  const expiresAt = key.expires_at === undefined ? null : parseVirtualKeyExpiry(key.expires_at);

  // The model list is the deny-by-default gate (an empty list allows nothing); a key
  // whose file says nothing about providers may reach any provider serving an allowed
  // model. Stored explicitly as ["*"] so the gateway's rule stays "empty = deny".
  const allowedProviders = key.providers ?? ["*"];
  const after: Snapshot = {
    display_prefix: prefix,
    key_hash: keyHash,
    team: key.team ?? null,
    customer: key.customer ?? null,
    user: key.user ?? null,
    models: key.models,
    providers: allowedProviders,
    expires_at: expiresAt?.toISOString() ?? null,
    active,
    tags: key.tags ?? [],
    metadata: jsonSnapshot(key.metadata ?? {}),
    settings: jsonSnapshot(key.settings ?? {}),
    ...limitsSnapshot(limits),
  };
  const before: Snapshot | null = existing
    ? {
        display_prefix: existing.displayPrefix,
        key_hash: existing.keyHash,
        team: existing.team?.name ?? null,
        customer: existing.customer?.name ?? null,
        user: existing.user?.email ?? null,
        models: existing.allowedModels,
        providers: existing.allowedProviders,
        expires_at: existing.expiresAt?.toISOString() ?? null,
        active: existing.active,
        tags: existing.tags,
        metadata: jsonSnapshot(existing.metadata),
        settings: jsonSnapshot(existing.settings),
        ...limitsSnapshot(current),
      }
    : null;

  if (existing) ctx.virtualKeyIds.set(key.name, existing.id);
  if (ctx.isUnchanged("virtual_keys", before, after)) return;

  const data = {
    keyHash,
    displayPrefix: prefix,
    teamId: key.team === undefined ? null : (ctx.teamIds.get(key.team) ?? null),
    customerId: key.customer === undefined ? null : (ctx.customerIds.get(key.customer) ?? null),
    userId,
    allowedModels: key.models,
    allowedProviders,
    expiresAt,
    active,
    tags: key.tags ?? [],
    metadata: (key.metadata ?? {}) as Prisma.InputJsonValue,
    settings: (key.settings ?? {}) as Prisma.InputJsonValue,
  };
  const row = existing
    ? await tx.virtualKey.update({ where: { id: existing.id }, data })
    : await tx.virtualKey.create({ data: { name: key.name, ...data } });
  ctx.virtualKeyIds.set(key.name, row.id);
  if (key.value === undefined && secret !== undefined) ctx.addGeneratedKey({ name: key.name, secret });
  await writeLimits(tx, { entityType: "virtual_key", entityId: row.id }, current, limits);
  // The hash identifies the secret; the audit log keeps the display prefix only.
  const { key_hash: _beforeHash, ...beforeAudit } = before ?? {};
  const { key_hash: _afterHash, ...afterAudit } = after;
  await ctx.recordChange(
    "virtual_keys",
    { id: row.id, name: row.name },
    before === null ? null : beforeAudit,
    // Marked only when it changed, so an update's changed fields never list an untouched secret.
    before === null || before.key_hash !== keyHash ? { ...afterAudit, secret: "set" } : afterAudit,
  );
}

async function findUserId(ctx: ApplyContext, key: VirtualKeyConfig): Promise<string> {
  const user = await ctx.tx.user.findUnique({ where: { email: key.user }, select: { id: true } });
  if (!user) {
    throw new ConfigApplyError(`virtual key "${key.name}": no dashboard user with email "${key.user}"`);
  }
  return user.id;
}
