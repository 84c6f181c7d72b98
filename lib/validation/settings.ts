// Dashboard settings (PRODUCT §8), one `settings` row per key with a JSON value. The alert
// webhook keys are the ones the gateway reads at delivery time (gateway/alerts/
// webhook-config.ts; settings.test.ts keeps the names in step). The webhook secret is
// write-only: the API answers whether one is set, never its value.
import { z } from "zod";
import { MAX_CACHE_TTL_SECONDS } from "./cache";

export const SETTING_KEYS = {
  logRetentionDays: "log_retention_days",
  bodyCaptureDefault: "body_capture_default",
  cacheDefaultTtlSeconds: "cache_default_ttl_seconds",
  cacheSimilarityThreshold: "cache_similarity_threshold",
  alertWebhookUrl: "alert_webhook_url",
  alertWebhookSecret: "alert_webhook_secret",
} as const;

export const MAX_LOG_RETENTION_DAYS = 3650;

const webhookUrl = z
  .url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" })
  .max(2048);

/**
 * PUT body: every field optional (absent = unchanged), null = back to the built-in default
 * (for the secret: remove it). Unknown fields are a 400, so a typo never silently no-ops.
 */
export const settingsUpdateSchema = z.strictObject({
  log_retention_days: z.int().min(1).max(MAX_LOG_RETENTION_DAYS).nullable().optional(),
  body_capture_default: z.boolean().nullable().optional(),
  cache_default_ttl_seconds: z.int().min(1).max(MAX_CACHE_TTL_SECONDS).nullable().optional(),
  cache_similarity_threshold: z.number().gt(0).max(1).nullable().optional(),
  alert_webhook_url: webhookUrl.nullable().optional(),
  alert_webhook_secret: z.string().min(8, { error: "must be at least 8 characters" }).max(512).nullable().optional(),
});
export type SettingsUpdate = z.output<typeof settingsUpdateSchema>;

export const settingsResponseSchema = z.strictObject({
  log_retention_days: z.int().nullable(),
  body_capture_default: z.boolean().nullable(),
  cache_default_ttl_seconds: z.int().nullable(),
  cache_similarity_threshold: z.number().nullable(),
  alert_webhook_url: z.string().nullable(),
  /** Whether a webhook secret is stored; the secret itself never leaves the server. */
  alert_webhook_secret_set: z.boolean(),
  updated_at: z.string().nullable(),
});
export type SettingsResponse = z.output<typeof settingsResponseSchema>;

/**
 * The `settings:` section of a config file (PRODUCT §9.2): the cache and logging defaults and
 * the alert webhook URL. The webhook secret is not part of a file; it has
 * SWITCHYARD_ALERT_WEBHOOK_SECRET and the Settings page. Fields a file leaves out are kept
 * (reset with `apply --prune`).
 */
export const configSettingsSchema = settingsUpdateSchema.omit({ alert_webhook_secret: true }).extend({
  log_retention_days: z.int().min(1).max(MAX_LOG_RETENTION_DAYS).optional(),
  body_capture_default: z.boolean().optional(),
  cache_default_ttl_seconds: z.int().min(1).max(MAX_CACHE_TTL_SECONDS).optional(),
  cache_similarity_threshold: z.number().gt(0).max(1).optional(),
  alert_webhook_url: webhookUrl.optional(),
});
export type ConfigSettings = z.output<typeof configSettingsSchema>;

/** Config-file field → settings row key. */
export const CONFIG_SETTING_KEYS = {
  log_retention_days: SETTING_KEYS.logRetentionDays,
  body_capture_default: SETTING_KEYS.bodyCaptureDefault,
  cache_default_ttl_seconds: SETTING_KEYS.cacheDefaultTtlSeconds,
  cache_similarity_threshold: SETTING_KEYS.cacheSimilarityThreshold,
  alert_webhook_url: SETTING_KEYS.alertWebhookUrl,
} as const satisfies Record<keyof ConfigSettings, string>;
