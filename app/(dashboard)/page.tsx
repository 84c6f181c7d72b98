import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { RangeSelector } from "@/components/overview/range-selector";
import { StatCards } from "@/components/overview/stat-cards";
import { UsageChart } from "@/components/overview/usage-chart";
import { UsageBreakdown } from "@/components/overview/usage-breakdown";
import { getPrisma } from "@/lib/db/client";
import { logScopeFor } from "@/lib/rbac/log-scope";
import { can } from "@/lib/rbac/permissions";
import { requirePageSession } from "@/app/_data/page-session";
import { getOverview, OVERVIEW_RANGES, parseOverviewRange } from "@/app/_data/overview";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Overview" };

const RANGE_OPTIONS = Object.entries(OVERVIEW_RANGES).map(([value, { label }]) => ({ value, label }));

export default async function OverviewPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { user } = await requirePageSession();
  const range = parseOverviewRange((await searchParams).range);
  const prisma = getPrisma();
  const overview = await getOverview(prisma, await logScopeFor(prisma, user), range);
  return (
    <>
      <PageHeader
        title="Overview"
        description={`${OVERVIEW_RANGES[range].label}${can(user.role, "logs:read:all") ? "" : ", for the keys you can see"}`}
        actions={<RangeSelector options={RANGE_OPTIONS} current={range} />}
      />
      <div className="space-y-6">
        <StatCards totals={overview.totals} />
        <UsageChart series={overview.series} />
        {/* Tokens, requests, latency, error and cache-hit rates by any dimension, from the usage rollups. */}
        <UsageBreakdown from={overview.from.toISOString()} to={overview.to.toISOString()} />
      </div>
    </>
  );
}
