// GET /api/v1/alerts (PRODUCT §5.3, §10): budget alerts newest first, for the dashboard.
// Filters: budget_id, acknowledged=true|false, limit (1–200, default 50).
import type { NextRequest } from "next/server";
import { getPrisma } from "@/lib/db/client";
import { authorize } from "@/lib/rbac/guard";
import { listAlerts, parseAlertsQuery, toApiAlert } from "@/lib/alerts/alerts-query";

export const dynamic = "force-dynamic";

export async function GET(request: NextRequest): Promise<Response> {
  // Authenticate before validating so anonymous callers learn nothing about the API.
  const auth = await authorize(request, "alerts:read");
  if (!auth.ok) return auth.response;
  const query = parseAlertsQuery(request.nextUrl.searchParams);
  if (!query.ok) {
    return Response.json(
      { error: { type: "invalid_request", message: "Invalid query parameters", issues: query.issues } },
      { status: 400 },
    );
  }
  const rows = await listAlerts(getPrisma(), query.data);
  return Response.json({ data: rows.map(toApiAlert) });
}
