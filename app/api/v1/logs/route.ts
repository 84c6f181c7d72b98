// GET /api/v1/logs (PRODUCT §10): request logs newest first, filtered, keyset-paginated.
import type { NextRequest } from "next/server";
import { getPrisma } from "@/lib/db/client";
import { authorize } from "@/lib/rbac/guard";
import { logScopeFor } from "@/lib/rbac/log-scope";
import { listRequestLogs, parseLogsQuery, toApiLog } from "@/app/_data/request-logs";

export const dynamic = "force-dynamic";

export async function GET(request: NextRequest): Promise<Response> {
  // Authenticate before validating so anonymous callers learn nothing about the API.
  const auth = await authorize(request, "logs:read");
  if (!auth.ok) return auth.response;
  const query = parseLogsQuery(request.nextUrl.searchParams);
  if (!query.ok) {
    return Response.json(
      { error: { type: "invalid_request", message: "Invalid query parameters", issues: query.issues } },
      { status: 400 },
    );
  }
  const prisma = getPrisma();
  const page = await listRequestLogs(prisma, await logScopeFor(prisma, auth.principal), query.data);
  return Response.json({ data: page.rows.map(toApiLog), next_cursor: page.nextCursor });
}
