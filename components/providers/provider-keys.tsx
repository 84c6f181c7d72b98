"use client";
import { useState, type FormEvent } from "react";
import { ApiError, errorMessage } from "@/components/data/api-client";
import type { Provider } from "@/components/data/api-types";
import { useAddProviderKey, useDeleteProviderKey } from "@/components/data/use-providers";
import { Button, Chip, ErrorNote, TextField } from "@/components/ui/form-fields";

/** A provider's API keys: the value is write-only, the list shows the last 4 characters. */
export function ProviderKeys({ provider, canWrite }: { provider: Provider; canWrite: boolean }) {
  const add = useAddProviderKey();
  const remove = useDeleteProviderKey();
  const [name, setName] = useState("");
  const [value, setValue] = useState("");
  const [weight, setWeight] = useState("1");
  const error = add.error instanceof ApiError ? add.error : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate(
      { providerId: provider.id, input: { name: name.trim(), value, weight: weight ? Number(weight) : undefined } },
      {
        onSuccess: () => {
          setName("");
          // Drop the secret from memory as soon as the server has it.
          setValue("");
          setWeight("1");
        },
      },
    );
  };

  return (
    <div className="space-y-3">
      {provider.keys.length === 0 ? (
        <p className="text-sm text-slate-500" data-testid="provider-keys-empty">No keys. Requests to this provider fail until one is added.</p>
      ) : (
        <ul className="divide-y divide-slate-100 rounded-md border border-slate-200" data-testid="provider-keys">
          {provider.keys.map((key) => (
            <li key={key.id} className="flex items-center justify-between gap-3 px-3 py-2 text-sm" data-testid="provider-key-row" data-key-name={key.name}>
              <span className="font-medium text-slate-900">{key.name}</span>
              <span className="font-mono text-xs text-slate-500">{key.secret_hint ? `••••${key.secret_hint}` : "••••"}</span>
              <span className="text-xs text-slate-600">weight {key.weight}</span>
              {key.enabled ? <Chip tone="green">enabled</Chip> : <Chip>disabled</Chip>}
              {canWrite ? (
                <Button size="sm" tone="ghost" className="text-rose-700" aria-label={`Delete key ${key.name}`} onClick={() => remove.mutate({ providerId: provider.id, keyId: key.id })}>
                  Delete
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <ErrorNote message={remove.error ? errorMessage(remove.error) : null} />
      {canWrite ? (
        <form onSubmit={submit} className="grid items-end gap-2 sm:grid-cols-[1fr_2fr_6rem_auto]" data-testid="add-provider-key-form" noValidate>
          <TextField label="Key name" value={name} onChange={(e) => setName(e.target.value)} data-testid="provider-key-name" error={error?.issueFor("name")} />
          <TextField label="API key" type="password" autoComplete="off" value={value} onChange={(e) => setValue(e.target.value)} data-testid="provider-key-value" error={error?.issueFor("value")} />
          <TextField label="Weight" type="number" min="0" value={weight} onChange={(e) => setWeight(e.target.value)} data-testid="provider-key-weight" error={error?.issueFor("weight")} />
          <Button tone="primary" type="submit" disabled={add.isPending} data-testid="provider-key-submit">Add key</Button>
          {error && !error.issues.length ? <div className="sm:col-span-4"><ErrorNote message={errorMessage(error)} /></div> : null}
        </form>
      ) : null}
    </div>
  );
}
