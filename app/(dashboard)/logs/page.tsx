import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { LIVE_FILTER_FIELDS } from "@/components/logs/live-filter-fields";
import { LiveLogsView } from "@/components/logs/live-logs-view";
import type { LiveLogFilters } from "@/components/logs/use-live-logs";
import { getPrisma } from "@/lib/db/client";
import { logScopeFor } from "@/lib/rbac/log-scope";
import { can } from "@/lib/rbac/permissions";
import { requirePageSession } from "@/app/_data/page-session";
import { listRequestLogs, parseLogsQuery, toApiLog } from "@/app/_data/request-logs";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Logs" };

const PAGE_SIZE = 50;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export default async function LogsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { user } = await requirePageSession();
  const raw = await searchParams;
  // The filters of the URL, validated by the same schema as GET /api/v1/logs.
  const filters: LiveLogFilters = {};
  const params = new URLSearchParams();
  for (const field of LIVE_FILTER_FIELDS) {
    const value = first(raw[field])?.trim();
    if (value) {
      filters[field] = value;
      params.set(field, value);
    }
  }
  const cursorParam = first(raw.cursor);
  if (cursorParam) params.set("cursor", cursorParam);
  params.set("limit", String(PAGE_SIZE));
  const parsed = parseLogsQuery(params);
  const prisma = getPrisma();
  const scope = await logScopeFor(prisma, user);
  // A bad filter or a stale cursor: say which, and show the newest unfiltered page.
  const query = parsed.ok ? parsed.data : { limit: PAGE_SIZE };
  const { format: _format, ...search } = query as typeof query & { format?: unknown };
  const page = await listRequestLogs(prisma, scope, search);
  const filterQuery = new URLSearchParams(Object.entries(filters).filter((entry): entry is [string, string] => Boolean(entry[1])));
  const olderHref = page.nextCursor ? `/logs?${new URLSearchParams([...filterQuery, ["cursor", page.nextCursor]]).toString()}` : null;
  const onOlderPage = parsed.ok && parsed.data.cursor !== undefined;
  return (
    <>
      <PageHeader
        title="Logs"
        description={can(user.role, "logs:read:all") ? "Every request through the gateway, newest first, live." : "Requests made with your virtual keys, newest first, live."}
      />
      {!parsed.ok ? (
        <p className="mb-4 rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800" data-testid="logs-filter-error">
          {parsed.issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ")}
        </p>
      ) : null}
      <LiveLogsView
        initialRows={page.rows.map(toApiLog)}
        filters={parsed.ok ? filters : {}}
        liveEnabled={!onOlderPage}
        olderHref={olderHref}
        newestHref={onOlderPage ? `/logs${filterQuery.size > 0 ? `?${filterQuery.toString()}` : ""}` : null}
      />
    </>
  );
}
