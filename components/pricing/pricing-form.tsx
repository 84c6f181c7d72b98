"use client";
import { useState, type FormEvent } from "react";
import { pricingOverrideInputSchema, type PricingOverrideInput } from "@/lib/validation/pricing";
import { ApiError, errorMessage } from "@/components/data/api-client";
import { useSavePricingOverride, type PricingOverride } from "@/components/data/use-pricing";
import { Button, ErrorNote, TextField } from "@/components/ui/form-fields";
import { issueAt, zodIssues } from "@/components/ui/zod-issues";

const PRICE_FIELDS = [
  { key: "input_per_mtok", label: "Input", required: true },
  { key: "output_per_mtok", label: "Output", required: true },
  { key: "cache_read_per_mtok", label: "Cache read", required: false },
  { key: "cache_write_per_mtok", label: "Cache write", required: false },
  { key: "reasoning_per_mtok", label: "Reasoning", required: false },
] as const;
type PriceKey = (typeof PRICE_FIELDS)[number]["key"];

export type PricingFormState = { model: string } & Record<PriceKey, string>;

export function pricingFormStateOf(override: PricingOverride | null): PricingFormState {
  const text = (value: number | null | undefined) => (value === null || value === undefined ? "" : String(value));
  return {
    model: override?.model ?? "",
    input_per_mtok: text(override?.input_per_mtok),
    output_per_mtok: text(override?.output_per_mtok),
    cache_read_per_mtok: text(override?.cache_read_per_mtok),
    cache_write_per_mtok: text(override?.cache_write_per_mtok),
    reasoning_per_mtok: text(override?.reasoning_per_mtok),
  };
}

/**
 * Form → POST body. An empty optional price is left out (it then falls back to the input or
 * output price); an empty required one becomes undefined so the schema names it.
 */
export function toPricingInput(form: PricingFormState): { ok: true; input: PricingOverrideInput } | { ok: false; issues: Record<string, string> } {
  const raw: Record<string, unknown> = { model: form.model.trim() };
  for (const field of PRICE_FIELDS) {
    const value = form[field.key].trim();
    if (value === "") continue;
    // Number("abc") is NaN, which the schema reports as "expected number": the right message.
    raw[field.key] = Number(value);
  }
  const issues = zodIssues(pricingOverrideInputSchema, raw);
  return Object.keys(issues).length > 0 ? { ok: false, issues } : { ok: true, input: raw as PricingOverrideInput };
}

export function PricingForm({ initial, onDone, onCancel }: { initial: PricingOverride | null; onDone: () => void; onCancel: () => void }) {
  const [form, setForm] = useState<PricingFormState>(() => pricingFormStateOf(initial));
  const [issues, setIssues] = useState<Record<string, string>>({});
  const save = useSavePricingOverride();
  const serverError = save.error instanceof ApiError ? save.error : null;
  const fieldError = (path: string) => issueAt(issues, path) ?? serverError?.issueFor(path) ?? null;
  const set = (field: keyof PricingFormState) => (event: { target: { value: string } }) => setForm((f) => ({ ...f, [field]: event.target.value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = toPricingInput(form);
    if (!parsed.ok) return setIssues(parsed.issues);
    setIssues({});
    save.mutate(parsed.input, { onSuccess: onDone });
  };

  return (
    <form onSubmit={submit} className="space-y-4" noValidate data-testid="pricing-form">
      <TextField
        label="Model"
        hint="provider/model, a bare model name, or a glob such as openai/gpt-4o* — the most specific match wins."
        value={form.model}
        onChange={set("model")}
        readOnly={initial !== null}
        data-testid="pricing-model"
        errorTestId="pricing-model-error"
        error={fieldError("model")}
        autoFocus={initial === null}
      />
      <fieldset>
        <legend className="mb-2 text-sm font-medium text-slate-700 dark:text-slate-200">USD per million tokens</legend>
        <div className="grid gap-3 sm:grid-cols-3">
          {PRICE_FIELDS.map((field) => (
            <TextField
              key={field.key}
              label={field.required ? field.label : `${field.label} (optional)`}
              type="number"
              inputMode="decimal"
              min="0"
              step="any"
              value={form[field.key]}
              onChange={set(field.key)}
              data-testid={`pricing-${field.key.replace(/_per_mtok$/, "").replace("_", "-")}`}
              errorTestId={`pricing-${field.key.replace(/_per_mtok$/, "").replace("_", "-")}-error`}
              error={fieldError(field.key)}
              autoFocus={initial !== null && field.key === "input_per_mtok"}
            />
          ))}
        </div>
      </fieldset>
      <ErrorNote message={save.error && (!serverError || serverError.issues.length === 0) ? errorMessage(save.error) : null} testId="pricing-form-error" />
      <div className="flex justify-end gap-2">
        <Button onClick={onCancel}>Cancel</Button>
        <Button tone="primary" type="submit" disabled={save.isPending} data-testid="pricing-submit">
          {save.isPending ? "Saving…" : "Save price"}
        </Button>
      </div>
    </form>
  );
}
