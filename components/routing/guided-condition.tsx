"use client";
import { useState } from "react";
import { Button, INPUT_CLASS } from "@/components/ui/form-fields";
import { buildCondition, CLAUSE_KINDS, type Clause, type ClauseKind } from "./condition-builder";

/** Builds CEL from common clauses and hands it to the condition field (replace or append with &&). */
export function GuidedCondition({ current, onWrite }: { current: string; onWrite: (condition: string) => void }) {
  const [clauses, setClauses] = useState<Clause[]>([{ kind: "model_prefix", value: "" }]);
  const [join, setJoin] = useState<"all" | "any">("all");
  const [errors, setErrors] = useState<Record<number, string>>({});
  const update = (index: number, patch: Partial<Clause>) => setClauses((list) => list.map((c, i) => (i === index ? { ...c, ...patch } : c)));

  const write = (mode: "replace" | "append") => {
    const built = buildCondition(clauses, join);
    if (!built.ok) return setErrors(built.errors);
    setErrors({});
    onWrite(mode === "append" && current.trim() ? `(${current.trim()}) && ${built.cel}` : built.cel);
  };

  return (
    <fieldset className="space-y-2 rounded-lg border border-slate-200 p-3 dark:border-slate-700" data-testid="guided-condition">
      <legend className="px-1 text-sm font-medium text-slate-700 dark:text-slate-200">Guided condition</legend>
      <label className="flex items-center gap-2 text-xs text-slate-600 dark:text-slate-400">
        Match
        <select className={`${INPUT_CLASS} w-auto py-1 text-xs`} value={join} onChange={(e) => setJoin(e.target.value as "all" | "any")} data-testid="guided-join">
          <option value="all">all of</option>
          <option value="any">any of</option>
        </select>
        these clauses
      </label>
      {clauses.map((clause, index) => (
        <div key={index} className="space-y-1">
          <div className="grid grid-cols-1 gap-2 sm:grid-cols-[13rem_1fr_auto]">
            <select aria-label={`Clause ${index + 1} kind`} className={INPUT_CLASS} value={clause.kind} onChange={(e) => update(index, { kind: e.target.value as ClauseKind })} data-testid={`guided-kind-${index}`}>
              {(Object.keys(CLAUSE_KINDS) as ClauseKind[]).map((kind) => (
                <option key={kind} value={kind}>{CLAUSE_KINDS[kind].label}</option>
              ))}
            </select>
            <input
              aria-label={`Clause ${index + 1} value`}
              aria-invalid={errors[index] ? true : undefined}
              className={INPUT_CLASS}
              placeholder={CLAUSE_KINDS[clause.kind].placeholder}
              value={clause.value}
              onChange={(e) => update(index, { value: e.target.value })}
              data-testid={`guided-value-${index}`}
            />
            <Button size="sm" tone="ghost" aria-label={`Remove clause ${index + 1}`} onClick={() => setClauses((list) => list.filter((_, i) => i !== index))} disabled={clauses.length === 1}>
              Remove
            </Button>
          </div>
          {errors[index] ? <p role="alert" className="text-xs text-rose-700" data-testid={`guided-error-${index}`}>{errors[index]}</p> : null}
        </div>
      ))}
      <div className="flex flex-wrap gap-2">
        <Button size="sm" onClick={() => setClauses((list) => [...list, { kind: "model_prefix", value: "" }])} data-testid="guided-add">Add clause</Button>
        <Button size="sm" tone="primary" onClick={() => write("replace")} data-testid="guided-write">Use as condition</Button>
        {current.trim() ? <Button size="sm" onClick={() => write("append")} data-testid="guided-append">Add to condition (&&)</Button> : null}
      </div>
    </fieldset>
  );
}
