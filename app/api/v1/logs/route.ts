// GET /api/v1/logs (PRODUCT §7.4, §10): request logs newest first, filtered, keyset-paginated;
// `?format=csv` streams the same search as CSV (see export.csv/route.ts).
// Without `from` the search covers the last 7 days (every page, cursor or not), so each query is
// bounded in time and only touches the daily partitions it needs.
import type { NextRequest } from "next/server";
import { getPrisma } from "@/lib/db/client";
import { authorize } from "@/lib/rbac/guard";
import { logScopeFor } from "@/lib/rbac/log-scope";
import { toApiLog } from "@/lib/logs/api-shape";
import { exportLogsFor } from "@/lib/logs/export";
import { searchLogs, withDefaultTimeBound } from "@/lib/logs/search";
import { parseLogsQuery } from "@/lib/validation/logs";
import { invalidQueryResponse } from "@/lib/validation/query-params";

export const dynamic = "force-dynamic";

export async function GET(request: NextRequest): Promise<Response> {
  // Authenticate before validating so anonymous callers learn nothing about the API.
  const auth = await authorize(request, "logs:read");
  if (!auth.ok) return auth.response;
  if (request.nextUrl.searchParams.get("format") === "csv") return exportLogsFor(getPrisma(), auth.principal, request.nextUrl.searchParams);
  const query = parseLogsQuery(request.nextUrl.searchParams);
  if (!query.ok) return invalidQueryResponse(query.issues);
  const { format: _format, ...filters } = withDefaultTimeBound(query.data);
  const prisma = getPrisma();
  const page = await searchLogs(prisma, await logScopeFor(prisma, auth.principal), filters);
  return Response.json({
    data: page.rows.map(toApiLog),
    next_cursor: page.nextCursor,
    // The time bound actually applied (from may be the 7-day default).
    from: filters.from?.toISOString() ?? null,
    to: filters.to?.toISOString() ?? null,
  });
}
