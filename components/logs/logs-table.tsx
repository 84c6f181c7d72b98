import Link from "next/link";
import { StatusBadge } from "@/components/ui/status-badge";
import { formatInt, formatLatency, formatTimestamp, formatUsd } from "@/components/ui/format";

export interface LogsTableRow {
  id: string;
  createdAt: Date;
  status: number;
  provider: string | null;
  model: string | null;
  virtualKeyName: string | null;
  teamName: string | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  latencyMs: number;
  attemptCount: number;
  cache: string;
  errorMessage: string | null;
}

const TH = "px-3 py-2.5 text-left text-xs font-semibold uppercase tracking-wide text-slate-500 whitespace-nowrap";
const TD = "px-3 py-2.5 whitespace-nowrap";

function Muted({ value }: { value: string | null }) {
  return value ? <>{value}</> : <span className="text-slate-400">—</span>;
}

export function LogsTable({ rows, olderHref, newestHref }: { rows: LogsTableRow[]; olderHref: string | null; newestHref: string | null }) {
  return (
    <div className="overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
      <div className="overflow-x-auto">
        <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="logs-table">
          <caption className="sr-only">Request logs, newest first</caption>
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
            {rows.map((row) => (
              <tr key={row.id} data-testid="log-row" data-log-id={row.id} className="hover:bg-slate-50" title={row.errorMessage ?? undefined}>
                <td className={`${TD} font-mono text-xs text-slate-600`}>
                  <time dateTime={row.createdAt.toISOString()}>{formatTimestamp(row.createdAt)}</time>
                </td>
                <td className={TD} data-testid="log-status">
                  <StatusBadge status={row.status} />
                  {row.attemptCount > 1 ? <span className="ml-1.5 text-xs text-slate-500">{row.attemptCount} attempts</span> : null}
                </td>
                <td className={TD} data-testid="log-provider"><Muted value={row.provider} /></td>
                <td className={`${TD} font-medium text-slate-900`} data-testid="log-model"><Muted value={row.model} /></td>
                <td className={TD} data-testid="log-virtual-key"><Muted value={row.virtualKeyName} /></td>
                <td className={TD} data-testid="log-team"><Muted value={row.teamName} /></td>
                <td className={`${TD} text-right tabular-nums`} data-testid="log-tokens-in">{formatInt(row.inputTokens)}</td>
                <td className={`${TD} text-right tabular-nums`} data-testid="log-tokens-out">{formatInt(row.outputTokens)}</td>
                <td className={`${TD} text-right tabular-nums`} data-testid="log-cost">{formatUsd(row.costUsd)}</td>
                <td className={`${TD} text-right tabular-nums text-slate-600`} data-testid="log-latency">{formatLatency(row.latencyMs)}</td>
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
  );
}
