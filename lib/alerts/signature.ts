// HMAC signatures of alert webhooks. The signed text is "<timestamp>.<raw body>": binding
// the timestamp into the MAC lets a receiver reject replays of an old delivery, and signing
// the raw bytes (not re-serialized JSON) means key order or whitespace can never make a
// genuine delivery fail verification. Same scheme as Stripe's and Slack's webhooks.
import { createHmac, timingSafeEqual } from "node:crypto";
import { ALERT_HEADERS } from "./payload";

const SIGNATURE_PREFIX = "sha256=";
const HEX_SHA256 = /^[0-9a-f]{64}$/;

/** `sha256=<hex>` for the `x-switchyard-signature` header. `timestamp` is Unix seconds. */
export function signAlertPayload(secret: string, timestamp: number, body: string): string {
  const mac = createHmac("sha256", secret).update(`${timestamp}.${body}`, "utf8").digest("hex");
  return `${SIGNATURE_PREFIX}${mac}`;
}

export type VerifyAlertResult =
  | { ok: true; timestamp: number }
  | { ok: false; reason: "missing_signature" | "missing_timestamp" | "malformed" | "stale_timestamp" | "mismatch" };

/** Anything that can look up a header: a fetch `Headers`, or Node's lower-cased header object. */
export type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined;
  const value = (headers as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Checks a delivery's signature against the raw request body. Rejects timestamps more than
 * `toleranceSeconds` away from `nowMs` in either direction (clock skew works both ways).
 * The MAC comparison is constant-time, so timing reveals nothing about the expected value.
 */
export function verifyAlertSignature(
  secret: string,
  headers: HeaderSource,
  body: string,
  toleranceSeconds = 300,
  nowMs: number = Date.now(),
): VerifyAlertResult {
  const signature = header(headers, ALERT_HEADERS.signature);
  if (!signature) return { ok: false, reason: "missing_signature" };
  const rawTimestamp = header(headers, ALERT_HEADERS.timestamp);
  if (!rawTimestamp) return { ok: false, reason: "missing_timestamp" };
  if (!/^\d{1,12}$/.test(rawTimestamp)) return { ok: false, reason: "malformed" };
  const timestamp = Number(rawTimestamp);
  if (!signature.startsWith(SIGNATURE_PREFIX) || !HEX_SHA256.test(signature.slice(SIGNATURE_PREFIX.length))) {
    return { ok: false, reason: "malformed" };
  }
  if (Math.abs(nowMs / 1000 - timestamp) > toleranceSeconds) return { ok: false, reason: "stale_timestamp" };
  const expected = Buffer.from(signAlertPayload(secret, timestamp, body).slice(SIGNATURE_PREFIX.length), "hex");
  const presented = Buffer.from(signature.slice(SIGNATURE_PREFIX.length), "hex");
  // Both are 32 bytes (checked by HEX_SHA256 above), as timingSafeEqual requires.
  return timingSafeEqual(expected, presented) ? { ok: true, timestamp } : { ok: false, reason: "mismatch" };
}
