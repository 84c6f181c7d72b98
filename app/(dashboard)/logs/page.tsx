import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { LogsEmptyState } from "@/components/logs/logs-empty-state";
import { LogsTable } from "@/components/logs/logs-table";
import { getPrisma } from "@/lib/db/client";
import { logScopeFor } from "@/lib/rbac/log-scope";
import { can } from "@/lib/rbac/permissions";
import { requirePageSession } from "@/app/_data/page-session";
import { decodeCursor, listRequestLogs } from "@/app/_data/request-logs";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Logs" };

const PAGE_SIZE = 50;

export default async function LogsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { user } = await requirePageSession();
  const rawCursor = (await searchParams).cursor;
  // A stale or hand-edited cursor just starts from the newest page.
  const cursor = typeof rawCursor === "string" ? decodeCursor(rawCursor) : undefined;
  const prisma = getPrisma();
  const page = await listRequestLogs(prisma, await logScopeFor(prisma, user), { limit: PAGE_SIZE, cursor });
  return (
    <>
      <PageHeader
        title="Logs"
        description={can(user.role, "logs:read:all") ? "Every request through the gateway, newest first." : "Requests made with your virtual keys, newest first."}
      />
      {page.rows.length === 0 ? (
        <LogsEmptyState filtered={cursor !== undefined} />
      ) : (
        <LogsTable
          rows={page.rows.map((row) => ({ ...row, costUsd: Number(row.costUsd) }))}
          olderHref={page.nextCursor ? `/logs?cursor=${encodeURIComponent(page.nextCursor)}` : null}
          newestHref={cursor ? "/logs" : null}
        />
      )}
    </>
  );
}
