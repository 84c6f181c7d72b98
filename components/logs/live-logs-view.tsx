"use client";
// The logs page body: filters (kept in the URL, so a filtered view can be shared or
// reloaded), the table that the live socket keeps current without reloading, pause/resume,
// and the detail drawer. The server renders the first page with the same filters; the socket
// then adds what happens after (the gateway filters and scopes it).
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { formatInt, formatLatency, formatTimestamp, formatUsd } from "@/components/ui/format";
import { StatusBadge } from "@/components/ui/status-badge";
import { LIVE_FILTER_FIELDS } from "./live-filter-fields";
import { LogDetailDrawer } from "./log-detail-drawer";
import { useLiveLogs, type LiveLogFilters, type LiveRow, type LiveState } from "./use-live-logs";

const TH = "px-3 py-2.5 text-left text-xs font-semibold uppercase tracking-wide text-slate-500 whitespace-nowrap";
const TD = "px-3 py-2.5 whitespace-nowrap";
const INPUT = "block w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500";


const STATE_LABEL: Record<LiveState, string> = {
  connecting: "Connecting…",
  live: "Live",
  paused: "Paused",
  reconnecting: "Reconnecting…",
  unavailable: "Live view unavailable",
};

function Muted({ value }: { value: string | null }) {
  return value ? <>{value}</> : <span className="text-slate-400">—</span>;
}

function StateBadge({ state, heldCount }: { state: LiveState; heldCount: number }) {
  const tone = state === "live" ? "bg-emerald-500" : state === "paused" ? "bg-amber-500" : "bg-slate-400";
  return (
    <span className="inline-flex items-center gap-2 text-sm text-slate-700" data-testid="live-state" data-state={state} role="status">
      <span aria-hidden="true" className={`size-2.5 rounded-full ${tone} ${state === "live" ? "animate-pulse" : ""}`} />
      {STATE_LABEL[state]}
      {state === "paused" && heldCount > 0 ? <span className="text-slate-500">({heldCount} new)</span> : null}
    </span>
  );
}

export function LiveLogsView({
  initialRows,
  filters,
  liveEnabled,
  olderHref,
  newestHref,
}: {
  initialRows: LiveRow[];
  filters: LiveLogFilters;
  /** False on older pages: the live view only makes sense at the newest end. */
  liveEnabled: boolean;
  olderHref: string | null;
  newestHref: string | null;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const live = useLiveLogs(initialRows, filters, liveEnabled);
  const [selected, setSelected] = useState<string | null>(null);
  const selectedRow = live.rows.find((row) => row.id === selected) ?? null;

  function applyFilters(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const params = new URLSearchParams();
    for (const field of LIVE_FILTER_FIELDS) {
      const value = String(form.get(field) ?? "").trim();
      if (value) params.set(field, value);
    }
    const query = params.toString();
    router.push(query ? `${pathname}?${query}` : pathname);
  }

  const filtered = LIVE_FILTER_FIELDS.some((f) => filters[f]);

  return (
    <div className="space-y-4">
      <form onSubmit={applyFilters} className="grid grid-cols-2 gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:grid-cols-3 lg:grid-cols-6" data-testid="logs-filters" key={JSON.stringify(filters)}>
        <label className="text-xs font-medium text-slate-600">Provider<input name="provider" defaultValue={filters.provider ?? ""} className={INPUT} data-testid="filter-provider" /></label>
        <label className="text-xs font-medium text-slate-600">Model<input name="model" defaultValue={filters.model ?? ""} className={INPUT} data-testid="filter-model" /></label>
        <label className="text-xs font-medium text-slate-600">Virtual key<input name="virtual_key" defaultValue={filters.virtual_key ?? ""} className={INPUT} data-testid="filter-virtual-key" /></label>
        <label className="text-xs font-medium text-slate-600">Team<input name="team" defaultValue={filters.team ?? ""} className={INPUT} data-testid="filter-team" /></label>
        <label className="text-xs font-medium text-slate-600">Status
          <select name="status" defaultValue={filters.status ?? ""} className={INPUT} data-testid="filter-status">
            <option value="">Any</option>
            <option value="2xx">Success (2xx)</option>
            <option value="error">Errors (4xx, 5xx)</option>
            <option value="4xx">4xx</option>
            <option value="5xx">5xx</option>
            <option value="429">429</option>
          </select>
        </label>
        <div className="flex items-end gap-2">
          <button type="submit" className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-indigo-500" data-testid="filters-apply">Apply</button>
          {filtered ? <Link href={pathname} className="px-2 py-1.5 text-sm text-slate-600 hover:text-slate-900" data-testid="filters-clear">Clear</Link> : null}
        </div>
      </form>

      <div className="flex flex-wrap items-center justify-between gap-3">
        {liveEnabled ? <StateBadge state={live.state} heldCount={live.heldCount} /> : <span className="text-sm text-slate-500">Older page — live updates are shown on the newest page.</span>}
        {liveEnabled ? (
          live.paused ? (
            <button type="button" onClick={live.resume} className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50" data-testid="live-resume">Resume</button>
          ) : (
            <button type="button" onClick={live.pause} className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50" data-testid="live-pause">Pause</button>
          )
        ) : null}
      </div>
      {live.notice ? <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="live-notice">{live.notice}</p> : null}

      {live.rows.length === 0 ? (
        <div className="rounded-xl border border-dashed border-slate-300 bg-white px-6 py-12 text-center text-sm text-slate-600" data-testid="logs-empty">
          {filtered ? "No requests match these filters yet; new ones appear here as they happen." : "No requests yet. Point a client at the gateway with a virtual key (e.g. OPENAI_BASE_URL=http://localhost:8080/v1) and its requests appear here as they happen."}
        </div>
      ) : (
        <div className="overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
          <div className="overflow-x-auto">
            <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="logs-table">
              <caption className="sr-only">Request logs, newest first; select a row for its details</caption>
              <thead className="bg-slate-50">
                <tr>
                  <th scope="col" className={TH}>Time (UTC)</th>
                  <th scope="col" className={TH}>Status</th>
                  <th scope="col" className={TH}>Provider</th>
                  <th scope="col" className={TH}>Model</th>
                  <th scope="col" className={TH}>Virtual key</th>
                  <th scope="col" className={TH}>Team</th>
                  <th scope="col" className={`${TH} text-right`}>Tokens in</th>
                  <th scope="col" className={`${TH} text-right`}>Tokens out</th>
                  <th scope="col" className={`${TH} text-right`}>Cost</th>
                  <th scope="col" className={`${TH} text-right`}>Latency</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {live.rows.map((row) => (
                  <tr
                    key={row.id}
                    data-testid="log-row"
                    data-log-id={row.id}
                    data-status={row.status ?? "pending"}
                    tabIndex={0}
                    onClick={() => setSelected(row.id)}
                    onKeyDown={(event) => {
                      if (event.key === "Enter" || event.key === " ") {
                        event.preventDefault();
                        setSelected(row.id);
                      }
                    }}
                    className="cursor-pointer hover:bg-slate-50 focus:bg-indigo-50 focus:outline-none"
                    title={row.error?.message ?? undefined}
                  >
                    <td className={`${TD} font-mono text-xs text-slate-600`}>
                      <time dateTime={row.timestamp}>{formatTimestamp(new Date(row.timestamp))}</time>
                    </td>
                    <td className={TD} data-testid="log-status">
                      {row.status === null ? <span className="text-xs font-medium text-indigo-700">in progress</span> : <StatusBadge status={row.status} />}
                      {row.attempts > 1 ? <span className="ml-1.5 text-xs text-slate-500">{row.attempts} attempts</span> : null}
                    </td>
                    <td className={TD} data-testid="log-provider"><Muted value={row.provider} /></td>
                    <td className={`${TD} font-medium text-slate-900`} data-testid="log-model"><Muted value={row.model} /></td>
                    <td className={TD} data-testid="log-virtual-key"><Muted value={row.virtual_key} /></td>
                    <td className={TD} data-testid="log-team"><Muted value={row.team} /></td>
                    <td className={`${TD} text-right tabular-nums`} data-testid="log-tokens-in">{formatInt(row.tokens.input)}</td>
                    <td className={`${TD} text-right tabular-nums`} data-testid="log-tokens-out">{formatInt(row.tokens.output)}</td>
                    <td className={`${TD} text-right tabular-nums`} data-testid="log-cost">{formatUsd(row.cost_usd)}</td>
                    <td className={`${TD} text-right tabular-nums text-slate-600`} data-testid="log-latency">{formatLatency(row.latency_ms)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <nav aria-label="Pagination" className="flex items-center justify-between border-t border-slate-200 bg-slate-50 px-4 py-3 text-sm">
            {newestHref ? (
              <Link href={newestHref} data-testid="logs-newest" className="font-medium text-indigo-700 hover:text-indigo-900">← Newest</Link>
            ) : (
              <span className="text-slate-500">Showing the newest requests</span>
            )}
            {olderHref ? (
              <Link href={olderHref} data-testid="logs-older" className="font-medium text-indigo-700 hover:text-indigo-900">Older →</Link>
            ) : (
              <span className="text-slate-500">End of log</span>
            )}
          </nav>
        </div>
      )}
      {selectedRow ? <LogDetailDrawer key={selectedRow.id} row={selectedRow} onClose={() => setSelected(null)} /> : null}
    </div>
  );
}
