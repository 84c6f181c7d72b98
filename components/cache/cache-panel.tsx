"use client";
import { useState } from "react";
import { useCan } from "@/components/auth/use-can";
import { errorMessage } from "@/components/data/api-client";
import { Button, Chip, EmptyState, ErrorNote, LoadingRows, Panel, TD, TH } from "@/components/ui/form-fields";
import { formatInt, formatUsd } from "@/components/ui/format";
import { useCacheStats, useClearCacheNamespace } from "./use-cache";

function hitRate(hits: number, misses: number): string {
  const total = hits + misses;
  return total === 0 ? "–" : `${Math.round((hits / total) * 100)}%`;
}

export function CachePanel() {
  const can = useCan();
  const stats = useCacheStats();
  const clear = useClearCacheNamespace();
  // Clearing is two clicks: the first arms the row's button, the second sends the request.
  const [armed, setArmed] = useState<string | null>(null);
  const [cleared, setCleared] = useState<string | null>(null);
  const canWrite = can("cache:write");
  if (stats.isPending) return <LoadingRows label="Loading cache statistics…" />;
  if (stats.isError) return <ErrorNote message={errorMessage(stats.error)} />;
  const { namespaces, totals } = stats.data;
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap gap-3 text-sm text-slate-700" data-testid="cache-totals">
        <Chip tone="indigo">last {stats.data.hours} h</Chip>
        <span>hits <strong data-testid="cache-total-hits">{formatInt(totals.hits)}</strong></span>
        <span>misses <strong>{formatInt(totals.misses)}</strong></span>
        <span>hit rate <strong>{hitRate(totals.hits, totals.misses)}</strong></span>
        <span>saved <strong data-testid="cache-total-saved">{formatUsd(totals.saved_usd)}</strong></span>
        <span className="text-slate-500">{stats.data.shared_vectors ? "semantic entries in pgvector" : "semantic entries in gateway memory"}</span>
      </div>
      <ErrorNote message={clear.error ? errorMessage(clear.error) : null} testId="cache-clear-error" />
      {cleared ? <p className="text-sm text-emerald-700" role="status" data-testid="cache-cleared">Cleared {cleared} on every gateway.</p> : null}
      {namespaces.length === 0 ? (
        <EmptyState title="No cached traffic yet" testId="cache-empty">Enable caching with SWITCHYARD_CACHE_MODE, a key or team's settings, or the x-switchyard-cache-type header.</EmptyState>
      ) : (
        <Panel>
          <div className="overflow-x-auto">
            <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="cache-table">
              <caption className="sr-only">Cache namespaces</caption>
              <thead className="bg-slate-50">
                <tr>
                  <th scope="col" className={TH}>Namespace</th>
                  <th scope="col" className={TH}>Exact hits</th>
                  <th scope="col" className={TH}>Semantic hits</th>
                  <th scope="col" className={TH}>Misses</th>
                  <th scope="col" className={TH}>Hit rate</th>
                  <th scope="col" className={TH}>Saved</th>
                  <th scope="col" className={TH}>Semantic entries</th>
                  <th scope="col" className={TH}><span className="sr-only">Actions</span></th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {namespaces.map((ns) => (
                  <tr key={ns.namespace} data-testid="cache-row" data-namespace={ns.namespace}>
                    <td className={`${TD} font-mono text-xs`}>{ns.namespace}</td>
                    <td className={TD}>{formatInt(ns.hits_exact)}</td>
                    <td className={TD}>{formatInt(ns.hits_semantic)}</td>
                    <td className={TD}>{formatInt(ns.misses)}</td>
                    <td className={TD}>{hitRate(ns.hits_exact + ns.hits_semantic, ns.misses)}</td>
                    <td className={TD}>{formatUsd(ns.saved_usd)}</td>
                    <td className={TD}>{ns.semantic_entries === null ? "–" : formatInt(ns.semantic_entries)}</td>
                    <td className={`${TD} text-right`}>
                      {canWrite ? (
                        <Button
                          size="sm"
                          tone={armed === ns.namespace ? "danger" : "secondary"}
                          disabled={clear.isPending}
                          data-testid="cache-clear-namespace"
                          onClick={() => {
                            if (armed !== ns.namespace) return setArmed(ns.namespace);
                            setArmed(null);
                            clear.mutate(ns.namespace, { onSuccess: () => setCleared(ns.namespace) });
                          }}
                        >
                          {armed === ns.namespace ? "Confirm clear" : "Clear namespace"}
                        </Button>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Panel>
      )}
    </div>
  );
}
