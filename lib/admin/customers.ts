// Customers over the admin API (PRODUCT §5.1): the top of the governance hierarchy.
import type { Prisma, PrismaClient } from "../db/client";
import { customerResponseSchema, type CreateCustomerInput, type UpdateCustomerInput } from "../validation/admin-customers";
import type { z } from "zod";
import type { Actor } from "./actor";
import { notFound } from "./errors";
import { loadLimits, replaceLimits, type LimitsResponse } from "./limits";
import { audit, mutate, type Tx } from "./transaction";

export type CustomerResponse = z.output<typeof customerResponseSchema>;

const CUSTOMER_SELECT = {
  id: true,
  name: true,
  externalId: true,
  metadata: true,
  createdAt: true,
  updatedAt: true,
  _count: { select: { teams: true } },
} satisfies Prisma.CustomerSelect;
type CustomerRow = Prisma.CustomerGetPayload<{ select: typeof CUSTOMER_SELECT }>;

function toApiCustomer(row: CustomerRow, limits: LimitsResponse): CustomerResponse {
  return customerResponseSchema.parse({
    id: row.id,
    name: row.name,
    external_id: row.externalId,
    metadata: row.metadata,
    team_count: row._count.teams,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
    ...limits,
  });
}

async function find(db: Tx, id: string): Promise<CustomerResponse> {
  const row = await db.customer.findUnique({ where: { id }, select: CUSTOMER_SELECT });
  if (!row) throw notFound("customer", id);
  return toApiCustomer(row, (await loadLimits(db, "customer", [id]))(id));
}

// Customers are read by roles holding customers:read (admins, viewers) in full: there is
// no customer-scoped role, so the route's permission check is the whole scope.
export async function listCustomers(prisma: PrismaClient): Promise<CustomerResponse[]> {
  const rows = await prisma.customer.findMany({ select: CUSTOMER_SELECT, orderBy: { name: "asc" } });
  const limits = await loadLimits(prisma, "customer", rows.map((r) => r.id));
  return rows.map((row) => toApiCustomer(row, limits(row.id)));
}

export async function getCustomer(prisma: PrismaClient, id: string): Promise<CustomerResponse> {
  return find(prisma, id);
}

export async function createCustomer(prisma: PrismaClient, actor: Actor, input: CreateCustomerInput): Promise<CustomerResponse> {
  return mutate(prisma, async (tx) => {
    const { id } = await tx.customer.create({
      data: { name: input.name, externalId: input.external_id ?? null, metadata: (input.metadata ?? {}) as Prisma.InputJsonValue },
      select: { id: true },
    });
    await replaceLimits(tx, { entityType: "customer", entityId: id }, input);
    const after = await find(tx, id);
    await audit(tx, actor, { action: "create", entityType: "customer", entityId: id, entityName: after.name, after });
    return after;
  });
}

export async function updateCustomer(prisma: PrismaClient, actor: Actor, id: string, input: UpdateCustomerInput): Promise<CustomerResponse> {
  return mutate(prisma, async (tx) => {
    const before = await find(tx, id);
    await tx.customer.update({
      where: { id },
      data: { name: input.name, externalId: input.external_id, metadata: input.metadata as Prisma.InputJsonValue | undefined },
    });
    await replaceLimits(tx, { entityType: "customer", entityId: id }, input);
    const after = await find(tx, id);
    await audit(tx, actor, { action: "update", entityType: "customer", entityId: id, entityName: after.name, before, after });
    return after;
  });
}

/** Teams and keys of a deleted customer stay (customer_id → NULL); its limits go with it. */
export async function deleteCustomer(prisma: PrismaClient, actor: Actor, id: string): Promise<CustomerResponse> {
  return mutate(prisma, async (tx) => {
    const before = await find(tx, id);
    await tx.budget.deleteMany({ where: { entityType: "customer", entityId: id } });
    await tx.rateLimit.deleteMany({ where: { entityType: "customer", entityId: id } });
    await tx.customer.delete({ where: { id } });
    await audit(tx, actor, { action: "delete", entityType: "customer", entityId: id, entityName: before.name, before });
    return before;
  });
}
