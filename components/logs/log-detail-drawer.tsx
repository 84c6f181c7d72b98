"use client";
// The detail drawer of one request (issue 7): tokens, cost breakdown, the attempt trail,
// parameter transformations, and — when captured and the role may read them — the messages,
// tool calls and raw bodies. Reads GET /api/v1/logs/:id; a request still under way (or whose
// row the gateway has not flushed yet) shows what the socket pushed and retries until stored.
import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { apiData, ApiError } from "@/components/data/api-client";
import { formatInt, formatLatency, formatUsd } from "@/components/ui/format";
import { StatusBadge } from "@/components/ui/status-badge";
import type { ApiLogDetail } from "@/lib/logs/api-shape";
import type { LiveRow } from "./use-live-logs";

interface Attempt {
  provider: string;
  model: string;
  key: string;
  status: number;
  latencyMs: number;
  errorType?: string;
  errorCode?: string;
  reason?: string;
  skipped?: true;
}

interface Transformation {
  param: string;
  action: string;
  from?: unknown;
  to?: unknown;
  reason: string;
}

interface CostBreakdown {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  reasoning: number;
  total: number;
  source: string;
  matched: string | null;
}

interface ChatMessage {
  role: string;
  text: string;
  toolCalls: Array<{ name: string; arguments: string }>;
}

/** Messages and tool calls out of a captured OpenAI- or Anthropic-style request body, when it parses. */
export function messagesOf(body: string | null): ChatMessage[] {
  if (!body) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [];
  }
  const messages = (parsed as { messages?: unknown }).messages;
  if (!Array.isArray(messages)) return [];
  return messages.map((raw): ChatMessage => {
    const m = (raw ?? {}) as { role?: unknown; content?: unknown; tool_calls?: unknown };
    const parts = Array.isArray(m.content) ? (m.content as Array<Record<string, unknown>>) : [];
    const text = typeof m.content === "string" ? m.content : parts.map((p) => (typeof p.text === "string" ? p.text : typeof p.content === "string" ? p.content : "")).filter(Boolean).join("\n");
    const openaiCalls = Array.isArray(m.tool_calls)
      ? (m.tool_calls as Array<{ function?: { name?: unknown; arguments?: unknown } }>).map((c) => ({ name: String(c.function?.name ?? "?"), arguments: String(c.function?.arguments ?? "") }))
      : [];
    const anthropicCalls = parts.filter((p) => p.type === "tool_use").map((p) => ({ name: String(p.name ?? "?"), arguments: JSON.stringify(p.input ?? {}) }));
    return { role: String(m.role ?? "?"), text, toolCalls: [...openaiCalls, ...anthropicCalls] };
  });
}

function Section({ title, children, testId }: { title: string; children: React.ReactNode; testId?: string }) {
  return (
    <section className="border-t border-slate-200 pt-4" data-testid={testId}>
      <h3 className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500">{title}</h3>
      {children}
    </section>
  );
}

function Field({ label, value, testId }: { label: string; value: React.ReactNode; testId?: string }) {
  return (
    <div className="flex justify-between gap-4 py-0.5 text-sm">
      <dt className="text-slate-500">{label}</dt>
      <dd className="text-right font-medium tabular-nums text-slate-900" data-testid={testId}>{value}</dd>
    </div>
  );
}

export function LogDetailDrawer({ row, onClose }: { row: LiveRow; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const finished = row.status !== null;
  const detail = useQuery({
    queryKey: ["log-detail", row.id, finished],
    queryFn: () => apiData<ApiLogDetail>(`/api/v1/logs/${row.id}`),
    enabled: finished,
    // The row is pushed before the writer's batch lands: a 404 right after the end event is expected.
    retry: (failures, error) => error instanceof ApiError && error.status === 404 && failures < 20,
    retryDelay: 250,
  });

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  const log = detail.data;
  const tokens = log?.tokens ?? row.tokens;
  const cost = (log?.cost_breakdown ?? null) as unknown as CostBreakdown | null;
  const attempts = (Array.isArray(log?.attempt_details) ? log.attempt_details : []) as unknown as Attempt[];
  const transformations = (Array.isArray(log?.param_transformations) ? log.param_transformations : []) as unknown as Transformation[];
  const messages = messagesOf(log?.body?.request ?? null);

  return (
    <dialog
      ref={ref}
      onClose={onClose}
      aria-label={`Request ${row.id}`}
      data-testid="log-detail"
      className="fixed inset-y-0 right-0 left-auto m-0 h-full max-h-none w-full max-w-xl border-l border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/30"
    >
      <div className="flex h-full flex-col">
        <header className="flex items-start justify-between gap-4 border-b border-slate-200 px-5 py-4">
          <div>
            <h2 className="text-base font-semibold">{row.model ?? row.requested_model ?? "Request"}</h2>
            <p className="mt-0.5 font-mono text-xs text-slate-500" data-testid="log-detail-id">{row.id}</p>
          </div>
          <button type="button" onClick={() => ref.current?.close()} aria-label="Close" className="rounded p-1 text-slate-500 hover:bg-slate-100">
            <svg aria-hidden="true" viewBox="0 0 20 20" className="size-5" fill="currentColor">
              <path d="M6.28 5.22a.75.75 0 00-1.06 1.06L8.94 10l-3.72 3.72a.75.75 0 101.06 1.06L10 11.06l3.72 3.72a.75.75 0 101.06-1.06L11.06 10l3.72-3.72a.75.75 0 00-1.06-1.06L10 8.94 6.28 5.22z" />
            </svg>
          </button>
        </header>
        <div className="flex-1 space-y-4 overflow-y-auto px-5 py-4">
          <dl>
            <Field label="Status" value={row.status === null ? <span className="text-indigo-700">in progress</span> : <StatusBadge status={row.status} />} />
            <Field label="Provider" value={row.provider ?? "—"} />
            <Field label="Virtual key" value={row.virtual_key ?? "—"} />
            <Field label="Team" value={row.team ?? "—"} />
            <Field label="Latency" value={formatLatency(row.latency_ms)} />
            <Field label="Time to first token" value={formatLatency(row.ttft_ms)} />
            <Field label="Cache" value={row.cache} />
            {row.routing_rule ? <Field label="Routing rule" value={row.routing_rule} /> : null}
          </dl>
          {row.error ? (
            <p className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800" data-testid="log-detail-error">
              {row.error.source ? `${row.error.source}: ` : ""}{row.error.type}{row.error.message ? ` — ${row.error.message}` : ""}
            </p>
          ) : null}

          <Section title="Tokens" testId="log-detail-tokens">
            <dl>
              <Field label="Input" value={formatInt(tokens.input)} testId="log-detail-tokens-input" />
              <Field label="Output" value={formatInt(tokens.output)} testId="log-detail-tokens-output" />
              <Field label="Cache read" value={formatInt(tokens.cache_read)} />
              <Field label="Cache write" value={formatInt(tokens.cache_write)} />
              <Field label="Reasoning" value={formatInt(tokens.reasoning)} />
            </dl>
          </Section>

          <Section title="Cost" testId="log-detail-cost">
            <dl>
              <Field label="Total" value={formatUsd(log?.cost_usd ?? row.cost_usd)} testId="log-detail-cost-total" />
              {cost ? (
                <>
                  <Field label="Input" value={formatUsd(cost.input)} />
                  <Field label="Output" value={formatUsd(cost.output)} />
                  <Field label="Cache read" value={formatUsd(cost.cacheRead)} />
                  <Field label="Cache write" value={formatUsd(cost.cacheWrite)} />
                  <Field label="Reasoning" value={formatUsd(cost.reasoning)} />
                  <Field label="Priced by" value={`${cost.source}${cost.matched ? ` (${cost.matched})` : ""}`} />
                </>
              ) : null}
              {log?.cache_saved_usd ? <Field label="Saved by the cache" value={formatUsd(log.cache_saved_usd)} /> : null}
            </dl>
          </Section>

          {!finished ? <p className="text-sm text-slate-500">The full record is shown once the request ends.</p> : null}
          {detail.isError ? <p className="text-sm text-rose-700">Could not load the full record: {(detail.error as Error).message}</p> : null}
          {finished && detail.isPending ? <p className="text-sm text-slate-500">Loading the full record…</p> : null}

          {attempts.length > 0 ? (
            <Section title="Attempts" testId="log-detail-attempts">
              <ol className="space-y-1.5 text-sm">
                {attempts.map((a, i) => (
                  <li key={i} className="flex items-center justify-between gap-3">
                    <span>
                      <span className="text-slate-500">{i + 1}.</span> {a.provider}/{a.model} <span className="text-slate-500">key {a.key || "—"}</span>
                      {a.reason ? <span className="block text-xs text-slate-500">after: {a.reason}</span> : null}
                      {a.skipped ? <span className="block text-xs text-slate-500">skipped ({a.errorCode ?? a.errorType})</span> : null}
                    </span>
                    <span className="flex items-center gap-2"><StatusBadge status={a.status} /><span className="tabular-nums text-slate-500">{formatLatency(a.latencyMs)}</span></span>
                  </li>
                ))}
              </ol>
            </Section>
          ) : null}

          {transformations.length > 0 ? (
            <Section title="Parameter transformations" testId="log-detail-transformations">
              <ul className="space-y-1 text-sm">
                {transformations.map((t, i) => (
                  <li key={i}>
                    <code className="font-mono text-xs">{t.param}</code> {t.action}
                    {t.from !== undefined ? <> from <code className="font-mono text-xs">{JSON.stringify(t.from)}</code></> : null}
                    {t.to !== undefined ? <> to <code className="font-mono text-xs">{JSON.stringify(t.to)}</code></> : null}
                    <span className="block text-xs text-slate-500">{t.reason}</span>
                  </li>
                ))}
              </ul>
            </Section>
          ) : null}

          {messages.length > 0 ? (
            <Section title="Messages" testId="log-detail-messages">
              <ol className="space-y-2 text-sm">
                {messages.map((m, i) => (
                  <li key={i} className="rounded-md bg-slate-50 px-3 py-2">
                    <span className="text-xs font-semibold uppercase text-slate-500">{m.role}</span>
                    {m.text ? <p className="whitespace-pre-wrap break-words">{m.text}</p> : null}
                    {m.toolCalls.map((call, j) => (
                      <p key={j} className="mt-1 font-mono text-xs text-indigo-800">→ {call.name}({call.arguments})</p>
                    ))}
                  </li>
                ))}
              </ol>
            </Section>
          ) : null}

          {log?.body ? (
            <Section title={`Raw bodies${log.body.truncated ? " (truncated)" : ""}`} testId="log-detail-bodies">
              <details className="text-sm">
                <summary className="cursor-pointer text-slate-700">Request</summary>
                <pre className="mt-1 max-h-64 overflow-auto rounded bg-slate-900 p-3 text-xs text-slate-100">{log.body.request ?? "—"}</pre>
              </details>
              <details className="mt-2 text-sm">
                <summary className="cursor-pointer text-slate-700">Response</summary>
                <pre className="mt-1 max-h-64 overflow-auto rounded bg-slate-900 p-3 text-xs text-slate-100">{log.body.response ?? "—"}</pre>
              </details>
            </Section>
          ) : log && !log.body_visible ? (
            <p className="text-xs text-slate-500">Your role may not read request bodies.</p>
          ) : null}
        </div>
      </div>
    </dialog>
  );
}
