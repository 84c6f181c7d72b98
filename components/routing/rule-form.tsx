"use client";
import { useState, type FormEvent } from "react";
import type { CreateRoutingRuleInput } from "@/lib/validation/admin-routing-rules";
import { ApiError, errorMessage } from "@/components/data/api-client";
import type { RoutingRule } from "@/components/data/api-types";
import { useProviders } from "@/components/data/use-providers";
import { useSaveRoutingRule } from "@/components/data/use-routing-rules";
import { Button, ErrorNote, INPUT_CLASS, TextAreaField, TextField } from "@/components/ui/form-fields";
import { GuidedCondition } from "./guided-condition";

interface TargetRow {
  provider: string;
  model: string;
  weight: string;
}

const BLANK_TARGET: TargetRow = { provider: "", model: "", weight: "1" };

/** The server's CEL compile error, with the characters it points at underlined. */
function ConditionError({ error, condition }: { error: ApiError; condition: string }) {
  const position = error.position;
  return (
    <div role="alert" data-testid="rule-condition-error" className="space-y-1 rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-800">
      <p>
        {error.message}
        {position ? <span data-testid="rule-condition-error-position"> (characters {position.start}–{position.end})</span> : null}
      </p>
      {position ? (
        <pre className="overflow-x-auto font-mono text-xs whitespace-pre text-rose-900">
          {condition.slice(0, position.start)}
          <mark className="bg-rose-200 text-rose-950 underline decoration-wavy">{condition.slice(position.start, Math.max(position.end, position.start + 1)) || " "}</mark>
          {condition.slice(Math.max(position.end, position.start + 1))}
        </pre>
      ) : error.excerpt ? (
        <pre className="font-mono text-xs">{error.excerpt}</pre>
      ) : null}
    </div>
  );
}

function TargetsEditor({ label, rows, onChange, withWeight, providerNames, testId }: { label: string; rows: TargetRow[]; onChange: (rows: TargetRow[]) => void; withWeight: boolean; providerNames: string[]; testId: string }) {
  const update = (index: number, patch: Partial<TargetRow>) => onChange(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  return (
    <fieldset className="space-y-2" data-testid={testId}>
      <legend className="text-sm font-medium text-slate-700">{label}</legend>
      {rows.map((row, index) => (
        <div key={index} className={`grid items-center gap-2 ${withWeight ? "grid-cols-[9rem_1fr_5rem_auto]" : "grid-cols-[9rem_1fr_auto]"}`}>
          <select aria-label={`${label} ${index + 1} provider`} className={INPUT_CLASS} value={row.provider} onChange={(e) => update(index, { provider: e.target.value })} data-testid={`${testId}-provider-${index}`}>
            <option value="">Provider…</option>
            {providerNames.map((name) => <option key={name} value={name}>{name}</option>)}
          </select>
          <input aria-label={`${label} ${index + 1} model`} placeholder="model" className={INPUT_CLASS} value={row.model} onChange={(e) => update(index, { model: e.target.value })} data-testid={`${testId}-model-${index}`} />
          {withWeight ? (
            <input aria-label={`${label} ${index + 1} weight`} type="number" min="0" className={INPUT_CLASS} value={row.weight} onChange={(e) => update(index, { weight: e.target.value })} data-testid={`${testId}-weight-${index}`} />
          ) : null}
          <Button size="sm" tone="ghost" aria-label={`Remove ${label.toLowerCase()} ${index + 1}`} onClick={() => onChange(rows.filter((_, i) => i !== index))}>Remove</Button>
        </div>
      ))}
      <Button size="sm" onClick={() => onChange([...rows, BLANK_TARGET])} data-testid={`${testId}-add`}>Add {withWeight ? "target" : "fallback"}</Button>
    </fieldset>
  );
}

export function RuleForm({ rule, onDone }: { rule: RoutingRule | null; onDone: () => void }) {
  const save = useSaveRoutingRule();
  const providers = useProviders();
  const [name, setName] = useState(rule?.name ?? "");
  const [condition, setCondition] = useState(rule?.condition ?? "");
  const [targets, setTargets] = useState<TargetRow[]>(rule?.targets.map((t) => ({ provider: t.provider, model: t.model, weight: String(t.weight) })) ?? [BLANK_TARGET]);
  const [fallbacks, setFallbacks] = useState<TargetRow[]>(rule?.fallbacks.map((t) => ({ provider: t.provider, model: t.model, weight: "" })) ?? []);
  // The condition that produced the current error: the highlight must index into it, not
  // into what the user has typed since.
  const [submittedCondition, setSubmittedCondition] = useState("");
  const [guided, setGuided] = useState(false);
  const error = save.error instanceof ApiError ? save.error : null;
  const conditionError = error?.code === "invalid_condition" ? error : null;
  const providerNames = (providers.data ?? []).map((p) => p.name);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const input: CreateRoutingRuleInput = {
      name: name.trim(),
      condition,
      targets: targets.map((t) => ({ provider: t.provider, model: t.model.trim(), weight: t.weight === "" ? undefined : Number(t.weight) })),
      fallbacks: fallbacks.map((t) => ({ provider: t.provider, model: t.model.trim() })),
    };
    setSubmittedCondition(condition);
    save.mutate({ id: rule?.id ?? null, input }, { onSuccess: onDone });
  };

  return (
    <form onSubmit={submit} className="space-y-4" data-testid="rule-form" noValidate>
      <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} data-testid="rule-name" error={error?.issueFor("name")} autoFocus />
      <TextAreaField
        label="Condition (CEL)"
        hint='Empty matches every request. Variables: model, provider, request_type, headers, params, key, team, customer, metadata, tags, budget_used. Example: model.startsWith("claude-") && team["name"] == "research"'
        rows={3}
        value={condition}
        onChange={(e) => setCondition(e.target.value)}
        data-testid="rule-condition"
        spellCheck={false}
        aria-invalid={conditionError ? true : undefined}
      />
      {conditionError ? <ConditionError error={conditionError} condition={submittedCondition} /> : null}
      <div>
        <Button size="sm" tone="ghost" aria-expanded={guided} onClick={() => setGuided((g) => !g)} data-testid="guided-toggle">
          {guided ? "Hide guided builder" : "Build the condition with guided clauses…"}
        </Button>
        {guided ? <GuidedCondition current={condition} onWrite={setCondition} /> : null}
      </div>
      <TargetsEditor label="Targets" rows={targets} onChange={setTargets} withWeight providerNames={providerNames} testId="rule-targets" />
      <TargetsEditor label="Fallback chain" rows={fallbacks} onChange={setFallbacks} withWeight={false} providerNames={providerNames} testId="rule-fallbacks" />
      <ErrorNote message={error && !conditionError ? errorMessage(error) : null} testId="rule-error" />
      <div className="flex justify-end gap-2">
        <Button onClick={onDone}>Cancel</Button>
        <Button tone="primary" type="submit" disabled={save.isPending} data-testid="rule-submit">
          {save.isPending ? "Saving…" : rule ? "Save rule" : "Create rule"}
        </Button>
      </div>
    </form>
  );
}
