// Model-level budgets and rate limits: limit rows whose entity is the model name itself.
import type { ModelLimitsConfig } from "../../validation/model-limits";
import type { ApplyContext } from "./context";
import { desiredLimits, hasLimits, limitsSnapshot, readLimits, writeLimits } from "./limits";
import type { Snapshot } from "./snapshot";

export async function applyModelLimits(ctx: ApplyContext, model: ModelLimitsConfig): Promise<void> {
  const owner = { entityType: "model", entityId: model.model } as const;
  const current = await readLimits(ctx.tx, owner);
  const limits = desiredLimits(model.budgets, model.rate_limits);
  // No row represents a model; one "exists" once it has limits (an entry without any, for a
  // model without any, is simply unchanged).
  const exists = hasLimits(current) || !hasLimits(limits);
  const before: Snapshot | null = exists ? limitsSnapshot(current) : null;
  const after: Snapshot = limitsSnapshot(limits);
  if (ctx.isUnchanged("models", before, after)) return;
  await writeLimits(ctx.tx, owner, current, limits);
  await ctx.recordChange("models", { id: model.model, name: model.model }, before, after);
}
