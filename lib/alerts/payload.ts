// The budget alert webhook (PRODUCT §5.3, issue 4 item 7): what the gateway POSTs when a
// budget crosses one of its alert thresholds. Shared by the sender (gateway/alerts) and by
// receivers written in TypeScript, so both sides agree on field names without a copy.

export const ALERT_EVENT_TYPE = "budget.threshold_crossed" as const;

/** Request headers of a webhook delivery. Lower-case, as `Headers` reports them. */
export const ALERT_HEADERS = {
  event: "x-switchyard-event",
  /** The alert id: the same for every retry of one alert, so receivers can deduplicate. */
  delivery: "x-switchyard-delivery",
  /** Unix seconds when this attempt was signed; part of the signed text (replay window). */
  timestamp: "x-switchyard-timestamp",
  /** `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`; absent when no secret is set. */
  signature: "x-switchyard-signature",
} as const;

export interface AlertWebhookPayload {
  type: typeof ALERT_EVENT_TYPE;
  alert_id: string;
  budget_id: string;
  entity: {
    /** customer | team | virtual_key | user | provider | model */
    type: string;
    id: string;
    name: string | null;
  };
  /** `<n><unit>`, e.g. 1d or 1M. */
  window: string;
  /** ISO 8601 (UTC). */
  window_start: string;
  /** When the window resets (ISO 8601, UTC). */
  window_end: string;
  /** The threshold crossed, in percent of the limit (e.g. 80). */
  threshold_percent: number;
  used_usd: number;
  limit_usd: number | null;
  used_tokens: number;
  limit_tokens: number | null;
  /** ISO 8601 (UTC). */
  triggered_at: string;
}
