"use client";
import { useState } from "react";
import { useCan } from "@/components/auth/use-can";
import { errorMessage } from "@/components/data/api-client";
import type { Budget, VirtualKey, VirtualKeyWithSecret } from "@/components/data/api-types";
import { relativeTime, shortDate } from "@/components/data/relative-time";
import { useBudgets } from "@/components/data/use-budgets";
import { useVirtualKeys } from "@/components/data/use-virtual-keys";
import { formatUsd } from "@/components/ui/format";
import { ModalDialog } from "@/components/ui/modal-dialog";
import { Button, Chip, EmptyState, ErrorNote, LoadingRows, Panel, TD, TH } from "@/components/ui/form-fields";
import { HistoryLink } from "@/components/audit/history-link";
import { CreateKeyForm } from "./create-key-form";
import { RevokeKeyDialog, RotateKeyDialog } from "./key-action-dialogs";
import { SecretOnce } from "./secret-once";

function keyStatus(key: VirtualKey): { label: string; tone: "green" | "rose" | "amber" | "slate" } {
  if (key.revoked_at) return { label: "Revoked", tone: "rose" };
  if (key.expires_at && new Date(key.expires_at).getTime() < Date.now()) return { label: "Expired", tone: "amber" };
  if (!key.active) return { label: "Disabled", tone: "slate" };
  return { label: "Active", tone: "green" };
}

/** The key's budgets in their current windows: "$0.02 of $1.00 / 1d", one line each. */
function KeyUsage({ budgets }: { budgets: Budget[] }) {
  if (budgets.length === 0) return <span className="text-slate-400">No budget</span>;
  return (
    <div className="space-y-1">
      {budgets.map((b) => {
        const percent = Math.min(100, b.percent_used ?? 0);
        const text = b.usd !== null ? `${formatUsd(b.used_usd)} of ${formatUsd(b.usd)}` : `${b.used_tokens.toLocaleString("en-US")} of ${(b.tokens ?? 0).toLocaleString("en-US")} tokens`;
        return (
          <div key={b.id} className="min-w-36" title={`resets ${b.current_window.resets_at}`}>
            <div className="text-xs text-slate-700 tabular-nums" data-testid="key-usage-text">{text} <span className="text-slate-500">/ {b.window}</span></div>
            <div className="mt-0.5 h-1.5 rounded-full bg-slate-100" role="meter" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(percent)} aria-label={`Budget used per ${b.window}`}>
              <div className={`h-1.5 rounded-full ${percent >= 95 ? "bg-rose-500" : percent >= 80 ? "bg-amber-500" : "bg-emerald-500"}`} style={{ width: `${percent}%` }} />
            </div>
          </div>
        );
      })}
    </div>
  );
}

export function VirtualKeysPanel() {
  const can = useCan();
  const keys = useVirtualKeys();
  const budgets = useBudgets();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<VirtualKeyWithSecret | null>(null);
  const [rotating, setRotating] = useState<VirtualKey | null>(null);
  const [revoking, setRevoking] = useState<VirtualKey | null>(null);
  const canWrite = can("virtual-keys:write");
  const closeCreate = () => {
    setCreating(false);
    setCreated(null);
  };

  return (
    <div className="space-y-4">
      {canWrite ? (
        <div className="flex justify-end">
          <Button tone="primary" onClick={() => setCreating(true)} data-testid="create-key-open">
            New virtual key
          </Button>
        </div>
      ) : null}
      {keys.isPending ? (
        <LoadingRows label="Loading virtual keys…" />
      ) : keys.isError ? (
        <ErrorNote message={errorMessage(keys.error)} />
      ) : keys.data.length === 0 ? (
        <EmptyState title="No virtual keys yet" testId="keys-empty">Create one to let an application call the gateway.</EmptyState>
      ) : (
        <Panel>
          <div className="overflow-x-auto">
            <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="keys-table">
              <caption className="sr-only">Virtual keys</caption>
              <thead className="bg-slate-50">
                <tr>
                  <th scope="col" className={TH}>Name</th>
                  <th scope="col" className={TH}>Key</th>
                  <th scope="col" className={TH}>Team</th>
                  <th scope="col" className={TH}>Models</th>
                  <th scope="col" className={TH}>Owner</th>
                  <th scope="col" className={TH}>Budget used</th>
                  <th scope="col" className={TH}>Status</th>
                  <th scope="col" className={TH}>Expires</th>
                  <th scope="col" className={TH}>Last used</th>
                  {canWrite ? <th scope="col" className={`${TH} text-right`}><span className="sr-only">Actions</span></th> : null}
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {keys.data.map((key) => {
                  const status = keyStatus(key);
                  return (
                    <tr key={key.id} data-testid="key-row" data-key-name={key.name} className="hover:bg-slate-50">
                      <td className={`${TD} font-medium text-slate-900`}>{key.name}</td>
                      <td className={`${TD} font-mono text-xs whitespace-nowrap text-slate-600`} data-testid="key-prefix">{key.display_prefix}</td>
                      <td className={TD}>{key.team?.name ?? <span className="text-slate-400">—</span>}</td>
                      <td className={`${TD} max-w-56`}>
                        <div className="flex flex-wrap gap-1">{key.models.map((m) => <Chip key={m}>{m}</Chip>)}</div>
                      </td>
                      <td className={`${TD} text-slate-600`} data-testid="key-owner">{key.user?.email ?? <span className="text-slate-400">—</span>}</td>
                      <td className={TD} data-testid="key-usage"><KeyUsage budgets={(budgets.data ?? []).filter((b) => b.entity_type === "virtual_key" && b.entity_id === key.id)} /></td>
                      <td className={TD} data-testid="key-status"><Chip tone={status.tone}>{status.label}</Chip></td>
                      <td className={`${TD} whitespace-nowrap text-slate-600`} title={key.expires_at ?? undefined}>{key.expires_at ? shortDate(key.expires_at) : "Never"}</td>
                      <td className={`${TD} whitespace-nowrap text-slate-600`} title={key.last_used_at ?? undefined}>{key.last_used_at ? relativeTime(key.last_used_at) : "Never"}</td>
                      {canWrite ? (
                        <td className={`${TD} text-right whitespace-nowrap`}>
                          {key.revoked_at ? null : (
                            <div className="inline-flex gap-1">
                              {can("audit:read") ? <HistoryLink entityType="virtual_key" id={key.id} name={key.name} /> : null}
                              <Button size="sm" onClick={() => setRotating(key)} data-testid="key-rotate" aria-label={`Rotate ${key.name}`}>Rotate</Button>
                              <Button size="sm" tone="ghost" className="text-rose-700" onClick={() => setRevoking(key)} data-testid="key-revoke" aria-label={`Revoke ${key.name}`}>
                                Revoke
                              </Button>
                            </div>
                          )}
                        </td>
                      ) : null}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </Panel>
      )}
      <ModalDialog open={creating} title={created ? "Virtual key created" : "New virtual key"} onClose={closeCreate} testId="create-key-dialog">
        {created ? (
          <div className="space-y-4">
            <SecretOnce secret={created.secret} />
            <div className="flex justify-end">
              <Button tone="primary" onClick={closeCreate} data-testid="create-key-done">Done</Button>
            </div>
          </div>
        ) : (
          <CreateKeyForm onCreated={setCreated} onCancel={closeCreate} />
        )}
      </ModalDialog>
      <RotateKeyDialog target={rotating} onClose={() => setRotating(null)} />
      <RevokeKeyDialog target={revoking} onClose={() => setRevoking(null)} />
    </div>
  );
}
