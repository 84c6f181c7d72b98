// GET /api/v1/audit-log/facets: the entity types and actions that occur, for filter menus.
import { auditFacets } from "@/lib/admin/audit";
import { handleAdmin } from "../../_lib/admin-handler";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  return handleAdmin(request, "audit:read", async ({ prisma }) => ({ data: await auditFacets(prisma) }));
}
