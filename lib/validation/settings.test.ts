import { describe, expect, it } from "vitest";
import { WEBHOOK_SECRET_SETTING, WEBHOOK_URL_SETTING } from "../../gateway/alerts/webhook-config";
import { SETTING_KEYS, settingsUpdateSchema } from "./settings";

describe("settings", () => {
  it("stores the webhook under the keys the gateway reads", () => {
    expect(SETTING_KEYS.alertWebhookUrl).toBe(WEBHOOK_URL_SETTING);
    expect(SETTING_KEYS.alertWebhookSecret).toBe(WEBHOOK_SECRET_SETTING);
  });

  it("accepts partial updates and null resets, rejects bad values and unknown keys", () => {
    expect(settingsUpdateSchema.safeParse({}).success).toBe(true);
    expect(settingsUpdateSchema.safeParse({ log_retention_days: null, alert_webhook_url: "https://hooks.example.com/x" }).success).toBe(true);
    for (const bad of [{ log_retention_days: 0 }, { log_retention_days: 1.5 }, { cache_similarity_threshold: 0 }, { alert_webhook_url: "ftp://x" }, { alert_webhook_secret: "short" }, { retention: 30 }]) {
      expect(settingsUpdateSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});
