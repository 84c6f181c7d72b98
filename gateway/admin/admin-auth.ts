// Who may call the gateway's /admin/* endpoints: the operator's SWITCHYARD_ADMIN_TOKEN
// (compared in constant time; the path is closed to it when the variable is unset), or a
// short-lived internal token the dashboard signed for a signed-in user (lib/internal-auth,
// audience "gateway-admin") whose role is owner or admin. Anything else is 401 (no or bad
// credentials) or 403 (a valid token for a role that may not administer routing), in the
// OpenAI error shape like every other gateway error.
//
// The signing key lives in the settings table. It is loaded at start and cached; a token
// that does not verify triggers one reload (at most every few seconds), because a key
// created by the dashboard after this gateway started must not lock the dashboard out.
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type pg from "pg";
import { verifyInternalToken, type InternalTokenClaims } from "../../lib/internal-auth/internal-token";
import { loadSigningKey } from "../../lib/internal-auth/signing-key";
import { GatewayError } from "../errors";

export interface AdminPrincipal {
  readonly subject: string;
  readonly role: InternalTokenClaims["role"] | "admin-token";
}

/** A bearer token resolved without an audience check of its role: the admin token, or verified claims. */
export type VerifiedToken = { readonly kind: "admin-token" } | { readonly kind: "internal"; readonly claims: InternalTokenClaims };

export interface AdminAuthenticator {
  /** Resolves the caller, or throws a 401 / 403 GatewayError. */
  authenticate(headers: IncomingHttpHeaders): Promise<AdminPrincipal>;
  /** The admin token, or a dashboard-signed token for `audience`; null when neither. */
  verifyToken(token: string, audience: InternalTokenClaims["aud"]): Promise<VerifiedToken | null>;
}

export interface AdminAuthOptions {
  readonly pool: Pick<pg.Pool, "query">;
  /** SWITCHYARD_ADMIN_TOKEN; undefined disables the static token. */
  readonly adminToken: string | undefined;
  readonly log: (message: string) => void;
  /** Minimum time between two key reloads triggered by failed verifications. */
  readonly reloadIntervalMs?: number;
}

const ADMIN_ROLES: ReadonlySet<string> = new Set(["owner", "admin"]);
const DEFAULT_RELOAD_INTERVAL_MS = 5_000;

function unauthorized(message: string): GatewayError {
  return new GatewayError({ status: 401, type: "invalid_request_error", code: "invalid_admin_token", message, source: "gateway" });
}

function forbidden(role: string): GatewayError {
  return new GatewayError({ status: 403, type: "permission_error", code: "insufficient_role", message: `The role '${role}' may not use the gateway's admin endpoints (owner or admin required).`, source: "gateway" });
}

function bearer(headers: IncomingHttpHeaders): string | null {
  const value = headers.authorization;
  const match = /^Bearer\s+(.+)$/i.exec((Array.isArray(value) ? value[0] : value)?.trim() ?? "");
  return match?.[1]?.trim() || null;
}

/** Constant time regardless of where the strings differ or how long they are. */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

export function createAdminAuthenticator(options: AdminAuthOptions): AdminAuthenticator & { preload(): Promise<void> } {
  const reloadIntervalMs = options.reloadIntervalMs ?? DEFAULT_RELOAD_INTERVAL_MS;
  let key: string | null = null;
  let loading: Promise<string | null> | null = null;
  let lastLoadMs = -Infinity;

  function load(): Promise<string | null> {
    loading ??= loadSigningKey(options.pool)
      .then(
        (loaded) => (key = loaded),
        (error: unknown) => {
          options.log(`admin auth: could not load the internal signing key: ${(error as Error)?.message ?? String(error)}`);
          return key;
        },
      )
      .finally(() => {
        lastLoadMs = Date.now();
        loading = null;
      });
    return loading;
  }

  async function verify(token: string, audience: InternalTokenClaims["aud"]): Promise<InternalTokenClaims | null> {
    const cached = key ?? (await load());
    const claims = cached === null ? null : verifyInternalToken(cached, token, audience);
    if (claims || Date.now() - lastLoadMs < reloadIntervalMs) return claims;
    const reloaded = await load();
    return reloaded === null || reloaded === cached ? null : verifyInternalToken(reloaded, token, audience);
  }

  return {
    async preload() {
      await load();
    },
    async authenticate(headers) {
      const token = bearer(headers);
      if (token === null) throw unauthorized("Missing admin credentials: send Authorization: Bearer <SWITCHYARD_ADMIN_TOKEN or a dashboard-issued token>.");
      if (options.adminToken && sameSecret(token, options.adminToken)) return { subject: "admin-token", role: "admin-token" };
      const claims = await verify(token, "gateway-admin");
      if (!claims) throw unauthorized("Invalid, expired or wrong-audience admin token.");
      if (!ADMIN_ROLES.has(claims.role)) throw forbidden(claims.role);
      return { subject: claims.sub, role: claims.role };
    },
    async verifyToken(token, audience) {
      if (options.adminToken && sameSecret(token, options.adminToken)) return { kind: "admin-token" };
      const claims = await verify(token, audience);
      return claims ? { kind: "internal", claims } : null;
    },
  };
}
