// The alias map is one settings row: the file's `model_aliases:` replaces it as a whole.
import type { Prisma } from "../../db/client";
import { MODEL_ALIASES_SETTING, type ModelAliasesConfig } from "../../validation/model-aliases";
import type { ApplyContext } from "./context";
import type { Snapshot } from "./snapshot";

function sorted(aliases: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(aliases).sort(([a], [b]) => a.localeCompare(b)));
}

export async function applyModelAliases(ctx: ApplyContext, aliases: ModelAliasesConfig): Promise<void> {
  const existing = await ctx.tx.setting.findUnique({ where: { key: MODEL_ALIASES_SETTING } });
  const current = existing?.value && typeof existing.value === "object" && !Array.isArray(existing.value) ? (existing.value as Record<string, string>) : null;
  const after: Snapshot = { aliases: sorted(aliases) };
  const before: Snapshot | null = current === null ? null : { aliases: sorted(current) };
  if (ctx.isUnchanged("model_aliases", before, after)) return;
  await ctx.tx.setting.upsert({
    where: { key: MODEL_ALIASES_SETTING },
    create: { key: MODEL_ALIASES_SETTING, value: sorted(aliases) as Prisma.InputJsonValue },
    update: { value: sorted(aliases) as Prisma.InputJsonValue },
  });
  await ctx.recordChange("model_aliases", { id: MODEL_ALIASES_SETTING, name: "model aliases" }, before, after);
}
