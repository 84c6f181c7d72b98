"use client";
import { useState, type FormEvent } from "react";
import { createCustomerInputSchema, updateCustomerInputSchema, type CreateCustomerInput, type UpdateCustomerInput } from "@/lib/validation/admin-customers";
import { ApiError, errorMessage } from "@/components/data/api-client";
import { useCreateCustomer, useUpdateCustomer, type Customer } from "@/components/data/use-customers";
import { Button, ErrorNote, SelectField, TextAreaField, TextField } from "@/components/ui/form-fields";
import { issueAt, zodIssues } from "@/components/ui/zod-issues";

const WINDOWS = [
  { value: "1d", label: "Daily" },
  { value: "1w", label: "Weekly" },
  { value: "1M", label: "Monthly" },
  { value: "1Y", label: "Yearly" },
];

export interface CustomerFormState {
  name: string;
  externalId: string;
  metadata: string;
  budgetUsd: string;
  budgetWindow: string;
}

export function formStateOf(customer: Customer | null): CustomerFormState {
  return {
    name: customer?.name ?? "",
    externalId: customer?.external_id ?? "",
    metadata: customer && Object.keys(customer.metadata).length > 0 ? JSON.stringify(customer.metadata, null, 2) : "",
    budgetUsd: "",
    budgetWindow: "1M",
  };
}

type Parsed<T> = { ok: true; input: T } | { ok: false; issues: Record<string, string> };

function parseMetadata(text: string): { ok: true; value: Record<string, unknown> | undefined } | { ok: false } {
  if (!text.trim()) return { ok: true, value: undefined };
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" && !Array.isArray(value) ? { ok: true, value: value as Record<string, unknown> } : { ok: false };
  } catch {
    return { ok: false };
  }
}

/** Form fields → the create body, checked with the API's schema before it is sent. */
export function toCreateCustomerInput(form: CustomerFormState): Parsed<CreateCustomerInput> {
  const metadata = parseMetadata(form.metadata);
  if (!metadata.ok) return { ok: false, issues: { metadata: "must be a JSON object, e.g. {\"plan\": \"pro\"}" } };
  const raw: Record<string, unknown> = { name: form.name.trim() };
  if (form.externalId.trim()) raw.external_id = form.externalId.trim();
  if (metadata.value) raw.metadata = metadata.value;
  if (form.budgetUsd.trim()) raw.budgets = [{ usd: Number(form.budgetUsd), window: form.budgetWindow }];
  const issues = zodIssues(createCustomerInputSchema, raw);
  return Object.keys(issues).length > 0 ? { ok: false, issues } : { ok: true, input: raw as CreateCustomerInput };
}

/** Edits send name, external id and metadata only: budgets stay as they are (Budgets page). */
export function toUpdateCustomerInput(form: CustomerFormState): Parsed<UpdateCustomerInput> {
  const metadata = parseMetadata(form.metadata);
  if (!metadata.ok) return { ok: false, issues: { metadata: "must be a JSON object, e.g. {\"plan\": \"pro\"}" } };
  const raw: Record<string, unknown> = { name: form.name.trim(), external_id: form.externalId.trim() || null, metadata: metadata.value ?? {} };
  const issues = zodIssues(updateCustomerInputSchema, raw);
  return Object.keys(issues).length > 0 ? { ok: false, issues } : { ok: true, input: raw as UpdateCustomerInput };
}

export function CustomerForm({ customer, onDone, onCancel }: { customer: Customer | null; onDone: () => void; onCancel: () => void }) {
  const [form, setForm] = useState<CustomerFormState>(() => formStateOf(customer));
  const [issues, setIssues] = useState<Record<string, string>>({});
  const create = useCreateCustomer();
  const update = useUpdateCustomer();
  const mutation = customer ? update : create;
  const serverError = mutation.error instanceof ApiError ? mutation.error : null;
  const set = (field: keyof CustomerFormState) => (event: { target: { value: string } }) => setForm((f) => ({ ...f, [field]: event.target.value }));
  const fieldError = (path: string) => issueAt(issues, path) ?? serverError?.issueFor(path) ?? null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (customer) {
      const parsed = toUpdateCustomerInput(form);
      if (!parsed.ok) return setIssues(parsed.issues);
      setIssues({});
      update.mutate({ id: customer.id, input: parsed.input }, { onSuccess: onDone });
    } else {
      const parsed = toCreateCustomerInput(form);
      if (!parsed.ok) return setIssues(parsed.issues);
      setIssues({});
      create.mutate(parsed.input, { onSuccess: onDone });
    }
  };

  // Errors the fields do not show (a 409 on the name is shown by the name field).
  const formError = serverError && serverError.issues.length === 0 && serverError.code !== "conflict" ? errorMessage(serverError) : mutation.error && !serverError ? errorMessage(mutation.error) : null;
  return (
    <form onSubmit={submit} className="space-y-4" noValidate data-testid="customer-form">
      <TextField
        label="Name"
        value={form.name}
        onChange={set("name")}
        data-testid="customer-name"
        errorTestId="customer-name-error"
        error={fieldError("name") ?? (serverError?.code === "conflict" ? serverError.message : null)}
        autoFocus
      />
      <TextField label="External id" hint="The customer's id in your billing or CRM system (optional)." value={form.externalId} onChange={set("externalId")} data-testid="customer-external-id" error={fieldError("external_id")} />
      <TextAreaField label="Metadata (JSON)" rows={3} placeholder='{"plan": "enterprise"}' value={form.metadata} onChange={set("metadata")} data-testid="customer-metadata" errorTestId="customer-metadata-error" error={fieldError("metadata")} />
      {customer ? null : (
        <div className="grid gap-3 sm:grid-cols-2">
          <TextField label="Budget (USD, optional)" type="number" min="0" step="0.01" value={form.budgetUsd} onChange={set("budgetUsd")} data-testid="customer-budget-usd" error={fieldError("budgets")} />
          <SelectField label="Budget window" value={form.budgetWindow} onChange={set("budgetWindow")} options={WINDOWS} data-testid="customer-budget-window" />
        </div>
      )}
      <ErrorNote message={formError} testId="customer-form-error" />
      <div className="flex justify-end gap-2">
        <Button onClick={onCancel}>Cancel</Button>
        <Button tone="primary" type="submit" disabled={mutation.isPending} data-testid="customer-submit">
          {mutation.isPending ? "Saving…" : customer ? "Save" : "Create customer"}
        </Button>
      </div>
    </form>
  );
}
