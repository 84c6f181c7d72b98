// Short-lived tokens the dashboard signs and the gateway verifies: for the dashboard's
// calls to gateway-internal endpoints (routing explain) and, later, for browsers opening
// the live-log socket. HMAC-SHA256 over a JSON payload with an expiry.
//
// The signing key lives in the `settings` table (generated once), not in a file, because
// gateway replicas started with `npm run gateway` share the database but not a data dir.
// Anyone who can read the database can mint tokens; that is no more than they can
// already do there.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export const INTERNAL_SIGNING_SETTING = "internal_signing_key";

/** What a token grants. `role` is the RBAC role of the user it was issued for. */
export interface InternalTokenClaims {
  /** Subject: a user id, or "dashboard" for server-to-server calls. */
  sub: string;
  role: "owner" | "admin" | "team_admin" | "member" | "viewer";
  /** Purpose, so a log-socket token cannot call explain and vice versa. */
  aud: "gateway-admin" | "live-logs";
  /** Team ids the subject may see (team_admin / member scoping). */
  teams?: string[];
  /** Expiry, seconds since the epoch. */
  exp: number;
}

export function generateSigningKey(): string {
  return randomBytes(32).toString("base64url");
}

export function signInternalToken(key: string, claims: Omit<InternalTokenClaims, "exp">, ttlSeconds: number, nowMs = Date.now()): string {
  const payload = Buffer.from(JSON.stringify({ ...claims, exp: Math.floor(nowMs / 1000) + ttlSeconds })).toString("base64url");
  const signature = createHmac("sha256", key).update(payload).digest("base64url");
  return `${payload}.${signature}`;
}

/** Returns the claims, or null when the token is malformed, forged, expired or for another audience. */
export function verifyInternalToken(
  key: string,
  token: string,
  audience: InternalTokenClaims["aud"],
  nowMs = Date.now(),
): InternalTokenClaims | null {
  const [payload, signature, extra] = token.split(".");
  if (!payload || !signature || extra !== undefined) return null;
  const expected = createHmac("sha256", key).update(payload).digest();
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let claims: InternalTokenClaims;
  try {
    claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as InternalTokenClaims;
  } catch {
    return null;
  }
  if (claims.aud !== audience || typeof claims.exp !== "number" || claims.exp * 1000 <= nowMs) return null;
  return claims;
}
