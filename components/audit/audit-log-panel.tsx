"use client";
import { Fragment, useState, type FormEvent } from "react";
import { errorMessage } from "@/components/data/api-client";
import { useCan } from "@/components/auth/use-can";
import { EMPTY_AUDIT_FILTERS, REVERTIBLE_ENTITY_TYPES, useAuditFacets, useAuditLog, useRevertChange, type AuditEntry, type AuditFilters } from "@/components/data/use-audit-log";
import { Button, Chip, EmptyState, ErrorNote, LoadingRows, Panel, SelectField, TD, TH, TextField } from "@/components/ui/form-fields";
import { formatTimestamp } from "@/components/ui/format";
import { auditChanges } from "./audit-diff";

const ACTION_TONES: Record<string, "green" | "amber" | "rose" | "indigo" | "slate"> = { create: "green", update: "indigo", delete: "rose", revoke: "rose", rotate: "amber", reset: "amber" };

function EntryDetail({ entry }: { entry: AuditEntry }) {
  const changes = auditChanges(entry.before, entry.after);
  return (
    <div className="space-y-2 text-xs" data-testid="audit-detail">
      {entry.before !== null && entry.after !== null ? (
        changes.length === 0 ? (
          <p className="text-slate-500">No field changed.</p>
        ) : (
          <dl className="grid gap-x-4 gap-y-1 sm:grid-cols-[10rem_1fr]">
            {changes.map((change) => (
              <Fragment key={change.field}>
                <dt className="font-mono font-medium text-slate-700 dark:text-slate-300">{change.field}</dt>
                <dd className="font-mono break-all">
                  <span className="text-rose-700 line-through decoration-rose-300 dark:text-rose-400">{change.before ?? "—"}</span>
                  {" → "}
                  <span className="text-emerald-700 dark:text-emerald-400">{change.after ?? "—"}</span>
                </dd>
              </Fragment>
            ))}
          </dl>
        )
      ) : (
        <pre className="max-h-72 overflow-auto rounded-md bg-slate-50 p-3 font-mono whitespace-pre-wrap text-slate-800 dark:bg-slate-800 dark:text-slate-200">
          {JSON.stringify(entry.after ?? entry.before, null, 2)}
        </pre>
      )}
    </div>
  );
}

function FiltersForm({ value, onApply }: { value: AuditFilters; onApply: (filters: AuditFilters) => void }) {
  const [draft, setDraft] = useState(value);
  const facets = useAuditFacets();
  const set = (field: keyof AuditFilters) => (event: { target: { value: string } }) => setDraft((d) => ({ ...d, [field]: event.target.value }));
  const options = (values: readonly string[] | undefined, all: string) => [{ value: "", label: all }, ...(values ?? []).map((v) => ({ value: v, label: v.replaceAll("_", " ") }))];
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply(draft);
  };
  return (
    <form onSubmit={submit} className="grid items-end gap-3 sm:grid-cols-2 lg:grid-cols-[2fr_1fr_1fr_1fr_1fr_auto]" data-testid="audit-filters">
      <TextField label="Actor" placeholder="email or admin-token" value={draft.actor} onChange={set("actor")} data-testid="audit-filter-actor" />
      <SelectField label="Entity" value={draft.entityType} onChange={set("entityType")} options={options(facets.data?.entity_types, "All entities")} data-testid="audit-filter-entity" />
      <SelectField label="Action" value={draft.action} onChange={set("action")} options={options(facets.data?.actions, "All actions")} data-testid="audit-filter-action" />
      <TextField label="From (UTC day)" type="date" value={draft.fromDay} onChange={set("fromDay")} data-testid="audit-filter-from" />
      <TextField label="To (UTC day)" type="date" value={draft.toDay} onChange={set("toDay")} data-testid="audit-filter-to" />
      <div className="flex gap-2">
        <Button tone="primary" type="submit" data-testid="audit-filter-apply">Apply</Button>
        <Button
          onClick={() => {
            setDraft(EMPTY_AUDIT_FILTERS);
            onApply(EMPTY_AUDIT_FILTERS);
          }}
        >
          Clear
        </Button>
      </div>
    </form>
  );
}

function RevertButton({ entry }: { entry: AuditEntry }) {
  const revert = useRevertChange();
  const [confirming, setConfirming] = useState(false);
  if (revert.isSuccess) return <span className="text-xs text-emerald-700" data-testid="audit-reverted">Reverted</span>;
  return (
    <span className="inline-flex items-center gap-1">
      {confirming ? (
        <Button size="sm" tone="danger" disabled={revert.isPending} data-testid="audit-revert-confirm" onClick={() => revert.mutate(entry.id)}>
          {revert.isPending ? "Reverting…" : entry.action === "create" ? (entry.entity_type === "virtual_key" ? "Revoke it" : "Delete it") : "Restore previous"}
        </Button>
      ) : (
        <Button size="sm" tone="ghost" data-testid="audit-revert" aria-label={`Revert this ${entry.action} of ${entry.entity_name ?? entry.entity_id ?? "the entity"}`} onClick={() => setConfirming(true)}>Revert</Button>
      )}
      {revert.error ? <span className="max-w-64 text-xs text-rose-700" role="alert" data-testid="audit-revert-error">{errorMessage(revert.error)}</span> : null}
    </span>
  );
}

export function AuditLogPanel({ initialFilters = EMPTY_AUDIT_FILTERS, historyOf = null }: { initialFilters?: AuditFilters; historyOf?: string | null }) {
  const can = useCan();
  const [filters, setFilters] = useState<AuditFilters>(initialFilters);
  const [open, setOpen] = useState<string | null>(null);
  const log = useAuditLog(filters);
  const entries = log.data?.pages.flatMap((page) => page.data) ?? [];

  return (
    <div className="space-y-4">
      {filters.entityId ? (
        <p className="flex items-center justify-between rounded-md bg-indigo-50 px-3 py-2 text-sm text-indigo-900" data-testid="audit-history-of">
          <span>History of {filters.entityType.replaceAll("_", " ")} {historyOf ?? filters.entityId}: every change, newest first. Revert one to go back to the state before it.</span>
          <Button size="sm" tone="ghost" onClick={() => setFilters(EMPTY_AUDIT_FILTERS)}>Show all changes</Button>
        </p>
      ) : null}
      <Panel className="p-4">
        <FiltersForm value={filters} onApply={setFilters} />
      </Panel>
      {log.isPending ? (
        <LoadingRows label="Loading the audit log…" />
      ) : log.isError ? (
        <ErrorNote message={errorMessage(log.error)} testId="audit-error" />
      ) : entries.length === 0 ? (
        <EmptyState title="No audit entries" testId="audit-empty">
          {filters === EMPTY_AUDIT_FILTERS ? "Every admin change (API, dashboard or config apply) will be listed here." : "Nothing matches these filters."}
        </EmptyState>
      ) : (
        <Panel>
          <div className="overflow-x-auto">
            <table className="min-w-full divide-y divide-slate-200 text-sm dark:divide-slate-700" data-testid="audit-table">
              <caption className="sr-only">Audit log, newest first</caption>
              <thead className="bg-slate-50 dark:bg-slate-800/60">
                <tr>
                  <th scope="col" className={TH}>Time (UTC)</th>
                  <th scope="col" className={TH}>Actor</th>
                  <th scope="col" className={TH}>Action</th>
                  <th scope="col" className={TH}>Entity</th>
                  <th scope="col" className={TH}><span className="sr-only">Details</span></th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
                {entries.map((entry) => (
                  <Fragment key={entry.id}>
                    <tr data-testid="audit-row" data-action={entry.action} data-entity-type={entry.entity_type}>
                      <td className={`${TD} font-mono text-xs whitespace-nowrap text-slate-600 dark:text-slate-400`}>{formatTimestamp(new Date(entry.created_at))}</td>
                      <td className={`${TD} max-w-56 truncate`} title={entry.actor.label}>{entry.actor.label}</td>
                      <td className={TD}><Chip tone={ACTION_TONES[entry.action] ?? "slate"}>{entry.action.replaceAll("_", " ")}</Chip></td>
                      <td className={TD}>
                        <span className="text-slate-500 dark:text-slate-400">{entry.entity_type.replaceAll("_", " ")}</span>{" "}
                        <span className="font-medium text-slate-900 dark:text-slate-100">{entry.entity_name ?? entry.entity_id ?? ""}</span>
                      </td>
                      <td className={`${TD} text-right whitespace-nowrap`}>
                        {can("audit:revert") && REVERTIBLE_ENTITY_TYPES.includes(entry.entity_type) && (entry.action === "update" || entry.action === "create") ? <RevertButton entry={entry} /> : null}
                        <Button size="sm" tone="ghost" aria-expanded={open === entry.id} data-testid="audit-toggle" onClick={() => setOpen(open === entry.id ? null : entry.id)}>
                          {open === entry.id ? "Hide" : "Details"}
                        </Button>
                      </td>
                    </tr>
                    {open === entry.id ? (
                      <tr>
                        <td colSpan={5} className="bg-slate-50/60 px-3 py-3 dark:bg-slate-800/40">
                          <EntryDetail entry={entry} />
                        </td>
                      </tr>
                    ) : null}
                  </Fragment>
                ))}
              </tbody>
            </table>
          </div>
          {log.hasNextPage ? (
            <div className="border-t border-slate-100 p-3 text-center dark:border-slate-800">
              <Button onClick={() => void log.fetchNextPage()} disabled={log.isFetchingNextPage} data-testid="audit-more">
                {log.isFetchingNextPage ? "Loading…" : "Load older entries"}
              </Button>
            </div>
          ) : null}
        </Panel>
      )}
    </div>
  );
}
