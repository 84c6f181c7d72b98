"use client";
import { useState, type FormEvent } from "react";
import type { CreateProviderInput } from "@/lib/validation/admin-providers";
import { PROVIDER_TYPES, REQUEST_TYPES, type ProviderType, type RequestType } from "@/lib/validation/provider-types";
import { ApiError, errorMessage } from "@/components/data/api-client";
import { useCreateProvider } from "@/components/data/use-providers";
import { Button, ErrorNote, SelectField, TextField, splitList } from "@/components/ui/form-fields";

// Types whose adapter has no built-in endpoint: without a base URL they cannot be called.
const NEEDS_BASE_URL: readonly ProviderType[] = ["openai-compatible", "anthropic-compatible", "ollama", "vllm", "azure-openai"];

export function CreateProviderForm({ onDone }: { onDone: () => void }) {
  const create = useCreateProvider();
  const [name, setName] = useState("");
  const [type, setType] = useState<ProviderType>("openai-compatible");
  const [baseUrl, setBaseUrl] = useState("");
  const [models, setModels] = useState("");
  const [requestTypes, setRequestTypes] = useState<RequestType[]>([]);
  const error = create.error instanceof ApiError ? create.error : null;

  const toggle = (requestType: RequestType) =>
    setRequestTypes((current) => (current.includes(requestType) ? current.filter((t) => t !== requestType) : [...current, requestType]));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const input: CreateProviderInput = { name: name.trim(), type };
    if (baseUrl.trim()) input.base_url = baseUrl.trim();
    const modelList = splitList(models);
    if (modelList.length > 0) input.models = modelList;
    if (requestTypes.length > 0) input.request_types = requestTypes;
    create.mutate(input, { onSuccess: onDone });
  };

  return (
    <form onSubmit={submit} className="space-y-4" data-testid="create-provider-form" noValidate>
      <TextField label="Name" hint="Lowercase; clients call models as <name>/<model>" value={name} onChange={(e) => setName(e.target.value)} data-testid="provider-name" error={error?.issueFor("name")} autoFocus />
      <SelectField label="Type" value={type} onChange={(e) => setType(e.target.value as ProviderType)} options={PROVIDER_TYPES.map((t) => ({ value: t, label: t }))} data-testid="provider-type" error={error?.issueFor("type")} />
      <TextField
        label="Base URL"
        hint={NEEDS_BASE_URL.includes(type) ? "Required for this type, e.g. http://localhost:8000/v1" : "Optional; empty = the provider's public endpoint"}
        type="url"
        value={baseUrl}
        onChange={(e) => setBaseUrl(e.target.value)}
        data-testid="provider-base-url"
        error={error?.issueFor("base_url")}
      />
      <TextField label="Models" hint="Comma-separated names or globs it serves; empty = any" value={models} onChange={(e) => setModels(e.target.value)} data-testid="provider-models" error={error?.issueFor("models")} />
      <fieldset>
        <legend className="text-sm font-medium text-slate-700">Request types</legend>
        <p className="mb-2 text-xs text-slate-500">None checked = every kind of request.</p>
        <div className="grid grid-cols-2 gap-1 sm:grid-cols-3">
          {REQUEST_TYPES.map((requestType) => (
            <label key={requestType} className="flex items-center gap-2 text-sm text-slate-700">
              <input type="checkbox" checked={requestTypes.includes(requestType)} onChange={() => toggle(requestType)} data-testid={`provider-request-type-${requestType}`} />
              <span className="font-mono text-xs">{requestType}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <ErrorNote message={create.error ? errorMessage(create.error) : null} testId="create-provider-error" />
      <div className="flex justify-end gap-2">
        <Button onClick={onDone}>Cancel</Button>
        <Button tone="primary" type="submit" disabled={create.isPending} data-testid="create-provider-submit">
          {create.isPending ? "Adding…" : "Add provider"}
        </Button>
      </div>
    </form>
  );
}
