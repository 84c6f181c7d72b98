// Rate limits as rows of their own (/api/v1/rate-limits, PRODUCT §5.4). They carry no
// history, so updates are plain; the gateway reloads them on config_changed.
import type { PrismaClient } from "../db/client";
import type { RateLimit } from "../db/generated/client";
import { rateLimitResponseSchema, type BudgetsQuery, type CreateRateLimitInput, type UpdateRateLimitInput } from "../validation/admin-limits";
import { rateLimitSchema } from "../validation/limits";
import type { z } from "zod";
import type { Actor } from "./actor";
import { notFound, parseInput } from "./errors";
import { assertMayWriteLimitsOf, visibleLimitsWhere } from "./limit-scope";
import { toRateLimitRow } from "./limits";
import { audit, mutate, type Tx } from "./transaction";

export type RateLimitResponse = z.output<typeof rateLimitResponseSchema>;

function present(row: RateLimit): RateLimitResponse {
  return rateLimitResponseSchema.parse({
    ...toRateLimitRow(row),
    entity_type: row.entityType,
    entity_id: row.entityId,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  });
}

export async function listRateLimits(prisma: PrismaClient, actor: Actor, query: BudgetsQuery): Promise<RateLimitResponse[]> {
  const rows = await prisma.rateLimit.findMany({
    where: { AND: [await visibleLimitsWhere(prisma, actor), { entityType: query.entity_type, entityId: query.entity_id }] },
    orderBy: [{ entityType: "asc" }, { entityId: "asc" }, { window: "asc" }, { id: "asc" }],
  });
  return rows.map(present);
}

async function findRateLimit(db: Tx, actor: Actor, id: string): Promise<RateLimit> {
  const row = await db.rateLimit.findFirst({ where: { AND: [{ id }, await visibleLimitsWhere(db, actor)] } });
  if (!row) throw notFound("rate limit", id);
  return row;
}

export async function getRateLimit(prisma: PrismaClient, actor: Actor, id: string): Promise<RateLimitResponse> {
  return present(await findRateLimit(prisma, actor, id));
}

export async function createRateLimit(prisma: PrismaClient, actor: Actor, input: CreateRateLimitInput): Promise<RateLimitResponse> {
  return mutate(prisma, async (tx) => {
    const owner = { entityType: input.entity_type, entityId: input.entity_id };
    await assertMayWriteLimitsOf(tx, actor, owner);
    const row = await tx.rateLimit.create({
      data: {
        ...owner,
        window: input.window ?? "",
        maxRequests: input.requests ?? null,
        maxTokens: input.tokens === undefined ? null : BigInt(input.tokens),
        maxConcurrent: input.concurrent ?? null,
      },
    });
    const after = present(row);
    await audit(tx, actor, { action: "create", entityType: "rate_limit", entityId: row.id, entityName: `${row.entityType} ${row.entityId}`, after });
    return after;
  });
}

export async function updateRateLimit(prisma: PrismaClient, actor: Actor, id: string, input: UpdateRateLimitInput): Promise<RateLimitResponse> {
  return mutate(prisma, async (tx) => {
    const existing = await findRateLimit(tx, actor, id);
    await assertMayWriteLimitsOf(tx, actor, existing);
    const before = present(existing);
    // The merged limit must still be a valid one (e.g. a window for requests/tokens).
    const merged = {
      requests: input.requests === undefined ? before.requests : input.requests,
      tokens: input.tokens === undefined ? before.tokens : input.tokens,
      concurrent: input.concurrent === undefined ? before.concurrent : input.concurrent,
      window: input.window === undefined ? before.window : input.window,
    };
    parseInput(rateLimitSchema, Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== null)));
    const row = await tx.rateLimit.update({
      where: { id },
      data: {
        window: merged.window ?? "",
        maxRequests: merged.requests,
        maxTokens: merged.tokens === null ? null : BigInt(merged.tokens),
        maxConcurrent: merged.concurrent,
      },
    });
    const after = present(row);
    await audit(tx, actor, { action: "update", entityType: "rate_limit", entityId: id, entityName: `${row.entityType} ${row.entityId}`, before, after });
    return after;
  });
}

export async function deleteRateLimit(prisma: PrismaClient, actor: Actor, id: string): Promise<RateLimitResponse> {
  return mutate(prisma, async (tx) => {
    const existing = await findRateLimit(tx, actor, id);
    await assertMayWriteLimitsOf(tx, actor, existing);
    const before = present(existing);
    await tx.rateLimit.delete({ where: { id } });
    await audit(tx, actor, { action: "delete", entityType: "rate_limit", entityId: id, entityName: `${existing.entityType} ${existing.entityId}`, before });
    return before;
  });
}
