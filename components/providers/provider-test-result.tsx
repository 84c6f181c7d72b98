import type { ProviderTestResult } from "@/components/data/api-types";
import { formatLatency } from "@/components/ui/format";

/** What the upstream answered to "test connection": a failure is an answer too, not an error. */
export function ProviderTestResultView({ result }: { result: ProviderTestResult }) {
  return (
    <div
      data-testid="provider-test-result"
      data-ok={result.ok}
      className={`space-y-1 rounded-md border px-3 py-2 text-sm ${result.ok ? "border-emerald-200 bg-emerald-50 text-emerald-900" : "border-rose-200 bg-rose-50 text-rose-900"}`}
    >
      <p className="font-medium">
        {result.ok ? "Connected" : "Failed"} · {result.status === null ? "no answer" : `HTTP ${result.status}`} · {formatLatency(result.latency_ms)}
        {result.key ? ` · key ${result.key}` : ""}
      </p>
      <p className="font-mono text-xs break-all opacity-80">{result.url}</p>
      {result.error ? <p data-testid="provider-test-error">{result.error}</p> : null}
      {result.body_excerpt ? <pre className="max-h-40 overflow-auto rounded bg-white/60 p-2 font-mono text-xs break-all whitespace-pre-wrap">{result.body_excerpt}</pre> : null}
    </div>
  );
}
