// GET /api/v1/logs/live-token: a short-lived token for the gateway's live-log socket
// (PRODUCT §10), signed for the signed-in user with what their role may see (the same scope
// as lib/rbac/log-scope.ts: a team admin their teams plus their own keys, a member their own
// keys, everyone else all), and the socket URL a browser should open.
import type { PrismaClient } from "../db/client";
import { env, requireDatabaseUrl } from "../env";
import { signingKeyFor } from "../internal-auth/dashboard-signing-key";
import { signInternalToken } from "../internal-auth/internal-token";
import type { Principal } from "../rbac/guard";
import { logScopeFor } from "../rbac/log-scope";

/** Long enough for a page view to connect; the dashboard renews over the socket before expiry. */
export const LIVE_TOKEN_TTL_SECONDS = 300;

export interface LiveTokenAnswer {
  token: string;
  expires_at: string;
  /** ws(s)://…/ws, without the token. */
  url: string;
}

/**
 * Where browsers reach the gateway: SWITCHYARD_GATEWAY_PUBLIC_URL when set (behind a proxy or
 * on another host), else the host the dashboard was opened on with GATEWAY_PORT.
 */
export function liveSocketUrl(requestUrl: URL): string {
  const configured = process.env.SWITCHYARD_GATEWAY_PUBLIC_URL?.trim();
  const base = configured ? new URL(configured) : new URL(`${requestUrl.protocol}//${requestUrl.hostname}:${env.gatewayPort}`);
  const protocol = base.protocol === "https:" ? "wss:" : "ws:";
  return `${protocol}//${base.host}${base.pathname.replace(/\/+$/, "")}/ws`;
}

export async function issueLiveToken(prisma: PrismaClient, principal: Principal, requestUrl: URL, nowMs = Date.now()): Promise<LiveTokenAnswer> {
  const key = await signingKeyFor(requireDatabaseUrl());
  const scope = await logScopeFor(prisma, principal);
  const sub = principal.kind === "user" ? principal.userId : "admin-token";
  const teams = scope.kind === "restricted" ? scope.teamIds : undefined;
  const token = signInternalToken(key, { sub, role: principal.role, aud: "live-logs", ...(teams && teams.length > 0 ? { teams } : {}) }, LIVE_TOKEN_TTL_SECONDS, nowMs);
  return {
    token,
    expires_at: new Date(Math.floor(nowMs / 1000) * 1000 + LIVE_TOKEN_TTL_SECONDS * 1000).toISOString(),
    url: liveSocketUrl(requestUrl),
  };
}
