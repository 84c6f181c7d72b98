"use client";
import { useState } from "react";
import { useCan } from "@/components/auth/use-can";
import { errorMessage } from "@/components/data/api-client";
import { shortDate } from "@/components/data/relative-time";
import { useDeletePricingOverride, usePricingOverrides, type PricingOverride } from "@/components/data/use-pricing";
import { Button, EmptyState, ErrorNote, LoadingRows, Panel, TD, TH } from "@/components/ui/form-fields";
import { ModalDialog } from "@/components/ui/modal-dialog";
import { PricingForm } from "./pricing-form";

/** Per-MTok prices keep every digit the admin typed; "—" = falls back (see the table note). */
function perMTok(value: number | null): string {
  return value === null ? "—" : `$${value}`;
}

export function PricingPanel() {
  const can = useCan();
  const overrides = usePricingOverrides();
  const remove = useDeletePricingOverride();
  // undefined = closed, null = new, an override = edit.
  const [editing, setEditing] = useState<PricingOverride | null | undefined>(undefined);
  const canWrite = can("pricing:write");

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="max-w-3xl text-sm text-slate-600 dark:text-slate-400">
          Models without an override are priced from the maintained price table. An empty cache price falls back to the input price, an empty
          reasoning price to the output price. Changes apply to requests from the next config reload (seconds).
        </p>
        {canWrite ? <Button tone="primary" onClick={() => setEditing(null)} data-testid="pricing-new">New override</Button> : null}
      </div>
      <ErrorNote message={remove.error ? errorMessage(remove.error) : null} testId="pricing-delete-error" />
      {overrides.isPending ? (
        <LoadingRows label="Loading prices…" />
      ) : overrides.isError ? (
        <ErrorNote message={errorMessage(overrides.error)} />
      ) : overrides.data.length === 0 ? (
        <EmptyState title="No price overrides" testId="pricing-empty">
          Every model uses the maintained price table. Add an override for self-hosted models or negotiated prices.
        </EmptyState>
      ) : (
        <Panel>
          <div className="overflow-x-auto">
            <table className="min-w-full divide-y divide-slate-200 text-sm dark:divide-slate-700" data-testid="pricing-table">
              <caption className="sr-only">Price overrides, USD per million tokens</caption>
              <thead className="bg-slate-50 dark:bg-slate-800/60">
                <tr>
                  <th scope="col" className={TH}>Model</th>
                  <th scope="col" className={`${TH} text-right`}>Input</th>
                  <th scope="col" className={`${TH} text-right`}>Output</th>
                  <th scope="col" className={`${TH} text-right`}>Cache read</th>
                  <th scope="col" className={`${TH} text-right`}>Cache write</th>
                  <th scope="col" className={`${TH} text-right`}>Reasoning</th>
                  <th scope="col" className={TH}>Updated</th>
                  {canWrite ? <th scope="col" className={TH}><span className="sr-only">Actions</span></th> : null}
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100 tabular-nums dark:divide-slate-800">
                {overrides.data.map((row) => (
                  <tr key={row.id} data-testid="pricing-row" data-model={row.model}>
                    <td className={`${TD} font-mono text-xs text-slate-900 dark:text-slate-100`}>{row.model}</td>
                    <td className={`${TD} text-right`}>{perMTok(row.input_per_mtok)}</td>
                    <td className={`${TD} text-right`}>{perMTok(row.output_per_mtok)}</td>
                    <td className={`${TD} text-right`}>{perMTok(row.cache_read_per_mtok)}</td>
                    <td className={`${TD} text-right`}>{perMTok(row.cache_write_per_mtok)}</td>
                    <td className={`${TD} text-right`}>{perMTok(row.reasoning_per_mtok)}</td>
                    <td className={`${TD} text-slate-600 dark:text-slate-400`}>{shortDate(row.updated_at)}</td>
                    {canWrite ? (
                      <td className={`${TD} text-right whitespace-nowrap`}>
                        <Button size="sm" tone="ghost" aria-label={`Edit price of ${row.model}`} data-testid="pricing-edit" onClick={() => setEditing(row)}>Edit</Button>
                        <Button
                          size="sm"
                          tone="ghost"
                          className="text-rose-700"
                          aria-label={`Delete price override of ${row.model}`}
                          data-testid="pricing-delete"
                          disabled={remove.isPending}
                          onClick={() => remove.mutate(row.id)}
                        >
                          Delete
                        </Button>
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Panel>
      )}
      <ModalDialog open={editing !== undefined} title={editing ? `Price of ${editing.model}` : "New price override"} onClose={() => setEditing(undefined)} testId="pricing-dialog">
        {editing !== undefined ? <PricingForm key={editing?.id ?? "new"} initial={editing} onDone={() => setEditing(undefined)} onCancel={() => setEditing(undefined)} /> : null}
      </ModalDialog>
    </div>
  );
}
