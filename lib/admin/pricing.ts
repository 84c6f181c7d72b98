// Admin price overrides (PRODUCT §5.7) over the model_pricing table. Every write goes
// through `mutate`, so its audit row and the `config_changed` NOTIFY commit with it and each
// gateway reloads its snapshot (and with it the override list it prices requests with).
import type { Prisma, PrismaClient } from "../db/client";
import { pricingOverrideResponseSchema, type PricingOverrideInput, type PricingOverrideResponse } from "../validation/pricing";
import type { Actor } from "./actor";
import { notFound } from "./errors";
import { audit, mutate } from "./transaction";

type PricingRow = Prisma.ModelPricingGetPayload<object>;

const price = (value: Prisma.Decimal | null): number | null => (value === null ? null : Number(value.toString()));

function toApiPricing(row: PricingRow): PricingOverrideResponse {
  return pricingOverrideResponseSchema.parse({
    id: row.id,
    model: row.model,
    input_per_mtok: price(row.inputPerMTok),
    output_per_mtok: price(row.outputPerMTok),
    cache_read_per_mtok: price(row.cacheReadPerMTok),
    cache_write_per_mtok: price(row.cacheWritePerMTok),
    reasoning_per_mtok: price(row.reasoningPerMTok),
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  });
}

export async function listPricingOverrides(prisma: PrismaClient): Promise<PricingOverrideResponse[]> {
  const rows = await prisma.modelPricing.findMany({ orderBy: { model: "asc" } });
  return rows.map(toApiPricing);
}

/** Creates the override for `input.model`, or replaces every price of the existing one. */
export async function upsertPricingOverride(
  prisma: PrismaClient,
  actor: Actor,
  input: PricingOverrideInput,
): Promise<{ override: PricingOverrideResponse; created: boolean }> {
  return mutate(prisma, async (tx) => {
    const existing = await tx.modelPricing.findUnique({ where: { model: input.model } });
    const data = {
      inputPerMTok: input.input_per_mtok,
      outputPerMTok: input.output_per_mtok,
      cacheReadPerMTok: input.cache_read_per_mtok ?? null,
      cacheWritePerMTok: input.cache_write_per_mtok ?? null,
      reasoningPerMTok: input.reasoning_per_mtok ?? null,
    };
    const row = existing
      ? await tx.modelPricing.update({ where: { id: existing.id }, data })
      : await tx.modelPricing.create({ data: { model: input.model, ...data } });
    const after = toApiPricing(row);
    await audit(tx, actor, {
      action: existing ? "update" : "create",
      entityType: "pricing",
      entityId: row.id,
      entityName: row.model,
      before: existing ? toApiPricing(existing) : undefined,
      after,
    });
    return { override: after, created: !existing };
  });
}

export async function deletePricingOverride(prisma: PrismaClient, actor: Actor, id: string): Promise<PricingOverrideResponse> {
  return mutate(prisma, async (tx) => {
    const existing = await tx.modelPricing.findUnique({ where: { id } });
    if (!existing) throw notFound("price override", id);
    await tx.modelPricing.delete({ where: { id } });
    const before = toApiPricing(existing);
    await audit(tx, actor, { action: "delete", entityType: "pricing", entityId: id, entityName: existing.model, before });
    return before;
  });
}
