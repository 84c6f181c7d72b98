// The `settings:` section: one settings row per field given; fields the file leaves out are
// kept (or, with prune, reset to the built-in default by deleting their row).
import type { Prisma } from "../../db/client";
import { CONFIG_SETTING_KEYS, type ConfigSettings } from "../../validation/settings";
import type { ApplyContext } from "./context";
import type { Snapshot, SnapshotValue } from "./snapshot";

type Field = keyof typeof CONFIG_SETTING_KEYS;
const FIELDS = Object.keys(CONFIG_SETTING_KEYS) as Field[];

async function current(ctx: ApplyContext): Promise<Snapshot> {
  const rows = await ctx.tx.setting.findMany({ where: { key: { in: Object.values(CONFIG_SETTING_KEYS) } } });
  const snapshot: Record<string, SnapshotValue> = {};
  for (const field of FIELDS) {
    const row = rows.find((r) => r.key === CONFIG_SETTING_KEYS[field]);
    if (row) snapshot[field] = row.value as SnapshotValue;
  }
  return snapshot;
}

export async function applySettings(ctx: ApplyContext, settings: ConfigSettings | undefined, prune: boolean): Promise<void> {
  if (settings === undefined && !prune) return;
  const before = await current(ctx);
  const after: Record<string, SnapshotValue> = prune ? {} : { ...before };
  for (const field of FIELDS) if (settings?.[field] !== undefined) after[field] = settings[field] as SnapshotValue;
  if (Object.keys(before).length === 0 && Object.keys(after).length === 0) return;
  if (ctx.isUnchanged("settings", Object.keys(before).length === 0 ? null : before, after)) return;
  for (const field of FIELDS) {
    const key = CONFIG_SETTING_KEYS[field];
    const value = after[field];
    if (value === undefined) await ctx.tx.setting.deleteMany({ where: { key } });
    else await ctx.tx.setting.upsert({ where: { key }, create: { key, value: value as Prisma.InputJsonValue }, update: { value: value as Prisma.InputJsonValue } });
  }
  await ctx.recordChange("settings", { id: "settings", name: "settings" }, Object.keys(before).length === 0 ? null : before, after);
}
