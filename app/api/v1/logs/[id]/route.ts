// GET /api/v1/logs/:id: one request log with everything the list leaves out (attempts,
// parameter transformations, cost breakdown, metadata) and its bodies when stored and the
// role may read them (`logs:read:bodies`; bodies are redacted when written).
// A log outside the caller's scope is a 404, exactly like a missing one.
import type { NextRequest } from "next/server";
import { getPrisma } from "@/lib/db/client";
import { authorize } from "@/lib/rbac/guard";
import { logScopeFor } from "@/lib/rbac/log-scope";
import { can } from "@/lib/rbac/permissions";
import { toApiLogDetail } from "@/lib/logs/api-shape";
import { getLogDetail } from "@/lib/logs/search";
import { isUuid } from "@/lib/validation/logs";

export const dynamic = "force-dynamic";

export async function GET(request: NextRequest, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const auth = await authorize(request, "logs:read");
  if (!auth.ok) return auth.response;
  const { id } = await params;
  if (!isUuid(id)) {
    return Response.json({ error: { type: "invalid_request", message: "Log ids are UUIDs", issues: [{ path: "id", message: "expected a UUID" }] } }, { status: 400 });
  }
  const prisma = getPrisma();
  const withBody = can(auth.principal.role, "logs:read:bodies");
  const log = await getLogDetail(prisma, await logScopeFor(prisma, auth.principal), id.toLowerCase(), { withBody });
  if (!log) return Response.json({ error: { type: "not_found", message: `No log ${id}` } }, { status: 404 });
  return Response.json({ data: toApiLogDetail(log, withBody) });
}
