// GET /api/v1/cache?hours=24 — hits, misses and savings per cache namespace (PRODUCT §6).
// DELETE /api/v1/cache?namespace=NS — clears a namespace in every gateway replica.
import { parseQuery } from "@/lib/admin/errors";
import { cacheClearQuerySchema, cacheStatsQuerySchema } from "@/lib/validation/cache";
import { handleAdmin } from "../_lib/admin-handler";
import { cacheStats, invalidateCache } from "./cache-admin";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  return handleAdmin(request, "cache:read", async ({ prisma }) => {
    const query = parseQuery(cacheStatsQuerySchema, new URL(request.url).searchParams);
    return { data: await cacheStats(prisma, query.hours ?? 24) };
  });
}

export async function DELETE(request: Request): Promise<Response> {
  return handleAdmin(request, "cache:write", async ({ prisma, actor }) => {
    const query = parseQuery(cacheClearQuerySchema, new URL(request.url).searchParams);
    return { data: await invalidateCache(prisma, actor, { namespace: query.namespace }) };
  });
}
