// GET /api/v1/usage (PRODUCT §7.4, §10): requests, errors, tokens, cost, cache hits and
// average latency per time bucket and optional dimension, from usage_rollups; `format=csv`
// for a spreadsheet. Scoped like the logs: a member sees their keys, a team admin their
// teams (and own keys), owner / admin / viewer everything.
import type { NextRequest } from "next/server";
import { getPrisma } from "@/lib/db/client";
import { authorize } from "@/lib/rbac/guard";
import { logScopeFor } from "@/lib/rbac/log-scope";
import { getUsage, resolveUsageQuery, usageCsvResponse } from "@/lib/logs/usage";
import { parseUsageQuery } from "@/lib/validation/usage";
import { invalidQueryResponse } from "@/lib/validation/query-params";

export const dynamic = "force-dynamic";

export async function GET(request: NextRequest): Promise<Response> {
  const auth = await authorize(request, "usage:read");
  if (!auth.ok) return auth.response;
  const parsed = parseUsageQuery(request.nextUrl.searchParams);
  if (!parsed.ok) return invalidQueryResponse(parsed.issues);
  const resolved = resolveUsageQuery(parsed.data);
  if (!resolved.ok) return invalidQueryResponse(resolved.issues);
  const prisma = getPrisma();
  // usage:read:all and logs:read:all go to the same roles, so the log scope is the usage scope.
  const report = await getUsage(prisma, await logScopeFor(prisma, auth.principal), resolved.value);
  return parsed.data.format === "csv" ? usageCsvResponse(report) : Response.json(report);
}
