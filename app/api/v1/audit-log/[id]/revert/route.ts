// POST /api/v1/audit-log/:id/revert: roll back one change of a routing rule or a virtual key
// (an update gets its earlier state back; a creation is deleted / revoked). lib/admin/revert-change.ts.
import { revertAuditEntry } from "@/lib/admin/revert-change";
import { handleAdmin, type IdParams } from "../../../_lib/admin-handler";

export const dynamic = "force-dynamic";

export async function POST(request: Request, { params }: IdParams): Promise<Response> {
  const { id } = await params;
  return handleAdmin(request, "audit:revert", async ({ prisma, actor }) => ({ data: await revertAuditEntry(prisma, actor, id) }));
}
