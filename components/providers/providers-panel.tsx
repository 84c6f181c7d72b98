"use client";
import { useState } from "react";
import { useCan } from "@/components/auth/use-can";
import { errorMessage } from "@/components/data/api-client";
import type { Provider } from "@/components/data/api-types";
import { useDeleteProvider, useProviders, useTestProvider } from "@/components/data/use-providers";
import { ModalDialog } from "@/components/ui/modal-dialog";
import { Button, Chip, EmptyState, ErrorNote, LoadingRows, Panel } from "@/components/ui/form-fields";
import { CreateProviderForm } from "./create-provider-form";
import { ProviderKeys } from "./provider-keys";
import { ProviderTestResultView } from "./provider-test-result";

function ProviderCard({ provider, canWrite }: { provider: Provider; canWrite: boolean }) {
  const test = useTestProvider();
  const remove = useDeleteProvider();
  return (
    <Panel className="p-5">
      <section data-testid="provider-card" data-provider-name={provider.name} aria-label={`Provider ${provider.name}`} className="space-y-4">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div className="min-w-0">
            <h2 className="flex items-center gap-2 text-base font-semibold text-slate-900">
              {provider.name}
              <Chip tone="indigo">{provider.type}</Chip>
              {provider.enabled ? null : <Chip>disabled</Chip>}
            </h2>
            <p className="mt-0.5 font-mono text-xs break-all text-slate-500">{provider.base_url ?? "default endpoint"}</p>
          </div>
          {canWrite ? (
            <div className="flex gap-2">
              <Button onClick={() => test.mutate(provider.id)} disabled={test.isPending} data-testid="provider-test">
                {test.isPending ? "Testing…" : "Test connection"}
              </Button>
              <Button tone="ghost" className="text-rose-700" aria-label={`Delete provider ${provider.name}`} onClick={() => remove.mutate(provider.id)} data-testid="provider-delete">
                Delete
              </Button>
            </div>
          ) : null}
        </div>
        <dl className="grid gap-3 text-sm sm:grid-cols-2">
          <div>
            <dt className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Models</dt>
            <dd className="mt-1 flex flex-wrap gap-1">{provider.models.length ? provider.models.map((m) => <Chip key={m}>{m}</Chip>) : <span className="text-slate-500">any</span>}</dd>
          </div>
          <div>
            <dt className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Request types</dt>
            <dd className="mt-1 flex flex-wrap gap-1">{provider.request_types.length ? provider.request_types.map((t) => <Chip key={t}>{t}</Chip>) : <span className="text-slate-500">all</span>}</dd>
          </div>
        </dl>
        {test.data ? <ProviderTestResultView result={test.data} /> : null}
        <ErrorNote message={test.error ? errorMessage(test.error) : remove.error ? errorMessage(remove.error) : null} />
        <div>
          <h3 className="mb-2 text-xs font-semibold tracking-wide text-slate-500 uppercase">Keys</h3>
          <ProviderKeys provider={provider} canWrite={canWrite} />
        </div>
      </section>
    </Panel>
  );
}

export function ProvidersPanel() {
  const can = useCan();
  const providers = useProviders();
  const [adding, setAdding] = useState(false);
  const canWrite = can("providers:write");
  return (
    <div className="space-y-4">
      {canWrite ? (
        <div className="flex justify-end">
          <Button tone="primary" onClick={() => setAdding(true)} data-testid="create-provider-open">Add provider</Button>
        </div>
      ) : null}
      {providers.isPending ? (
        <LoadingRows label="Loading providers…" />
      ) : providers.isError ? (
        <ErrorNote message={errorMessage(providers.error)} />
      ) : providers.data.length === 0 ? (
        <EmptyState title="No providers yet" testId="providers-empty">Add a cloud provider or your own OpenAI-compatible server.</EmptyState>
      ) : (
        <div className="grid gap-4 xl:grid-cols-2">
          {providers.data.map((provider) => <ProviderCard key={provider.id} provider={provider} canWrite={canWrite} />)}
        </div>
      )}
      <ModalDialog open={adding} title="Add provider" onClose={() => setAdding(false)} testId="create-provider-dialog">
        <CreateProviderForm onDone={() => setAdding(false)} />
      </ModalDialog>
    </div>
  );
}
