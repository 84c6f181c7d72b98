"use client";
import { useState, type FormEvent } from "react";
import type { CreateVirtualKeyInput } from "@/lib/validation/admin-virtual-keys";
import { errorMessage, ApiError } from "@/components/data/api-client";
import type { VirtualKeyWithSecret } from "@/components/data/api-types";
import { useCreateVirtualKey } from "@/components/data/use-virtual-keys";
import { useTeamMembers, useTeams } from "@/components/data/use-teams";
import { Button, ErrorNote, SelectField, TextField, splitList } from "@/components/ui/form-fields";

const WINDOWS = [
  { value: "1h", label: "Hourly" },
  { value: "1d", label: "Daily" },
  { value: "1w", label: "Weekly" },
  { value: "1M", label: "Monthly" },
];

interface FormState {
  name: string;
  team: string;
  /** Owner's email (a team member), or "" for a service key. */
  user: string;
  models: string;
  providers: string;
  expiresAt: string;
  budgetUsd: string;
  budgetTokens: string;
  budgetWindow: string;
  rateRequests: string;
  rateWindow: string;
}

const EMPTY: FormState = { name: "", team: "", user: "", models: "*", providers: "", expiresAt: "", budgetUsd: "", budgetTokens: "", budgetWindow: "1d", rateRequests: "", rateWindow: "1m" };

/** Form fields → the API's create body; the server's zod schema stays the one validator. */
export function toCreateInput(form: FormState): CreateVirtualKeyInput {
  const input: CreateVirtualKeyInput = { name: form.name.trim(), models: splitList(form.models) };
  if (form.team) input.team = form.team;
  if (form.user) input.user = form.user;
  const providers = splitList(form.providers);
  if (providers.length > 0) input.providers = providers;
  if (form.expiresAt) input.expires_at = form.expiresAt;
  // The config schema wants one kind per budget entry, so USD and tokens become two entries.
  const budgets: NonNullable<CreateVirtualKeyInput["budgets"]> = [];
  if (form.budgetUsd.trim()) budgets.push({ usd: Number(form.budgetUsd), window: form.budgetWindow });
  if (form.budgetTokens.trim()) budgets.push({ tokens: Number(form.budgetTokens), window: form.budgetWindow });
  if (budgets.length > 0) input.budgets = budgets;
  if (form.rateRequests.trim()) input.rate_limits = [{ requests: Number(form.rateRequests), window: form.rateWindow }];
  return input;
}

export function CreateKeyForm({ onCreated, onCancel }: { onCreated: (key: VirtualKeyWithSecret) => void; onCancel: () => void }) {
  const [form, setForm] = useState<FormState>(EMPTY);
  const create = useCreateVirtualKey();
  const teams = useTeams();
  const teamId = teams.data?.find((t) => t.name === form.team)?.id ?? null;
  const members = useTeamMembers(teamId);
  // A new team has other members: the owner chosen for the old one no longer applies.
  const set = (field: keyof FormState) => (event: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [field]: event.target.value, ...(field === "team" ? { user: "" } : {}) }));
  const error = create.error instanceof ApiError ? create.error : null;
  const fieldError = (path: string) => error?.issueFor(path);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(toCreateInput(form), { onSuccess: onCreated });
  };

  return (
    <form onSubmit={submit} className="space-y-4" data-testid="create-key-form" noValidate>
      <TextField label="Name" value={form.name} onChange={set("name")} required data-testid="key-name" error={fieldError("name")} autoFocus />
      <SelectField
        label="Team"
        value={form.team}
        onChange={set("team")}
        data-testid="key-team"
        options={[{ value: "", label: "No team" }, ...(teams.data ?? []).map((t) => ({ value: t.name, label: t.name }))]}
        error={fieldError("team")}
      />
      {form.team ? (
        <SelectField
          label="Owner"
          hint="The member this key is for (they see its usage and logs); none for a service key."
          value={form.user}
          onChange={set("user")}
          data-testid="key-user"
          options={[{ value: "", label: members.isPending ? "Loading members…" : "No owner (service key)" }, ...(members.data ?? []).map((m) => ({ value: m.email, label: m.name ? `${m.name} (${m.email})` : m.email }))]}
          error={fieldError("user")}
        />
      ) : null}
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField label="Models" hint="Comma-separated globs; * = every model" value={form.models} onChange={set("models")} data-testid="key-models" error={fieldError("models")} />
        <TextField label="Providers" hint="Optional; empty = any provider" value={form.providers} onChange={set("providers")} data-testid="key-providers" error={fieldError("providers")} />
      </div>
      <TextField label="Expires on" type="date" value={form.expiresAt} onChange={set("expiresAt")} data-testid="key-expires" error={fieldError("expires_at")} />
      <fieldset className="grid gap-4 rounded-lg border border-slate-200 p-3 sm:grid-cols-3">
        <legend className="px-1 text-sm font-medium text-slate-700">Budget</legend>
        <TextField label="USD" type="number" min="0" step="0.01" value={form.budgetUsd} onChange={set("budgetUsd")} data-testid="key-budget-usd" />
        <TextField label="Tokens" type="number" min="0" step="1" value={form.budgetTokens} onChange={set("budgetTokens")} data-testid="key-budget-tokens" />
        <SelectField label="Window" value={form.budgetWindow} onChange={set("budgetWindow")} options={WINDOWS} data-testid="key-budget-window" />
        {fieldError("budgets") ? <p className="text-xs text-rose-700 sm:col-span-3">{fieldError("budgets")}</p> : null}
      </fieldset>
      <fieldset className="grid gap-4 rounded-lg border border-slate-200 p-3 sm:grid-cols-2">
        <legend className="px-1 text-sm font-medium text-slate-700">Rate limit</legend>
        <TextField label="Requests" type="number" min="1" step="1" value={form.rateRequests} onChange={set("rateRequests")} data-testid="key-rate-requests" />
        <SelectField
          label="Per"
          value={form.rateWindow}
          onChange={set("rateWindow")}
          options={[{ value: "1m", label: "Minute" }, { value: "1h", label: "Hour" }, { value: "1d", label: "Day" }]}
          data-testid="key-rate-window"
        />
        {fieldError("rate_limits") ? <p className="text-xs text-rose-700 sm:col-span-2">{fieldError("rate_limits")}</p> : null}
      </fieldset>
      <ErrorNote message={create.error ? errorMessage(create.error) : null} testId="create-key-error" />
      <div className="flex justify-end gap-2">
        <Button onClick={onCancel}>Cancel</Button>
        <Button tone="primary" type="submit" disabled={create.isPending} data-testid="create-key-submit">
          {create.isPending ? "Creating…" : "Create key"}
        </Button>
      </div>
    </form>
  );
}
