// POST /api/v1/alerts/:id/acknowledge (PRODUCT §5.3, §10): marks an alert as seen.
// Idempotent: a second call answers 200 with the first acknowledgement time.
import type { NextRequest } from "next/server";
import { getPrisma } from "@/lib/db/client";
import { authorize } from "@/lib/rbac/guard";
import { acknowledgeAlert, toApiAlert } from "@/lib/alerts/alerts-query";

export const dynamic = "force-dynamic";

export async function POST(request: NextRequest, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const auth = await authorize(request, "alerts:write");
  if (!auth.ok) return auth.response;
  const { id } = await context.params;
  const principal = auth.principal;
  const actor =
    principal.kind === "user" ? { userId: principal.userId, label: principal.email } : { userId: null, label: "admin-token" };
  const result = await acknowledgeAlert(getPrisma(), id, actor);
  if (result.status === "not_found") {
    return Response.json({ error: { type: "not_found", message: `No alert with id ${id}` } }, { status: 404 });
  }
  return Response.json({ data: toApiAlert(result.alert), already_acknowledged: result.status === "already_acknowledged" });
}
