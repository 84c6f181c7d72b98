// Where alerts are delivered: environment first (SWITCHYARD_ALERT_WEBHOOK_URL /
// SWITCHYARD_ALERT_WEBHOOK_SECRET), else the `settings` rows `alert_webhook_url` /
// `alert_webhook_secret` (JSON strings) that the dashboard edits. The settings are read at
// delivery time rather than cached: alerts are rare, and an admin who fixes a wrong URL
// expects the next alert to use it without a gateway restart.
import type pg from "pg";

export interface WebhookTarget {
  readonly url?: string;
  readonly secret?: string;
}

export const WEBHOOK_URL_ENV = "SWITCHYARD_ALERT_WEBHOOK_URL";
export const WEBHOOK_SECRET_ENV = "SWITCHYARD_ALERT_WEBHOOK_SECRET";
export const WEBHOOK_URL_SETTING = "alert_webhook_url";
export const WEBHOOK_SECRET_SETTING = "alert_webhook_secret";

/** The environment half, for createAlertMonitor's `webhook` option. */
export function webhookFromEnv(environment: NodeJS.ProcessEnv = process.env): WebhookTarget {
  return {
    url: environment[WEBHOOK_URL_ENV] || undefined,
    secret: environment[WEBHOOK_SECRET_ENV] || undefined,
  };
}

function settingText(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

/** Each of url and secret independently: the configured value wins over the setting. */
export async function resolveWebhookTarget(pool: Pick<pg.Pool, "query">, configured: WebhookTarget): Promise<WebhookTarget> {
  if (configured.url && configured.secret) return configured;
  const { rows } = await pool.query<{ key: string; value: unknown }>(
    "SELECT key, value FROM settings WHERE key = ANY($1::text[])",
    [[WEBHOOK_URL_SETTING, WEBHOOK_SECRET_SETTING]],
  );
  const setting = (key: string) => settingText(rows.find((row) => row.key === key)?.value);
  return {
    url: configured.url || setting(WEBHOOK_URL_SETTING),
    secret: configured.secret || setting(WEBHOOK_SECRET_SETTING),
  };
}
