// GET /api/v1/audit-log: every admin change, newest first (PRODUCT §8). Filters: actor
// (substring of the actor label), entity_type, action, entity_id, from / to (ISO times,
// to exclusive), limit (1–200, default 50), cursor (next_cursor of the previous page).
// Owners and admins only (audit:read).
import { parseQuery } from "@/lib/admin/errors";
import { listAuditLog } from "@/lib/admin/audit";
import { auditQuerySchema } from "@/lib/validation/audit";
import { handleAdmin } from "../_lib/admin-handler";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  return handleAdmin(request, "audit:read", async ({ prisma }) => {
    const query = parseQuery(auditQuerySchema, new URL(request.url).searchParams);
    return { body: await listAuditLog(prisma, query) };
  });
}
