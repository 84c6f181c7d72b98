// GET / PUT of the known dashboard settings (lib/validation/settings.ts). Each setting is a
// row of the `settings` table with a JSON value; a reset (null) deletes the row so readers
// fall back to their built-in default. Other keys in the table (the internal signing key,
// model aliases) are never read or written here.
import type { Prisma, PrismaClient } from "../db/client";
import { SETTING_KEYS, settingsResponseSchema, type SettingsResponse, type SettingsUpdate } from "../validation/settings";
import type { Actor } from "./actor";
import { audit, mutate, type Tx } from "./transaction";

const FIELD_KEYS = {
  log_retention_days: SETTING_KEYS.logRetentionDays,
  body_capture_default: SETTING_KEYS.bodyCaptureDefault,
  cache_default_ttl_seconds: SETTING_KEYS.cacheDefaultTtlSeconds,
  cache_similarity_threshold: SETTING_KEYS.cacheSimilarityThreshold,
  alert_webhook_url: SETTING_KEYS.alertWebhookUrl,
  alert_webhook_secret: SETTING_KEYS.alertWebhookSecret,
} as const satisfies Record<keyof SettingsUpdate, string>;
type Field = keyof typeof FIELD_KEYS;

const ALL_KEYS: string[] = Object.values(FIELD_KEYS);

async function read(db: Tx | PrismaClient): Promise<SettingsResponse> {
  const rows = await db.setting.findMany({ where: { key: { in: ALL_KEYS } } });
  const value = (field: Field): unknown => rows.find((row) => row.key === FIELD_KEYS[field])?.value ?? null;
  // A row written by hand with the wrong type reads as unset rather than breaking the page.
  const int = (v: unknown) => (typeof v === "number" && Number.isInteger(v) ? v : null);
  const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);
  const text = (v: unknown) => (typeof v === "string" && v.trim() !== "" ? v : null);
  const updated = rows.reduce<Date | null>((latest, row) => (latest === null || row.updatedAt > latest ? row.updatedAt : latest), null);
  return settingsResponseSchema.parse({
    log_retention_days: int(value("log_retention_days")),
    body_capture_default: typeof value("body_capture_default") === "boolean" ? value("body_capture_default") : null,
    cache_default_ttl_seconds: int(value("cache_default_ttl_seconds")),
    cache_similarity_threshold: num(value("cache_similarity_threshold")),
    alert_webhook_url: text(value("alert_webhook_url")),
    alert_webhook_secret_set: text(value("alert_webhook_secret")) !== null,
    updated_at: updated?.toISOString() ?? null,
  });
}

export async function getSettings(prisma: PrismaClient): Promise<SettingsResponse> {
  return read(prisma);
}

/** Secret-free snapshot for the audit row: the secret only as "set" / "unset". */
function auditSnapshot(settings: SettingsResponse): Record<string, unknown> {
  const { alert_webhook_secret_set, updated_at: _updatedAt, ...rest } = settings;
  return { ...rest, alert_webhook_secret: alert_webhook_secret_set ? "set" : "unset" };
}

export async function updateSettings(prisma: PrismaClient, actor: Actor, input: SettingsUpdate): Promise<SettingsResponse> {
  return mutate(prisma, async (tx) => {
    const before = await read(tx);
    for (const field of Object.keys(FIELD_KEYS) as Field[]) {
      const value = input[field];
      if (value === undefined) continue;
      const key = FIELD_KEYS[field];
      if (value === null) await tx.setting.deleteMany({ where: { key } });
      else await tx.setting.upsert({ where: { key }, create: { key, value: value as Prisma.InputJsonValue }, update: { value: value as Prisma.InputJsonValue } });
    }
    const after = await read(tx);
    const secretChanged = input.alert_webhook_secret !== undefined;
    await audit(tx, actor, {
      action: "update",
      entityType: "settings",
      entityId: "settings",
      entityName: "settings",
      before: auditSnapshot(before),
      // A replaced secret looks "set" before and after; say that it changed, never to what.
      after: { ...auditSnapshot(after), ...(secretChanged ? { alert_webhook_secret: input.alert_webhook_secret === null ? "removed" : "changed" } : {}) },
    });
    return after;
  });
}
