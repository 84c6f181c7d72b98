"use client";
// Draws a prepared series (lib/charts/prepare-usage-series.ts); no data shaping here.
import { Bar, CartesianGrid, ComposedChart, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { UsageSeries } from "@/lib/charts/prepare-usage-series";
import { formatInt, formatUsd } from "@/components/ui/format";

export function UsageChart({ series }: { series: UsageSeries }) {
  const unitLabel = series.unit === "hour" ? "per hour" : "per day";
  const total = series.points.reduce((sum, p) => sum + p.requests, 0);
  return (
    <figure className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm" data-testid="usage-chart">
      <figcaption className="mb-4 flex flex-wrap items-baseline justify-between gap-2">
        <span className="text-sm font-semibold text-slate-900">Requests and cost {unitLabel}</span>
        <span className="flex items-center gap-4 text-xs text-slate-500">
          <span className="flex items-center gap-1.5"><span aria-hidden="true" className="size-2.5 rounded-sm bg-indigo-500" />Requests</span>
          <span className="flex items-center gap-1.5"><span aria-hidden="true" className="h-0.5 w-3 bg-emerald-500" />Cost (USD)</span>
          <span>UTC</span>
        </span>
      </figcaption>
      {/* Screen readers get the totals rather than an SVG they cannot read. */}
      <p className="sr-only">
        {formatInt(total)} requests over {series.points.length} {series.unit}s.
      </p>
      {total === 0 ? (
        <div className="grid h-64 place-items-center rounded-lg bg-slate-50 text-sm text-slate-500" data-testid="usage-chart-empty">
          No requests in this period.
        </div>
      ) : (
        <div className="h-64" aria-hidden="true">
          <ResponsiveContainer width="100%" height="100%">
            <ComposedChart data={series.points} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
              <CartesianGrid stroke="#e2e8f0" vertical={false} />
              <XAxis dataKey="label" tick={{ fontSize: 11, fill: "#64748b" }} tickLine={false} axisLine={{ stroke: "#cbd5e1" }} minTickGap={24} />
              <YAxis yAxisId="requests" allowDecimals={false} tick={{ fontSize: 11, fill: "#64748b" }} tickLine={false} axisLine={false} width={40} />
              <YAxis
                yAxisId="cost"
                orientation="right"
                tick={{ fontSize: 11, fill: "#64748b" }}
                tickLine={false}
                axisLine={false}
                width={64}
                tickFormatter={(value: number) => formatUsd(value)}
              />
              <Tooltip
                cursor={{ fill: "#f1f5f9" }}
                formatter={(value, name) => (name === "Cost" ? formatUsd(Number(value)) : formatInt(Number(value)))}
                contentStyle={{ borderRadius: 8, borderColor: "#e2e8f0", fontSize: 12 }}
              />
              <Bar yAxisId="requests" dataKey="requests" name="Requests" fill="#6366f1" radius={[3, 3, 0, 0]} maxBarSize={28} isAnimationActive={false} />
              <Line yAxisId="cost" dataKey="costUsd" name="Cost" stroke="#10b981" strokeWidth={2} dot={false} type="monotone" isAnimationActive={false} />
            </ComposedChart>
          </ResponsiveContainer>
        </div>
      )}
    </figure>
  );
}
