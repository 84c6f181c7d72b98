// Customers, then teams (a team may name a customer), upserted by name.
import type { Prisma } from "../../db/client";
import type { CustomerConfig } from "../../validation/customers";
import type { TeamConfig } from "../../validation/teams";
import type { ApplyContext } from "./context";
import { desiredLimits, limitsSnapshot, readLimits, writeLimits } from "./limits";
import { jsonSnapshot, type Snapshot } from "./snapshot";

export async function applyCustomer(ctx: ApplyContext, customer: CustomerConfig): Promise<void> {
  const { tx } = ctx;
  const existing = await tx.customer.findUnique({ where: { name: customer.name } });
  const limits = desiredLimits(customer.budgets, customer.rate_limits);
  const current = await readLimits(tx, existing ? { entityType: "customer", entityId: existing.id } : undefined);

  const after: Snapshot = {
    external_id: customer.external_id ?? null,
    metadata: jsonSnapshot(customer.metadata ?? {}),
    ...limitsSnapshot(limits),
  };
  const before: Snapshot | null = existing
    ? { external_id: existing.externalId, metadata: jsonSnapshot(existing.metadata), ...limitsSnapshot(current) }
    : null;

  if (existing) ctx.customerIds.set(customer.name, existing.id);
  if (ctx.isUnchanged("customers", before, after)) return;

  const data = { externalId: customer.external_id ?? null, metadata: (customer.metadata ?? {}) as Prisma.InputJsonValue };
  const row = existing
    ? await tx.customer.update({ where: { id: existing.id }, data })
    : await tx.customer.create({ data: { name: customer.name, ...data } });
  ctx.customerIds.set(customer.name, row.id);
  await writeLimits(tx, { entityType: "customer", entityId: row.id }, current, limits);
  await ctx.recordChange("customers", { id: row.id, name: row.name }, before, after);
}

export async function applyTeam(ctx: ApplyContext, team: TeamConfig): Promise<void> {
  const { tx } = ctx;
  const existing = await tx.team.findUnique({ where: { name: team.name }, include: { customer: { select: { name: true } } } });
  const limits = desiredLimits(team.budgets, team.rate_limits);
  const current = await readLimits(tx, existing ? { entityType: "team", entityId: existing.id } : undefined);
  const customerId = team.customer === undefined ? null : ctx.customerIds.get(team.customer) ?? null;

  const after: Snapshot = {
    customer: team.customer ?? null,
    metadata: jsonSnapshot(team.metadata ?? {}),
    settings: jsonSnapshot(team.settings ?? {}),
    ...limitsSnapshot(limits),
  };
  const before: Snapshot | null = existing
    ? {
        customer: existing.customer?.name ?? null,
        metadata: jsonSnapshot(existing.metadata),
        settings: jsonSnapshot(existing.settings),
        ...limitsSnapshot(current),
      }
    : null;

  if (existing) ctx.teamIds.set(team.name, existing.id);
  if (ctx.isUnchanged("teams", before, after)) return;

  const data = { customerId, metadata: (team.metadata ?? {}) as Prisma.InputJsonValue, settings: (team.settings ?? {}) as Prisma.InputJsonValue };
  const row = existing
    ? await tx.team.update({ where: { id: existing.id }, data })
    : await tx.team.create({ data: { name: team.name, ...data } });
  ctx.teamIds.set(team.name, row.id);
  await writeLimits(tx, { entityType: "team", entityId: row.id }, current, limits);
  await ctx.recordChange("teams", { id: row.id, name: row.name }, before, after);
}
