"use client";
import { Fragment, useState } from "react";
import { prepareBudgetUsage } from "@/lib/charts/prepare-budget-usage";
import { useCan } from "@/components/auth/use-can";
import { errorMessage } from "@/components/data/api-client";
import type { Budget } from "@/components/data/api-types";
import { relativeTime, shortDate } from "@/components/data/relative-time";
import { useBudgetHistory, useBudgets, useResetBudget } from "@/components/data/use-budgets";
import { useProviders } from "@/components/data/use-providers";
import { useTeams } from "@/components/data/use-teams";
import { useVirtualKeys } from "@/components/data/use-virtual-keys";
import { Button, Chip, EmptyState, ErrorNote, LoadingRows, Panel, TD, TH } from "@/components/ui/form-fields";
import { formatInt, formatUsd } from "@/components/ui/format";

const BAR_TONES = { ok: "bg-emerald-500", warn: "bg-amber-500", over: "bg-rose-600" } as const;

/** Budgets name their entity by id; resolve the names the caller can already see. */
function useEntityNames(): (budget: Budget) => string {
  const can = useCan();
  const teams = useTeams();
  const keys = useVirtualKeys();
  const providers = useProviders(can("providers:read"));
  return (budget) => {
    const lists: Record<string, { id: string; name: string }[] | undefined> = { team: teams.data, virtual_key: keys.data, provider: providers.data };
    return lists[budget.entity_type]?.find((e) => e.id === budget.entity_id)?.name ?? budget.entity_id;
  };
}

function BudgetHistory({ budgetId }: { budgetId: string }) {
  const history = useBudgetHistory(budgetId);
  if (history.isPending) return <p className="text-sm text-slate-500" role="status">Loading history…</p>;
  if (history.isError) return <ErrorNote message={errorMessage(history.error)} />;
  if (history.data.length === 0) return <p className="text-sm text-slate-500">No past windows yet.</p>;
  return (
    <table className="min-w-full text-sm" data-testid="budget-history">
      <caption className="sr-only">Budget history</caption>
      <thead>
        <tr>
          <th scope="col" className={TH}>Window</th>
          <th scope="col" className={`${TH} text-right`}>Spent</th>
          <th scope="col" className={`${TH} text-right`}>Tokens</th>
          <th scope="col" className={TH}>Reset</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {history.data.map((period) => (
          <tr key={period.id}>
            <td className={`${TD} font-mono text-xs`}>{shortDate(period.window_start)} → {shortDate(period.window_end)}</td>
            <td className={`${TD} text-right`}>{formatUsd(period.used_usd)}</td>
            <td className={`${TD} text-right`}>{formatInt(period.used_tokens)}</td>
            <td className={`${TD} text-xs text-slate-600`}>{period.reset_at ? `${shortDate(period.reset_at)} by ${period.reset_by ?? "?"}` : "—"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function BudgetsPanel() {
  const can = useCan();
  const budgets = useBudgets();
  const reset = useResetBudget();
  const nameOf = useEntityNames();
  const [openHistory, setOpenHistory] = useState<string | null>(null);
  const canWrite = can("budgets:write");
  if (budgets.isPending) return <LoadingRows label="Loading budgets…" />;
  if (budgets.isError) return <ErrorNote message={errorMessage(budgets.error)} />;
  if (budgets.data.length === 0) return <EmptyState title="No budgets" testId="budgets-empty">Give a key, team or provider a budget when you create it, or in the config file.</EmptyState>;
  return (
    <div className="space-y-3">
      <ErrorNote message={reset.error ? errorMessage(reset.error) : null} testId="budget-reset-error" />
      <Panel>
        <div className="overflow-x-auto">
          <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="budgets-table">
            <caption className="sr-only">Budgets and their current usage</caption>
            <thead className="bg-slate-50">
              <tr>
                <th scope="col" className={TH}>Applies to</th>
                <th scope="col" className={TH}>Window</th>
                <th scope="col" className={`${TH} w-1/3`}>Usage</th>
                <th scope="col" className={TH}>Resets</th>
                <th scope="col" className={TH}><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {budgets.data.map((budget) => {
                const bar = prepareBudgetUsage(budget);
                const percentText = bar.percent === null ? "—" : Number.isFinite(bar.percent) ? `${bar.percent.toFixed(bar.percent < 10 ? 1 : 0)}%` : "over";
                return (
                  <Fragment key={budget.id}>
                    <tr data-testid="budget-row" data-budget-id={budget.id}>
                      <td className={TD}>
                        <div className="font-medium text-slate-900">{nameOf(budget)}</div>
                        <div className="text-xs text-slate-500">{budget.entity_type.replace("_", " ")}</div>
                      </td>
                      <td className={TD}><Chip>{budget.window} · {budget.alignment}</Chip></td>
                      <td className={TD}>
                        <div className="flex items-center gap-3">
                          <div
                            className="h-2 flex-1 overflow-hidden rounded-full bg-slate-100"
                            role="meter"
                            aria-label={`Usage of ${nameOf(budget)} budget`}
                            aria-valuemin={0}
                            aria-valuemax={100}
                            aria-valuenow={Math.round(bar.width)}
                          >
                            <div className={`h-full rounded-full ${BAR_TONES[bar.tone]}`} style={{ width: `${bar.width}%` }} />
                          </div>
                          <span className="w-12 text-right font-medium tabular-nums" data-testid="budget-percent">{percentText}</span>
                        </div>
                        <div className="mt-1 text-xs text-slate-500">{bar.label}</div>
                      </td>
                      <td className={`${TD} whitespace-nowrap text-slate-600`} title={budget.current_window.resets_at} data-testid="budget-resets">
                        {budget.alignment === "rolling" ? "rolling" : `resets ${relativeTime(budget.current_window.resets_at)}`}
                      </td>
                      <td className={`${TD} text-right whitespace-nowrap`}>
                        <div className="inline-flex gap-1">
                          <Button size="sm" tone="ghost" aria-expanded={openHistory === budget.id} onClick={() => setOpenHistory(openHistory === budget.id ? null : budget.id)} data-testid="budget-history-toggle">
                            History
                          </Button>
                          {canWrite ? (
                            <Button size="sm" onClick={() => reset.mutate(budget.id)} disabled={reset.isPending} data-testid="budget-reset" aria-label={`Reset ${nameOf(budget)} budget now`}>
                              Reset now
                            </Button>
                          ) : null}
                        </div>
                      </td>
                    </tr>
                    {openHistory === budget.id ? (
                      <tr>
                        <td colSpan={5} className="bg-slate-50 px-5 py-3">
                          <BudgetHistory budgetId={budget.id} />
                        </td>
                      </tr>
                    ) : null}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </div>
      </Panel>
    </div>
  );
}
