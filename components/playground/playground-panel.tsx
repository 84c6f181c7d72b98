"use client";
import { useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { Button, ErrorNote, Panel, TextAreaField, TextField } from "@/components/ui/form-fields";
import { formatUsd } from "@/components/ui/format";
import { readChatStream, type StreamUsage } from "./chat-stream";
import { PLAYGROUND_CHAT_PATH, PLAYGROUND_KEY_HEADER } from "./playground-protocol";

interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

interface ResponseInfo {
  status: number;
  provider: string | null;
  model: string | null;
  attempts: string | null;
  cache: string | null;
  costUsd: string | null;
  requestId: string | null;
  usage: StreamUsage | null;
  elapsedMs: number | null;
}

const INFO_LABELS: { key: keyof ResponseInfo; label: string; testId: string }[] = [
  { key: "provider", label: "Provider", testId: "playground-provider" },
  { key: "model", label: "Model", testId: "playground-served-model" },
  { key: "attempts", label: "Attempts", testId: "playground-attempts" },
  { key: "cache", label: "Cache", testId: "playground-cache" },
  { key: "costUsd", label: "Cost", testId: "playground-cost" },
  { key: "requestId", label: "Request id", testId: "playground-request-id" },
];

function infoFrom(response: Response): ResponseInfo {
  const header = (name: string) => response.headers.get(name);
  return {
    status: response.status,
    provider: header("x-switchyard-provider"),
    model: header("x-switchyard-model"),
    attempts: header("x-switchyard-attempts"),
    cache: header("x-switchyard-cache"),
    costUsd: header("x-switchyard-cost-usd"),
    requestId: header("x-request-id"),
    usage: null,
    elapsedMs: null,
  };
}

function infoValue(info: ResponseInfo, key: keyof ResponseInfo): string {
  const value = info[key];
  if (key === "costUsd" && typeof value === "string") return Number.isFinite(Number(value)) ? formatUsd(Number(value)) : value;
  return typeof value === "string" || typeof value === "number" ? String(value) : "—";
}

async function errorText(response: Response): Promise<string> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { error?: { message?: string } };
    if (body.error?.message) return `${response.status}: ${body.error.message}`;
  } catch {
    // Not JSON: show the status only.
  }
  return `The gateway answered ${response.status}${text ? `: ${text.slice(0, 300)}` : ""}`;
}

export function PlaygroundPanel() {
  // The pasted key lives only in this component's state: never stored, never sent elsewhere.
  const [virtualKey, setVirtualKey] = useState("");
  const [model, setModel] = useState("");
  const [system, setSystem] = useState("");
  const [draft, setDraft] = useState("");
  const [stream, setStream] = useState(true);
  const [history, setHistory] = useState<ChatMessage[]>([]);
  const [output, setOutput] = useState("");
  const [info, setInfo] = useState<ResponseInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<{ key?: string; model?: string; message?: string }>({});
  const [busy, setBusy] = useState(false);
  const abortRef = useRef<AbortController | null>(null);

  const send = async () => {
    const errors = {
      key: virtualKey.trim() ? undefined : "Paste a virtual key you may use (shown once when it was created).",
      model: model.trim() ? undefined : "Name a model, e.g. openai/gpt-4o-mini or an alias.",
      message: draft.trim() ? undefined : "Type a message.",
    };
    setFieldErrors(errors);
    if (errors.key || errors.model || errors.message) return;
    const conversation: ChatMessage[] = [...history, { role: "user", content: draft.trim() }];
    const messages: ChatMessage[] = system.trim() ? [{ role: "system", content: system.trim() }, ...conversation] : conversation;
    const controller = new AbortController();
    abortRef.current = controller;
    setBusy(true);
    setError(null);
    setOutput("");
    setInfo(null);
    const started = performance.now();
    let answer = "";
    try {
      const response = await fetch(PLAYGROUND_CHAT_PATH, {
        method: "POST",
        headers: { "content-type": "application/json", [PLAYGROUND_KEY_HEADER]: virtualKey.trim() },
        body: JSON.stringify({ model: model.trim(), messages, stream, ...(stream ? { stream_options: { include_usage: true } } : {}) }),
        credentials: "same-origin",
        signal: controller.signal,
      });
      const current = infoFrom(response);
      setInfo(current);
      if (!response.ok) {
        setError(await errorText(response));
        return;
      }
      if (stream && response.body && (response.headers.get("content-type") ?? "").includes("text/event-stream")) {
        await readChatStream(response.body, {
          onDelta: (text) => {
            answer += text;
            setOutput(answer);
          },
          onUsage: (usage) => setInfo((i) => (i ? { ...i, usage } : i)),
          onTrailers: (trailers) => setInfo((i) => (i ? { ...i, costUsd: trailers["x-switchyard-cost-usd"] ?? i.costUsd } : i)),
          onStreamError: (message) => setError(message),
        });
      } else {
        const body = (await response.json()) as { choices?: { message?: { content?: string | null } }[]; usage?: StreamUsage };
        answer = body.choices?.[0]?.message?.content ?? "";
        setOutput(answer);
        setInfo((i) => (i ? { ...i, usage: body.usage ?? null } : i));
      }
      setHistory([...conversation, { role: "assistant", content: answer }]);
      setDraft("");
    } catch (caught) {
      if (caught instanceof DOMException && caught.name === "AbortError") setError("Stopped.");
      else setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setInfo((i) => (i ? { ...i, elapsedMs: Math.round(performance.now() - started) } : i));
      abortRef.current = null;
      setBusy(false);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void send();
  };
  // Ctrl/⌘+Enter sends, plain Enter makes a new line (multi-line prompts are common).
  const onMessageKey = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter" && (event.metaKey || event.ctrlKey) && !busy) {
      event.preventDefault();
      void send();
    }
  };

  return (
    <div className="grid gap-6 lg:grid-cols-[22rem_1fr]">
      <Panel className="self-start p-5">
        <form onSubmit={submit} className="space-y-4" noValidate data-testid="playground-form">
          <TextField
            label="Virtual key"
            type="password"
            autoComplete="off"
            spellCheck={false}
            placeholder="sk-sy-…"
            hint="Kept in this page only; requests run with this key's models, budgets and limits."
            value={virtualKey}
            onChange={(e) => setVirtualKey(e.target.value)}
            error={fieldErrors.key}
            data-testid="playground-key"
            errorTestId="playground-key-error"
          />
          <TextField
            label="Model"
            placeholder="provider/model or an alias"
            value={model}
            onChange={(e) => setModel(e.target.value)}
            error={fieldErrors.model}
            data-testid="playground-model"
            errorTestId="playground-model-error"
          />
          <TextAreaField label="System prompt (optional)" rows={3} value={system} onChange={(e) => setSystem(e.target.value)} data-testid="playground-system" />
          <label className="flex items-center gap-2 text-sm text-slate-700 dark:text-slate-300">
            <input type="checkbox" checked={stream} onChange={(e) => setStream(e.target.checked)} data-testid="playground-stream" />
            Stream the answer
          </label>
          {history.length > 0 ? (
            <Button size="sm" tone="ghost" onClick={() => { setHistory([]); setOutput(""); setInfo(null); setError(null); }} data-testid="playground-reset">
              New conversation ({history.length} messages)
            </Button>
          ) : null}
        </form>
      </Panel>

      <div className="min-w-0 space-y-4">
        {history.length > 0 ? (
          <Panel className="p-4">
            <ol className="space-y-3 text-sm" aria-label="Conversation" data-testid="playground-history">
              {history.map((message, index) => (
                <li key={index} className={message.role === "user" ? "text-slate-900 dark:text-slate-100" : "text-slate-700 dark:text-slate-300"}>
                  <span className="mr-2 text-xs font-semibold tracking-wide text-slate-500 uppercase">{message.role}</span>
                  <span className="whitespace-pre-wrap">{message.content}</span>
                </li>
              ))}
            </ol>
          </Panel>
        ) : null}

        <Panel className="p-4">
          <h2 className="mb-2 text-sm font-semibold text-slate-900 dark:text-slate-100">Answer</h2>
          <div
            className="min-h-32 rounded-md bg-slate-50 p-3 font-mono text-sm whitespace-pre-wrap text-slate-900 dark:bg-slate-800 dark:text-slate-100"
            data-testid="playground-output"
            aria-live="polite"
            aria-busy={busy}
          >
            {output || (busy ? "…" : <span className="text-slate-400">The answer appears here as it streams in.</span>)}
          </div>
          <div className="mt-3"><ErrorNote message={error} testId="playground-error" /></div>
          {info ? (
            <dl className="mt-3 grid grid-cols-2 gap-x-4 gap-y-1 text-xs sm:grid-cols-4" data-testid="playground-headers">
              {INFO_LABELS.map(({ key, label, testId }) => (
                <div key={key} className="min-w-0">
                  <dt className="text-slate-500 dark:text-slate-400">{label}</dt>
                  <dd className="truncate font-mono text-slate-900 dark:text-slate-100" data-testid={testId} title={infoValue(info, key)}>{infoValue(info, key)}</dd>
                </div>
              ))}
              <div>
                <dt className="text-slate-500 dark:text-slate-400">Tokens in / out</dt>
                <dd className="font-mono text-slate-900 dark:text-slate-100" data-testid="playground-tokens">
                  {info.usage ? `${info.usage.prompt_tokens ?? "?"} / ${info.usage.completion_tokens ?? "?"}` : "—"}
                </dd>
              </div>
              <div>
                <dt className="text-slate-500 dark:text-slate-400">Time</dt>
                <dd className="font-mono text-slate-900 dark:text-slate-100" data-testid="playground-elapsed">{info.elapsedMs === null ? "…" : `${info.elapsedMs} ms`}</dd>
              </div>
            </dl>
          ) : null}
        </Panel>

        <Panel className="p-4">
          <form onSubmit={submit} className="space-y-3" noValidate>
            <TextAreaField
              label={history.length > 0 ? "Next message" : "Message"}
              hint="Ctrl+Enter (⌘+Enter) sends."
              rows={4}
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
              onKeyDown={onMessageKey}
              error={fieldErrors.message}
              data-testid="playground-message"
              errorTestId="playground-message-error"
            />
            <div className="flex justify-end gap-2">
              {busy ? <Button onClick={() => abortRef.current?.abort()} data-testid="playground-stop">Stop</Button> : null}
              <Button tone="primary" type="submit" disabled={busy} data-testid="playground-send">{busy ? "Sending…" : "Send"}</Button>
            </div>
          </form>
        </Panel>
      </div>
    </div>
  );
}
