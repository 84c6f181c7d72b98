import { describe, expect, it } from "vitest";
import { ALERT_HEADERS } from "./payload";
import { signAlertPayload, verifyAlertSignature } from "./signature";

const SECRET = "whsec-test";
const NOW_MS = Date.UTC(2026, 0, 15, 12, 0, 0);
const NOW_S = NOW_MS / 1000;
const BODY = JSON.stringify({ type: "budget.threshold_crossed", alert_id: "a1", threshold_percent: 80 });

function headersFor(signature: string, timestamp: number | string): Headers {
  return new Headers({ [ALERT_HEADERS.signature]: signature, [ALERT_HEADERS.timestamp]: String(timestamp) });
}

describe("signAlertPayload", () => {
  it("is the hex HMAC-SHA256 of '<timestamp>.<body>'", () => {
    // Computed independently: printf '1700000000.{}' | openssl dgst -sha256 -hmac k
    expect(signAlertPayload("k", 1_700_000_000, "{}")).toBe(
      "sha256=c6ef4734033cee2367414a0939385eca0397754aa7a59716da7463a9298b5146",
    );
  });
});

describe("verifyAlertSignature", () => {
  const valid = headersFor(signAlertPayload(SECRET, NOW_S, BODY), NOW_S);

  it("accepts a genuine delivery", () => {
    expect(verifyAlertSignature(SECRET, valid, BODY, 300, NOW_MS)).toEqual({ ok: true, timestamp: NOW_S });
  });

  it("accepts Node's plain header object too", () => {
    const plain = { [ALERT_HEADERS.signature]: valid.get(ALERT_HEADERS.signature)!, [ALERT_HEADERS.timestamp]: String(NOW_S) };
    expect(verifyAlertSignature(SECRET, plain, BODY, 300, NOW_MS).ok).toBe(true);
  });

  it("rejects a tampered body", () => {
    const tampered = BODY.replace('"threshold_percent":80', '"threshold_percent":81');
    expect(verifyAlertSignature(SECRET, valid, tampered, 300, NOW_MS)).toEqual({ ok: false, reason: "mismatch" });
  });

  it("rejects a wrong secret", () => {
    expect(verifyAlertSignature("other-secret", valid, BODY, 300, NOW_MS)).toEqual({ ok: false, reason: "mismatch" });
  });

  it("rejects a timestamp swapped for a fresh one (the timestamp is signed)", () => {
    const swapped = headersFor(valid.get(ALERT_HEADERS.signature)!, NOW_S + 10);
    expect(verifyAlertSignature(SECRET, swapped, BODY, 300, NOW_MS)).toEqual({ ok: false, reason: "mismatch" });
  });

  it("rejects stale and future timestamps beyond the tolerance", () => {
    const old = NOW_S - 301;
    const stale = headersFor(signAlertPayload(SECRET, old, BODY), old);
    expect(verifyAlertSignature(SECRET, stale, BODY, 300, NOW_MS)).toEqual({ ok: false, reason: "stale_timestamp" });
    const ahead = NOW_S + 301;
    const future = headersFor(signAlertPayload(SECRET, ahead, BODY), ahead);
    expect(verifyAlertSignature(SECRET, future, BODY, 300, NOW_MS)).toEqual({ ok: false, reason: "stale_timestamp" });
    // Just inside the window still passes.
    const edge = NOW_S - 300;
    expect(verifyAlertSignature(SECRET, headersFor(signAlertPayload(SECRET, edge, BODY), edge), BODY, 300, NOW_MS).ok).toBe(true);
  });

  it("rejects missing and malformed headers", () => {
    expect(verifyAlertSignature(SECRET, new Headers(), BODY, 300, NOW_MS)).toEqual({ ok: false, reason: "missing_signature" });
    expect(verifyAlertSignature(SECRET, new Headers({ [ALERT_HEADERS.signature]: "sha256=00" }), BODY, 300, NOW_MS)).toEqual({
      ok: false,
      reason: "missing_timestamp",
    });
    expect(verifyAlertSignature(SECRET, headersFor("sha256=zz", NOW_S), BODY, 300, NOW_MS)).toEqual({ ok: false, reason: "malformed" });
    expect(verifyAlertSignature(SECRET, headersFor("md5=" + "0".repeat(64), NOW_S), BODY, 300, NOW_MS)).toEqual({
      ok: false,
      reason: "malformed",
    });
    const sig = valid.get(ALERT_HEADERS.signature)!;
    expect(verifyAlertSignature(SECRET, headersFor(sig, "12abc"), BODY, 300, NOW_MS)).toEqual({ ok: false, reason: "malformed" });
  });
});
