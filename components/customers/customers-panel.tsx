"use client";
import { useState } from "react";
import { useCan } from "@/components/auth/use-can";
import { errorMessage } from "@/components/data/api-client";
import { shortDate } from "@/components/data/relative-time";
import { useCustomers, useDeleteCustomer, type Customer } from "@/components/data/use-customers";
import { Button, Chip, EmptyState, ErrorNote, LoadingRows, Panel, TD, TH } from "@/components/ui/form-fields";
import { formatCompact, formatUsd } from "@/components/ui/format";
import { ModalDialog } from "@/components/ui/modal-dialog";
import { CustomerForm } from "./customer-form";

function budgetText(budget: Customer["budgets"][number]): string {
  const parts = [budget.usd !== null ? formatUsd(budget.usd) : null, budget.tokens !== null ? `${formatCompact(budget.tokens)} tokens` : null].filter(Boolean);
  return `${parts.join(" + ")} / ${budget.window}`;
}

function DeleteCustomerDialog({ target, onClose }: { target: Customer | null; onClose: () => void }) {
  const remove = useDeleteCustomer();
  const close = () => {
    remove.reset();
    onClose();
  };
  return (
    <ModalDialog open={target !== null} title={`Delete “${target?.name ?? ""}”?`} onClose={close} testId="delete-customer-dialog">
      <div className="space-y-4">
        <p className="text-sm text-slate-600 dark:text-slate-300">
          Its budgets and rate limits are deleted. {target && target.team_count > 0 ? `Its ${target.team_count} team${target.team_count === 1 ? "" : "s"} stay, without a customer.` : ""}
        </p>
        <ErrorNote message={remove.error ? errorMessage(remove.error) : null} />
        <div className="flex justify-end gap-2">
          <Button onClick={close}>Cancel</Button>
          <Button tone="danger" disabled={remove.isPending} data-testid="delete-customer-confirm" onClick={() => target && remove.mutate(target.id, { onSuccess: close })}>
            {remove.isPending ? "Deleting…" : "Delete customer"}
          </Button>
        </div>
      </div>
    </ModalDialog>
  );
}

export function CustomersPanel() {
  const can = useCan();
  const customers = useCustomers();
  // undefined = closed, null = create, a customer = edit.
  const [editing, setEditing] = useState<Customer | null | undefined>(undefined);
  const [deleting, setDeleting] = useState<Customer | null>(null);
  const canWrite = can("customers:write");

  const body = customers.isPending ? (
    <LoadingRows label="Loading customers…" />
  ) : customers.isError ? (
    <ErrorNote message={errorMessage(customers.error)} />
  ) : customers.data.length === 0 ? (
    <EmptyState title="No customers yet" testId="customers-empty">
      Customers group teams for billing: their budgets cap every team and key below them.
    </EmptyState>
  ) : (
    <Panel>
      <div className="overflow-x-auto">
        <table className="min-w-full divide-y divide-slate-200 text-sm dark:divide-slate-700" data-testid="customers-table">
          <caption className="sr-only">Customers</caption>
          <thead className="bg-slate-50 dark:bg-slate-800/60">
            <tr>
              <th scope="col" className={TH}>Name</th>
              <th scope="col" className={TH}>External id</th>
              <th scope="col" className={TH}>Teams</th>
              <th scope="col" className={TH}>Budgets</th>
              <th scope="col" className={TH}>Created</th>
              {canWrite ? <th scope="col" className={TH}><span className="sr-only">Actions</span></th> : null}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            {customers.data.map((customer) => (
              <tr key={customer.id} data-testid="customer-row" data-customer-name={customer.name}>
                <td className={`${TD} font-medium text-slate-900 dark:text-slate-100`}>{customer.name}</td>
                <td className={`${TD} font-mono text-xs text-slate-600 dark:text-slate-400`}>{customer.external_id ?? "—"}</td>
                <td className={`${TD} tabular-nums`}>{customer.team_count}</td>
                <td className={TD}>
                  {customer.budgets.length === 0 ? (
                    <span className="text-slate-400">None</span>
                  ) : (
                    <span className="flex flex-wrap gap-1">
                      {customer.budgets.map((budget) => (
                        <Chip key={budget.id} tone="indigo">{budgetText(budget)}</Chip>
                      ))}
                    </span>
                  )}
                </td>
                <td className={`${TD} text-slate-600 dark:text-slate-400`}>{shortDate(customer.created_at)}</td>
                {canWrite ? (
                  <td className={`${TD} text-right whitespace-nowrap`}>
                    <Button size="sm" tone="ghost" aria-label={`Edit ${customer.name}`} data-testid="customer-edit" onClick={() => setEditing(customer)}>Edit</Button>
                    <Button size="sm" tone="ghost" className="text-rose-700" aria-label={`Delete ${customer.name}`} data-testid="customer-delete" onClick={() => setDeleting(customer)}>Delete</Button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Panel>
  );

  return (
    <div className="space-y-4">
      {canWrite ? (
        <div className="flex justify-end">
          <Button tone="primary" onClick={() => setEditing(null)} data-testid="customer-new">New customer</Button>
        </div>
      ) : null}
      {body}
      <ModalDialog open={editing !== undefined} title={editing ? `Edit “${editing.name}”` : "New customer"} onClose={() => setEditing(undefined)} testId="customer-dialog">
        {editing !== undefined ? <CustomerForm key={editing?.id ?? "new"} customer={editing} onDone={() => setEditing(undefined)} onCancel={() => setEditing(undefined)} /> : null}
      </ModalDialog>
      <DeleteCustomerDialog target={deleting} onClose={() => setDeleting(null)} />
    </div>
  );
}
