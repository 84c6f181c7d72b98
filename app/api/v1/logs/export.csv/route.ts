// GET /api/v1/logs/export.csv: the log search of GET /api/v1/logs as a streamed CSV
// attachment, newest first, at most 100,000 rows (`limit` lowers the cap). Same filters,
// same RBAC scope and the same 7-day default time bound.
import type { NextRequest } from "next/server";
import { getPrisma } from "@/lib/db/client";
import { authorize } from "@/lib/rbac/guard";
import { exportLogsFor } from "@/lib/logs/export";

export const dynamic = "force-dynamic";

export async function GET(request: NextRequest): Promise<Response> {
  const auth = await authorize(request, "logs:read");
  if (!auth.ok) return auth.response;
  return exportLogsFor(getPrisma(), auth.principal, request.nextUrl.searchParams);
}
