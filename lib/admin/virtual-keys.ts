// Virtual keys over the admin API (PRODUCT §5.2, §10). The secret exists in exactly two
// responses — create and rotate — and is stored only as sha256 + display prefix (STYLE §8).
import type { Prisma, PrismaClient } from "../db/client";
import { displayPrefix, generateVirtualKey, hashVirtualKey } from "../crypto/virtual-key";
import { can } from "../rbac/permissions";
import {
  virtualKeyResponseSchema,
  type CreateVirtualKeyInput,
  type RotateVirtualKeyInput,
  type UpdateVirtualKeyInput,
  type VirtualKeyResponse,
} from "../validation/admin-virtual-keys";
import { parseVirtualKeyExpiry } from "../validation/virtual-keys";
import type { Actor } from "./actor";
import { AdminError, notFound } from "./errors";
import { assertWithinTeamBudgets, budgetRowsOf, loadLimits, replaceLimits, type LimitsResponse } from "./limits";
import { assertMayManageKey, visibleKeysWhere } from "./scope";
import { audit, mutate, type Tx } from "./transaction";

// Never select the hash columns: what is not read cannot leak.
const KEY_SELECT = {
  id: true,
  name: true,
  displayPrefix: true,
  teamId: true,
  userId: true,
  customerId: true,
  allowedModels: true,
  allowedProviders: true,
  expiresAt: true,
  active: true,
  revokedAt: true,
  previousKeyExpiresAt: true,
  tags: true,
  metadata: true,
  settings: true,
  lastUsedAt: true,
  createdAt: true,
  updatedAt: true,
  team: { select: { id: true, name: true } },
  customer: { select: { id: true, name: true } },
  user: { select: { id: true, email: true } },
} satisfies Prisma.VirtualKeySelect;

type KeyRow = Prisma.VirtualKeyGetPayload<{ select: typeof KEY_SELECT }>;

function toApiVirtualKey(row: KeyRow, limits: LimitsResponse): VirtualKeyResponse {
  return virtualKeyResponseSchema.parse({
    id: row.id,
    name: row.name,
    display_prefix: row.displayPrefix,
    team: row.team,
    customer: row.customer,
    user: row.user,
    models: row.allowedModels,
    providers: row.allowedProviders,
    expires_at: row.expiresAt?.toISOString() ?? null,
    active: row.active,
    revoked_at: row.revokedAt?.toISOString() ?? null,
    previous_key_expires_at: row.previousKeyExpiresAt?.toISOString() ?? null,
    tags: row.tags,
    metadata: row.metadata,
    settings: row.settings,
    last_used_at: row.lastUsedAt?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
    ...limits,
  });
}

async function present(db: Tx, row: KeyRow): Promise<VirtualKeyResponse> {
  return toApiVirtualKey(row, (await loadLimits(db, "virtual_key", [row.id]))(row.id));
}

export async function listVirtualKeys(prisma: PrismaClient, actor: Actor): Promise<VirtualKeyResponse[]> {
  const rows = await prisma.virtualKey.findMany({
    where: await visibleKeysWhere(prisma, actor),
    select: KEY_SELECT,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
  const limits = await loadLimits(prisma, "virtual_key", rows.map((r) => r.id));
  return rows.map((row) => toApiVirtualKey(row, limits(row.id)));
}

/** 404 rather than 403 for keys the actor may not see: their existence is not disclosed. */
async function findVisible(db: Tx, actor: Actor, id: string): Promise<KeyRow> {
  const row = await db.virtualKey.findFirst({ where: { AND: [{ id }, await visibleKeysWhere(db, actor)] }, select: KEY_SELECT });
  if (!row) throw notFound("virtual key", id);
  return row;
}

export async function getVirtualKey(prisma: PrismaClient, actor: Actor, id: string): Promise<VirtualKeyResponse> {
  return present(prisma, await findVisible(prisma, actor, id));
}

interface Owners {
  teamId: string | null;
  customerId: string | null;
  userId: string | null;
}

/** Names / email → ids; an unknown name is a 400 on that field. */
async function resolveOwners(
  db: Tx,
  input: { team?: string | null; customer?: string | null; user?: string | null },
  current: Owners,
): Promise<Owners> {
  const lookup = async (field: "team" | "customer" | "user", find: (v: string) => Promise<{ id: string } | null>) => {
    const value = input[field];
    if (value === undefined) return current[`${field}Id`];
    if (value === null) return null;
    const found = await find(value);
    if (!found) throw new AdminError("invalid_request", `Unknown ${field} "${value}"`, [{ path: field, message: `no ${field} "${value}"` }]);
    return found.id;
  };
  return {
    teamId: await lookup("team", (name) => db.team.findUnique({ where: { name }, select: { id: true } })),
    customerId: await lookup("customer", (name) => db.customer.findUnique({ where: { name }, select: { id: true } })),
    userId: await lookup("user", (email) => db.user.findUnique({ where: { email }, select: { id: true } })),
  };
}

/** Checks that apply to every key write by a non-admin: ownership and the team's budgets. */
async function authorizeKeyWrite(
  tx: Tx,
  actor: Actor,
  owners: Owners,
  budgets: CreateVirtualKeyInput["budgets"],
): Promise<void> {
  await assertMayManageKey(tx, actor, owners);
  if (!can(actor.role, "virtual-keys:write:all") && budgets !== undefined && owners.teamId !== null) {
    await assertWithinTeamBudgets(tx, owners.teamId, budgetRowsOf(budgets));
  }
}

export interface KeyWithSecret {
  key: VirtualKeyResponse;
  /** Shown once; not stored anywhere. */
  secret: string;
}

export async function createVirtualKey(prisma: PrismaClient, actor: Actor, input: CreateVirtualKeyInput): Promise<KeyWithSecret> {
  return mutate(prisma, async (tx) => {
    const owners = await resolveOwners(tx, input, { teamId: null, customerId: null, userId: null });
    // A member who names no owner gets the key as their own rather than a 403.
    if (owners.userId === null && actor.userId !== null && !can(actor.role, "virtual-keys:write:all") && input.user === undefined) {
      owners.userId = actor.userId;
    }
    await authorizeKeyWrite(tx, actor, owners, input.budgets);
    const secret = generateVirtualKey();
    const created = await tx.virtualKey.create({
      data: {
        name: input.name,
        keyHash: hashVirtualKey(secret),
        displayPrefix: displayPrefix(secret),
        ...owners,
        allowedModels: input.models,
        // As in config apply: no providers list means any provider serving an allowed model.
        allowedProviders: input.providers ?? ["*"],
        expiresAt: input.expires_at === undefined ? null : parseVirtualKeyExpiry(input.expires_at),
        active: input.active ?? true,
        tags: input.tags ?? [],
        metadata: (input.metadata ?? {}) as Prisma.InputJsonValue,
        settings: (input.settings ?? {}) as Prisma.InputJsonValue,
      },
      select: { id: true },
    });
    await replaceLimits(tx, { entityType: "virtual_key", entityId: created.id }, input);
    const key = await present(tx, await findVisibleForWrite(tx, created.id));
    await audit(tx, actor, { action: "create", entityType: "virtual_key", entityId: key.id, entityName: key.name, after: key });
    return { key, secret };
  });
}

// After a write the row is read back without the visibility filter: a team admin who moved a
// key out of their team still gets the response for the write they just made.
async function findVisibleForWrite(tx: Tx, id: string): Promise<KeyRow> {
  const row = await tx.virtualKey.findUnique({ where: { id }, select: KEY_SELECT });
  if (!row) throw notFound("virtual key", id);
  return row;
}

async function findManageable(tx: Tx, actor: Actor, id: string): Promise<KeyRow> {
  const row = await findVisible(tx, actor, id);
  await assertMayManageKey(tx, actor, { teamId: row.teamId, userId: row.userId });
  return row;
}

export async function updateVirtualKey(prisma: PrismaClient, actor: Actor, id: string, input: UpdateVirtualKeyInput): Promise<VirtualKeyResponse> {
  return mutate(prisma, async (tx) => {
    const existing = await findManageable(tx, actor, id);
    const before = await present(tx, existing);
    const owners = await resolveOwners(tx, input, { teamId: existing.teamId, customerId: existing.customerId, userId: existing.userId });
    await authorizeKeyWrite(tx, actor, owners, input.budgets);
    // A revocation is final (as in config apply): re-activating would resurrect a leaked key.
    if (input.active === true && existing.revokedAt !== null) {
      throw new AdminError("conflict", `Virtual key "${existing.name}" is revoked and cannot be re-activated; create a new key`);
    }
    await tx.virtualKey.update({
      where: { id },
      data: {
        name: input.name,
        ...owners,
        allowedModels: input.models,
        allowedProviders: input.providers,
        expiresAt: input.expires_at === undefined ? undefined : input.expires_at === null ? null : parseVirtualKeyExpiry(input.expires_at),
        active: input.active,
        tags: input.tags,
        metadata: input.metadata as Prisma.InputJsonValue | undefined,
        settings: input.settings as Prisma.InputJsonValue | undefined,
      },
    });
    await replaceLimits(tx, { entityType: "virtual_key", entityId: id }, input);
    const after = await present(tx, await findVisibleForWrite(tx, id));
    await audit(tx, actor, { action: "update", entityType: "virtual_key", entityId: id, entityName: after.name, before, after });
    return after;
  });
}

/** DELETE = revoke: the row stays for the logs and usage history; revoking twice is a no-op. */
export async function revokeVirtualKey(prisma: PrismaClient, actor: Actor, id: string, now = new Date()): Promise<VirtualKeyResponse> {
  return mutate(prisma, async (tx) => {
    const existing = await findManageable(tx, actor, id);
    const before = await present(tx, existing);
    if (existing.revokedAt !== null) return before;
    // The grace secret of a recent rotation dies with the key.
    await tx.virtualKey.update({
      where: { id },
      data: { active: false, revokedAt: now, previousKeyHash: null, previousKeyExpiresAt: null },
    });
    const after = await present(tx, await findVisibleForWrite(tx, id));
    await audit(tx, actor, { action: "revoke", entityType: "virtual_key", entityId: id, entityName: after.name, before, after });
    return after;
  });
}

export async function rotateVirtualKey(
  prisma: PrismaClient,
  actor: Actor,
  id: string,
  input: RotateVirtualKeyInput,
  now = new Date(),
): Promise<KeyWithSecret> {
  return mutate(prisma, async (tx) => {
    const existing = await findManageable(tx, actor, id);
    if (existing.revokedAt !== null) throw new AdminError("conflict", `Virtual key "${existing.name}" is revoked; create a new key`);
    const before = await present(tx, existing);
    const { keyHash: oldHash } = await tx.virtualKey.findUniqueOrThrow({ where: { id }, select: { keyHash: true } });
    const grace = input.grace_seconds ?? 0;
    const secret = generateVirtualKey();
    await tx.virtualKey.update({
      where: { id },
      data: {
        keyHash: hashVirtualKey(secret),
        displayPrefix: displayPrefix(secret),
        // Only the secret rotated just now gets a grace period; an older previous one ends here.
        previousKeyHash: grace > 0 ? oldHash : null,
        previousKeyExpiresAt: grace > 0 ? new Date(now.getTime() + grace * 1000) : null,
      },
    });
    const key = await present(tx, await findVisibleForWrite(tx, id));
    await audit(tx, actor, {
      action: "rotate",
      entityType: "virtual_key",
      entityId: id,
      entityName: key.name,
      before: { display_prefix: before.display_prefix },
      after: { display_prefix: key.display_prefix, grace_seconds: grace, previous_key_expires_at: key.previous_key_expires_at },
    });
    return { key, secret };
  });
}
