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
