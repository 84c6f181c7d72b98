// GET /api/v1/logs/live-token: a 5-minute token for ws://GATEWAY/ws?token=… scoped to what the
// caller may see (lib/logs/live-token.ts). Not cached: every answer is a fresh token.
import type { NextRequest } from "next/server";
import { getPrisma } from "@/lib/db/client";
import { issueLiveToken } from "@/lib/logs/live-token";
import { authorize } from "@/lib/rbac/guard";

export const dynamic = "force-dynamic";

export async function GET(request: NextRequest): Promise<Response> {
  const auth = await authorize(request, "logs:read");
  if (!auth.ok) return auth.response;
  const answer = await issueLiveToken(getPrisma(), auth.principal, new URL(request.url));
  return Response.json({ data: answer }, { headers: { "cache-control": "no-store" } });
}
