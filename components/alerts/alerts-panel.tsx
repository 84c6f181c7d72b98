"use client";
import { useCan } from "@/components/auth/use-can";
import { errorMessage } from "@/components/data/api-client";
import { relativeTime, shortDate } from "@/components/data/relative-time";
import { useAcknowledgeAlert, useAlerts } from "@/components/data/use-budgets";
import { Button, Chip, EmptyState, ErrorNote, LoadingRows, Panel, TD, TH } from "@/components/ui/form-fields";
import { formatInt, formatUsd } from "@/components/ui/format";

export function AlertsPanel() {
  const can = useCan();
  const alerts = useAlerts();
  const acknowledge = useAcknowledgeAlert();
  const canWrite = can("alerts:write");
  if (alerts.isPending) return <LoadingRows label="Loading alerts…" />;
  if (alerts.isError) return <ErrorNote message={errorMessage(alerts.error)} />;
  if (alerts.data.length === 0) return <EmptyState title="No alerts" testId="alerts-empty">Alerts appear when a budget crosses one of its thresholds (80%, 95%, 100% by default).</EmptyState>;
  return (
    <div className="space-y-3">
      <ErrorNote message={acknowledge.error ? errorMessage(acknowledge.error) : null} />
      <Panel>
        <div className="overflow-x-auto">
          <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="alerts-table">
            <caption className="sr-only">Budget alerts, newest first</caption>
            <thead className="bg-slate-50">
              <tr>
                <th scope="col" className={TH}>Triggered</th>
                <th scope="col" className={TH}>Threshold</th>
                <th scope="col" className={TH}>Budget</th>
                <th scope="col" className={TH}>Used</th>
                <th scope="col" className={TH}>Delivery</th>
                <th scope="col" className={TH}>Status</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {alerts.data.map((alert) => (
                <tr key={alert.id} data-testid="alert-row" data-alert-id={alert.id}>
                  <td className={`${TD} whitespace-nowrap`} title={alert.triggered_at}>{relativeTime(alert.triggered_at)}</td>
                  <td className={TD}><Chip tone={alert.threshold_percent >= 100 ? "rose" : "amber"}>{alert.threshold_percent}%</Chip></td>
                  <td className={TD}>
                    <div className="text-slate-900">{alert.budget.entity_type.replace("_", " ")} <span className="font-mono text-xs text-slate-500">{alert.budget.entity_id}</span></div>
                    <div className="text-xs text-slate-500">{alert.budget.window} window from {shortDate(alert.window_start)}</div>
                  </td>
                  <td className={`${TD} whitespace-nowrap`}>
                    {alert.used_usd !== null && alert.budget.limit_usd !== null ? `${formatUsd(alert.used_usd)} of ${formatUsd(alert.budget.limit_usd)}` : null}
                    {alert.used_tokens !== null && alert.budget.limit_tokens !== null ? ` ${formatInt(alert.used_tokens)} of ${formatInt(alert.budget.limit_tokens)} tokens` : null}
                  </td>
                  <td className={`${TD} text-xs`}>
                    {alert.delivery_error ? <span className="text-rose-700" title={alert.delivery_error}>failed</span> : alert.delivered_at ? <span className="text-slate-600">sent</span> : <span className="text-slate-400">pending</span>}
                  </td>
                  <td className={`${TD} whitespace-nowrap`}>
                    {alert.acknowledged_at ? (
                      <Chip tone="green">acknowledged</Chip>
                    ) : canWrite ? (
                      <Button size="sm" onClick={() => acknowledge.mutate(alert.id)} disabled={acknowledge.isPending} data-testid="alert-acknowledge">Acknowledge</Button>
                    ) : (
                      <Chip tone="amber">open</Chip>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Panel>
    </div>
  );
}
