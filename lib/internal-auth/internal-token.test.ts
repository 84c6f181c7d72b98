import { describe, expect, it } from "vitest";
import { generateSigningKey, signInternalToken, verifyInternalToken } from "./internal-token";

describe("internal tokens", () => {
  const key = generateSigningKey();
  const now = Date.parse("2026-11-23T12:00:00Z");

  it("round-trips claims for the right audience before expiry", () => {
    const token = signInternalToken(key, { sub: "u1", role: "member", aud: "live-logs", teams: ["t1"] }, 60, now);
    expect(verifyInternalToken(key, token, "live-logs", now + 59_000)).toMatchObject({ sub: "u1", role: "member", teams: ["t1"] });
  });

  it("rejects expiry, another audience, another key and tampering", () => {
    const token = signInternalToken(key, { sub: "u1", role: "admin", aud: "gateway-admin" }, 60, now);
    expect(verifyInternalToken(key, token, "gateway-admin", now + 60_000)).toBeNull();
    expect(verifyInternalToken(key, token, "live-logs", now)).toBeNull();
    expect(verifyInternalToken(generateSigningKey(), token, "gateway-admin", now)).toBeNull();
    const [payload, signature] = token.split(".");
    const forged = Buffer.from(JSON.stringify({ sub: "u1", role: "owner", aud: "gateway-admin", exp: 9e9 })).toString("base64url");
    expect(verifyInternalToken(key, `${forged}.${signature}`, "gateway-admin", now)).toBeNull();
    expect(verifyInternalToken(key, `${payload}`, "gateway-admin", now)).toBeNull();
    expect(verifyInternalToken(key, "garbage", "gateway-admin", now)).toBeNull();
  });
});
