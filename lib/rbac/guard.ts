// Server-side guard for admin API route handlers (PRODUCT §10): a signed-in next-auth
// session, or `Authorization: Bearer $SWITCHYARD_ADMIN_TOKEN` with admin rights.
import { getServerSession } from "next-auth";
import { env } from "../env";
import { getAuthOptions } from "../auth/options";
import { bearerToken, isAdminToken } from "./admin-token";
import { can, isRole, type Action, type Role } from "./permissions";

export type Principal =
  | { kind: "user"; userId: string; email: string; name: string | null; role: Role }
  | { kind: "admin-token"; role: "admin" };

/** The signed-in user of the current request (server components, actions, handlers). */
export async function getSessionPrincipal(): Promise<Extract<Principal, { kind: "user" }> | null> {
  const session = await getServerSession(getAuthOptions());
  const user = session?.user;
  if (!user?.id || !isRole(user.role)) return null;
  return { kind: "user", userId: user.id, email: user.email, name: user.name, role: user.role };
}

export async function authenticate(request: Request): Promise<Principal | null> {
  const token = bearerToken(request.headers.get("authorization"));
  if (token !== undefined) {
    // A client that sent a bearer token meant to use it; falling back to a cookie
    // would hide a wrong or revoked token behind whoever is signed in in that browser.
    return isAdminToken(token, env.adminToken) ? { kind: "admin-token", role: "admin" } : null;
  }
  return getSessionPrincipal();
}

export type AuthorizeResult = { ok: true; principal: Principal } | { ok: false; response: Response };

function errorResponse(status: 401 | 403, message: string): Response {
  return Response.json(
    { error: { type: status === 401 ? "unauthenticated" : "forbidden", message } },
    { status, headers: status === 401 ? { "www-authenticate": 'Bearer realm="switchyard"' } : undefined },
  );
}

export async function authorize(request: Request, action: Action): Promise<AuthorizeResult> {
  const principal = await authenticate(request);
  if (!principal) return { ok: false, response: errorResponse(401, "Sign in or send Authorization: Bearer <SWITCHYARD_ADMIN_TOKEN>") };
  if (!can(principal.role, action)) return { ok: false, response: errorResponse(403, `Your role may not ${action}`) };
  return { ok: true, principal };
}
