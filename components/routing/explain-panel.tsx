"use client";
import { useState, type FormEvent } from "react";
import { errorMessage } from "@/components/data/api-client";
import type { RouteExplanation } from "@/components/data/api-types";
import { useExplainRoute } from "@/components/data/use-routing-rules";
import { useVirtualKeys } from "@/components/data/use-virtual-keys";
import { Button, Chip, ErrorNote, Panel, SelectField, TD, TH, TextField } from "@/components/ui/form-fields";

function ExplanationView({ explanation }: { explanation: RouteExplanation }) {
  return (
    <div className="space-y-4" data-testid="explain-result">
      <p className="text-sm font-medium text-slate-900" data-testid="explain-summary">{explanation.summary}</p>
      <dl className="grid gap-2 text-sm sm:grid-cols-2">
        <div>
          <dt className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Matched rule</dt>
          <dd data-testid="explain-matched-rule">
            {explanation.matchedRule ? (
              <>
                {explanation.matchedRule.name} <span className="text-slate-500">({explanation.matchedRule.scope}, priority {explanation.matchedRule.priority})</span>
              </>
            ) : (
              <span className="text-slate-600">none: {explanation.noRuleReason ?? "no rule applies"}; routed by {explanation.source}</span>
            )}
          </dd>
        </div>
        <div>
          <dt className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Model</dt>
          <dd>
            {explanation.requestedModel}
            {explanation.alias ? <span className="text-slate-500"> (alias of {explanation.alias.to})</span> : null}
          </dd>
        </div>
      </dl>
      {explanation.ruleErrors.length > 0 ? (
        <ErrorNote message={explanation.ruleErrors.map((e) => `${e.ruleName}: ${e.message}`).join("\n")} />
      ) : null}
      <div className="overflow-x-auto">
        <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="explain-candidates">
          <caption className="sr-only">Candidates</caption>
          <thead className="bg-slate-50">
            <tr>
              <th scope="col" className={TH}>Role</th>
              <th scope="col" className={TH}>Provider / model</th>
              <th scope="col" className={`${TH} text-right`}>Weight</th>
              <th scope="col" className={`${TH} text-right`}>Share</th>
              <th scope="col" className={TH}>Excluded because</th>
              <th scope="col" className={TH}>Keys</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {explanation.candidates.map((c, i) => (
              <tr key={i} data-testid="explain-candidate">
                <td className={TD}><Chip tone={c.role === "target" ? "indigo" : "slate"}>{c.role}</Chip></td>
                <td className={`${TD} font-mono text-xs`}>{c.provider}/{c.model}</td>
                <td className={`${TD} text-right`}>{c.weight}</td>
                <td className={`${TD} text-right`}>{c.sharePercent}%</td>
                <td className={TD}>{c.excluded ? <span className="text-rose-700" title={c.excluded.reason}>{c.excluded.detail}</span> : <span className="text-emerald-700">eligible</span>}</td>
                <td className={`${TD} text-xs`}>
                  {c.keys.map((k) => (
                    <span key={k.name} className={`mr-2 ${k.excluded ? "text-slate-400 line-through" : ""}`} title={k.excluded ?? undefined}>{k.name}×{k.weight}</span>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div>
        <h3 className="mb-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">Attempt chain</h3>
        {explanation.chain.length === 0 ? (
          <p className="text-sm text-rose-700">Every candidate is excluded: the request would fail.</p>
        ) : (
          <ol className="flex flex-wrap items-center gap-2 text-sm" data-testid="explain-chain">
            {explanation.chain.map((step, i) => (
              <li key={i} className="flex items-center gap-2">
                {i > 0 ? <span aria-hidden="true" className="text-slate-400">→</span> : null}
                <Chip tone={step.role === "primary" ? "green" : step.role === "fallback" ? "amber" : "slate"}>{step.role}</Chip>
                <span className="font-mono text-xs">{step.provider}/{step.model}</span>
              </li>
            ))}
          </ol>
        )}
        {explanation.fallbackOn.length ? <p className="mt-1 text-xs text-slate-500">Falls back on: {explanation.fallbackOn.join(", ")}</p> : null}
      </div>
      {explanation.warnings?.length ? <p className="text-xs text-amber-700">{explanation.warnings.join("; ")}</p> : null}
    </div>
  );
}

export function ExplainPanel() {
  const explain = useExplainRoute();
  const keys = useVirtualKeys();
  const [model, setModel] = useState("");
  const [keyId, setKeyId] = useState("");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    explain.mutate({ model: model.trim(), ...(keyId ? { virtual_key_id: keyId } : {}) });
  };
  return (
    <Panel className="p-5">
      <section aria-labelledby="explain-heading" className="space-y-4" data-testid="explain-panel">
        <div>
          <h2 id="explain-heading" className="text-base font-semibold text-slate-900">Explain a route</h2>
          <p className="text-sm text-slate-600">What the running gateway would do with a request, and why.</p>
        </div>
        <form onSubmit={submit} className="grid items-end gap-3 sm:grid-cols-[2fr_2fr_auto]">
          <TextField label="Model" placeholder="gpt-4o-mini or provider/model" value={model} onChange={(e) => setModel(e.target.value)} data-testid="explain-model" required />
          <SelectField
            label="Virtual key (optional)"
            value={keyId}
            onChange={(e) => setKeyId(e.target.value)}
            data-testid="explain-key"
            options={[{ value: "", label: "No key" }, ...(keys.data ?? []).filter((k) => !k.revoked_at).map((k) => ({ value: k.id, label: k.name }))]}
          />
          <Button tone="primary" type="submit" disabled={explain.isPending || !model.trim()} data-testid="explain-submit">
            {explain.isPending ? "Explaining…" : "Explain"}
          </Button>
        </form>
        <ErrorNote message={explain.error ? errorMessage(explain.error) : null} testId="explain-error" />
        {explain.data ? <ExplanationView explanation={explain.data} /> : null}
      </section>
    </Panel>
  );
}
