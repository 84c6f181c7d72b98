"use client";
import { useState, type FormEvent } from "react";
import type { CreateProviderInput } from "@/lib/validation/admin-providers";
import { PROVIDER_TYPES, REQUEST_TYPES, type ProviderType, type RequestType } from "@/lib/validation/provider-types";
import { ApiError, errorMessage } from "@/components/data/api-client";
import { useCreateProvider } from "@/components/data/use-providers";
import { Button, ErrorNote, SelectField, TextField, splitList } from "@/components/ui/form-fields";

// Types whose adapter has no built-in endpoint: without a base URL they cannot be called.
const NEEDS_BASE_URL: readonly ProviderType[] = ["openai-compatible", "anthropic-compatible", "ollama", "vllm", "azure-openai"];

type SettingField = "region" | "project_id" | "location" | "api_version" | "deployments" | "wire_api";

/** The adapter settings each type reads (gateway/upstream/provider-adapter-settings.ts). */
const SETTING_FIELDS: Partial<Record<ProviderType, readonly SettingField[]>> = {
  bedrock: ["region"],
  vertex: ["project_id", "location"],
  "azure-openai": ["api_version", "deployments"],
  anthropic: ["api_version"],
  "anthropic-compatible": ["api_version"],
  openai: ["wire_api"],
  "openai-compatible": ["wire_api"],
  groq: ["wire_api"],
  deepseek: ["wire_api"],
  xai: ["wire_api"],
  together: ["wire_api"],
  openrouter: ["wire_api"],
  ollama: ["wire_api"],
  vllm: ["wire_api"],
};

const SETTING_LABELS: Record<Exclude<SettingField, "wire_api">, { label: string; hint: string }> = {
  region: { label: "Region", hint: "e.g. eu-west-1 (default us-east-1); keys are ACCESS_KEY_ID:SECRET or a Bedrock API key" },
  project_id: { label: "Project id", hint: "Google Cloud project (required); keys are OAuth access tokens" },
  location: { label: "Location", hint: "e.g. europe-west4 (default us-central1)" },
  api_version: { label: "API version", hint: "Empty = the adapter's default" },
  deployments: { label: "Deployments", hint: "model=deployment, comma-separated; empty = the model name is the deployment" },
};

function parseDeployments(text: string): Record<string, string> {
  const map: Record<string, string> = {};
  for (const pair of splitList(text)) {
    const [model, deployment] = pair.split("=").map((part) => part.trim());
    if (model && deployment) map[model] = deployment;
  }
  return map;
}

export function CreateProviderForm({ onDone }: { onDone: () => void }) {
  const create = useCreateProvider();
  const [name, setName] = useState("");
  const [type, setType] = useState<ProviderType>("openai-compatible");
  const [baseUrl, setBaseUrl] = useState("");
  const [models, setModels] = useState("");
  const [requestTypes, setRequestTypes] = useState<RequestType[]>([]);
  const [settings, setSettings] = useState<Partial<Record<SettingField, string>>>({});
  const settingFields = SETTING_FIELDS[type] ?? [];
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
    const adapterSettings: NonNullable<CreateProviderInput["settings"]> = {};
    for (const field of settingFields) {
      const value = settings[field]?.trim();
      if (!value) continue;
      if (field === "deployments") adapterSettings.deployments = parseDeployments(value);
      else if (field === "wire_api") adapterSettings.wire_api = value === "responses" ? "responses" : "chat";
      else adapterSettings[field] = value;
    }
    if (Object.keys(adapterSettings).length > 0) input.settings = adapterSettings;
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
      {settingFields.map((field) =>
        field === "wire_api" ? (
          <SelectField
            key={field}
            label="Wire API"
            value={settings.wire_api ?? "chat"}
            onChange={(e) => setSettings((current) => ({ ...current, wire_api: e.target.value }))}
            options={[
              { value: "chat", label: "Chat Completions" },
              { value: "responses", label: "Responses" },
            ]}
            data-testid="provider-setting-wire_api"
            error={error?.issueFor("settings.wire_api")}
          />
        ) : (
          <TextField
            key={field}
            label={SETTING_LABELS[field].label}
            hint={SETTING_LABELS[field].hint}
            value={settings[field] ?? ""}
            onChange={(e) => setSettings((current) => ({ ...current, [field]: e.target.value }))}
            data-testid={`provider-setting-${field}`}
            error={error?.issueFor(`settings.${field}`)}
          />
        ),
      )}
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
