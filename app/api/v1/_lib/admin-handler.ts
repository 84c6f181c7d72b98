// The one wrapper every admin REST handler goes through (PRODUCT §10): authenticate, check
// the permission matrix (STYLE §7), run a lib/admin service, and map AdminError to
// `{ "error": { "code", "message", "issues"? } }`. Handlers stay one call long.
import { getPrisma, type PrismaClient } from "@/lib/db/client";
import { actorOf, type Actor } from "@/lib/admin/actor";
import { AdminError } from "@/lib/admin/errors";
import { authenticate } from "@/lib/rbac/guard";
import { can, type Action } from "@/lib/rbac/permissions";

export interface AdminContext {
  actor: Actor;
  prisma: PrismaClient;
}

/** What a service call answers: `data` for 200, or an explicit status (201 on create). */
export type AdminResult = { data: unknown; status?: number } | { body: unknown; status?: number };

export async function handleAdmin(request: Request, action: Action, run: (ctx: AdminContext) => Promise<AdminResult>): Promise<Response> {
  try {
    // RBAC before anything else: an anonymous caller learns nothing, not even validation errors.
    const principal = await authenticate(request);
    if (!principal) throw new AdminError("unauthenticated", "Sign in or send Authorization: Bearer <SWITCHYARD_ADMIN_TOKEN>");
    if (!can(principal.role, action)) throw new AdminError("forbidden", `Your role (${principal.role}) may not ${action}`);
    const result = await run({ actor: actorOf(principal), prisma: getPrisma() });
    const body = "body" in result ? result.body : { data: result.data };
    return Response.json(body, { status: result.status ?? 200 });
  } catch (error) {
    if (error instanceof AdminError) {
      return Response.json(error.toJSON(), {
        status: error.status,
        headers: error.status === 401 ? { "www-authenticate": 'Bearer realm="switchyard"' } : undefined,
      });
    }
    throw error;
  }
}

/** The JSON body; a malformed one is a 400, not a 500. */
export async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AdminError("invalid_request", "The request body is not valid JSON");
  }
}

export type IdParams = { params: Promise<{ id: string }> };
