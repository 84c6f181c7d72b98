import { formatCompact, formatInt, formatLatency, formatUsd } from "@/components/ui/format";

export interface StatTotals {
  requests: number;
  errors: number;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
  avgLatencyMs: number | null;
}

function StatCard({ label, value, detail, testId }: { label: string; value: string; detail?: string; testId: string }) {
  return (
    <div className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
      <dt className="text-sm font-medium text-slate-500">{label}</dt>
      <dd className="mt-2 text-3xl font-semibold tracking-tight text-slate-900 tabular-nums" data-testid={testId}>
        {value}
      </dd>
      {detail ? <dd className="mt-1 text-xs text-slate-500">{detail}</dd> : null}
    </div>
  );
}

export function StatCards({ totals }: { totals: StatTotals }) {
  const errorRate = totals.requests > 0 ? (totals.errors / totals.requests) * 100 : 0;
  return (
    <dl className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4" data-testid="overview-stats">
      <StatCard
        label="Requests"
        value={formatInt(totals.requests)}
        detail={`Avg latency ${formatLatency(totals.avgLatencyMs)}`}
        testId="stat-requests"
      />
      <StatCard label="Spend" value={formatUsd(totals.costUsd)} detail="USD, at provider prices" testId="stat-spend" />
      <StatCard
        label="Tokens in / out"
        value={`${formatCompact(totals.inputTokens)} / ${formatCompact(totals.outputTokens)}`}
        detail={`${formatInt(totals.inputTokens + totals.outputTokens)} tokens in total`}
        testId="stat-tokens"
      />
      <StatCard
        label="Errors"
        value={formatInt(totals.errors)}
        detail={totals.requests > 0 ? `${errorRate.toFixed(1)}% of requests` : "No requests yet"}
        testId="stat-errors"
      />
    </dl>
  );
}
