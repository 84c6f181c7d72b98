"use client";
// Draws a prepared breakdown (lib/charts/prepare-usage-breakdown.ts) of GET /api/v1/usage:
// pick a metric and a dimension, export the same numbers as CSV. No data shaping here.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { UsageReport } from "@/lib/logs/usage";
import { prepareUsageBreakdown, USAGE_METRICS, type MetricUnit, type UsageMetricId } from "@/lib/charts/prepare-usage-breakdown";
import { apiRequest, errorMessage } from "@/components/data/api-client";
import { ErrorNote, INPUT_CLASS } from "@/components/ui/form-fields";
import { formatCompact, formatLatency, formatUsd } from "@/components/ui/format";

const GROUP_OPTIONS = [
  { value: "none", label: "Everything" },
  { value: "team", label: "Team" },
  { value: "virtual_key", label: "Virtual key" },
  { value: "model", label: "Model" },
  { value: "provider", label: "Provider" },
  { value: "customer", label: "Customer" },
  { value: "status_class", label: "Status" },
] as const;
type GroupBy = (typeof GROUP_OPTIONS)[number]["value"];

// Distinguishable in light and dark mode; "Other" is always slate.
const COLORS = ["#6366f1", "#10b981", "#f59e0b", "#ef4444", "#06b6d4", "#a855f7"];
const OTHER_COLOR = "#94a3b8";

export function formatMetric(value: number | null, unit: MetricUnit): string {
  if (value === null) return "—";
  if (unit === "usd") return formatUsd(value);
  if (unit === "ms") return formatLatency(Math.round(value));
  if (unit === "percent") return `${value.toFixed(1)}%`;
  return formatCompact(value);
}

export function usageUrl(params: { from: string; to: string; groupBy: GroupBy; format?: "csv" }): string {
  const query = new URLSearchParams({ from: params.from, to: params.to, group_by: params.groupBy });
  if (params.format) query.set("format", params.format);
  return `/api/v1/usage?${query.toString()}`;
}

export function UsageBreakdown({ from, to, initialMetric = "cost" }: { from: string; to: string; initialMetric?: UsageMetricId }) {
  const [metric, setMetric] = useState<UsageMetricId>(initialMetric);
  const [groupBy, setGroupBy] = useState<GroupBy>("none");
  const usage = useQuery({ queryKey: ["usage", from, to, groupBy], queryFn: () => apiRequest<UsageReport>(usageUrl({ from, to, groupBy })) });
  const prepared = usage.data ? prepareUsageBreakdown(usage.data, metric) : null;
  const unit = USAGE_METRICS[metric].unit;
  const isRate = USAGE_METRICS[metric].kind === "rate";
  const color = (key: string, index: number) => (key === "other" ? OTHER_COLOR : COLORS[index % COLORS.length]!);
  const tick = { fontSize: 11, fill: "#64748b" };

  return (
    <figure className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm dark:border-slate-700 dark:bg-slate-900" data-testid="usage-breakdown">
      <figcaption className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <div role="group" aria-label="Metric" className="flex flex-wrap gap-1" data-testid="breakdown-metrics">
          {(Object.keys(USAGE_METRICS) as UsageMetricId[]).map((id) => (
            <button
              key={id}
              type="button"
              aria-pressed={metric === id}
              onClick={() => setMetric(id)}
              data-testid={`metric-${id}`}
              className={`rounded-md px-2.5 py-1 text-xs font-medium ${metric === id ? "bg-slate-900 text-white dark:bg-white dark:text-slate-900" : "text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"}`}
            >
              {USAGE_METRICS[id].label}
            </button>
          ))}
        </div>
        <div className="flex items-center gap-2">
          <label className="flex items-center gap-2 text-xs text-slate-600 dark:text-slate-300">
            Group by
            <select value={groupBy} onChange={(e) => setGroupBy(e.target.value as GroupBy)} className={`${INPUT_CLASS} w-auto py-1 text-xs`} data-testid="breakdown-group-by">
              {GROUP_OPTIONS.map((option) => (
                <option key={option.value} value={option.value}>{option.label}</option>
              ))}
            </select>
          </label>
          <a
            href={usageUrl({ from, to, groupBy, format: "csv" })}
            download
            data-testid="usage-csv-export"
            className="rounded-md border border-slate-300 px-2.5 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50 dark:border-slate-600 dark:text-slate-200 dark:hover:bg-slate-800"
          >
            Export CSV
          </a>
        </div>
      </figcaption>

      {usage.isPending ? (
        <div role="status" className="grid h-64 place-items-center text-sm text-slate-500" data-testid="breakdown-loading">Loading usage…</div>
      ) : usage.isError ? (
        <ErrorNote message={errorMessage(usage.error)} testId="breakdown-error" />
      ) : !prepared || !prepared.hasData ? (
        <div className="grid h-64 place-items-center rounded-lg bg-slate-50 text-sm text-slate-500 dark:bg-slate-800/50" data-testid="breakdown-empty">
          No usage recorded in this period.
        </div>
      ) : (
        <>
          <p className="mb-2 text-sm text-slate-600 dark:text-slate-300">
            <span className="font-semibold text-slate-900 dark:text-slate-100" data-testid="breakdown-total">{formatMetric(prepared.total, unit)}</span>{" "}
            {USAGE_METRICS[metric].label.toLowerCase()} {isRate ? "over the period" : "in total"} · per {prepared.granularity} · UTC
          </p>
          {/* Screen readers get the per-group totals instead of an SVG. */}
          <ul className="sr-only">
            {prepared.groups.map((group) => (
              <li key={group.key}>{group.label}: {formatMetric(group.total, unit)}</li>
            ))}
          </ul>
          <div className="h-72" aria-hidden="true" data-testid="breakdown-chart">
            <ResponsiveContainer width="100%" height="100%">
              {isRate ? (
                <LineChart data={prepared.rows} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
                  <CartesianGrid stroke="#e2e8f0" strokeOpacity={0.5} vertical={false} />
                  <XAxis dataKey="label" tick={tick} tickLine={false} minTickGap={24} />
                  <YAxis tick={tick} tickLine={false} axisLine={false} width={56} tickFormatter={(v: number) => formatMetric(v, unit)} />
                  <Tooltip formatter={(v) => formatMetric(v === null || v === undefined ? null : Number(v), unit)} contentStyle={{ borderRadius: 8, fontSize: 12 }} />
                  <Legend wrapperStyle={{ fontSize: 12 }} />
                  {prepared.groups.map((group, i) => (
                    <Line key={group.key} dataKey={group.key} name={group.label} stroke={color(group.key, i)} strokeWidth={2} dot={false} connectNulls={false} isAnimationActive={false} />
                  ))}
                </LineChart>
              ) : (
                <BarChart data={prepared.rows} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
                  <CartesianGrid stroke="#e2e8f0" strokeOpacity={0.5} vertical={false} />
                  <XAxis dataKey="label" tick={tick} tickLine={false} minTickGap={24} />
                  <YAxis tick={tick} tickLine={false} axisLine={false} width={56} tickFormatter={(v: number) => formatMetric(v, unit)} />
                  <Tooltip formatter={(v) => formatMetric(Number(v), unit)} contentStyle={{ borderRadius: 8, fontSize: 12 }} cursor={{ fillOpacity: 0.1 }} />
                  <Legend wrapperStyle={{ fontSize: 12 }} />
                  {prepared.groups.map((group, i) => (
                    <Bar key={group.key} dataKey={group.key} name={group.label} stackId="usage" fill={color(group.key, i)} maxBarSize={28} isAnimationActive={false} />
                  ))}
                </BarChart>
              )}
            </ResponsiveContainer>
          </div>
        </>
      )}
    </figure>
  );
}
