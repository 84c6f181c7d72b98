import Link from "next/link";

export function LogsEmptyState({ filtered }: { filtered: boolean }) {
  return (
    <div className="rounded-xl border border-dashed border-slate-300 bg-white px-6 py-16 text-center" data-testid="logs-empty">
      <svg aria-hidden="true" viewBox="0 0 24 24" className="mx-auto size-10 text-slate-300" fill="none" stroke="currentColor" strokeWidth={1.5}>
        <path strokeLinecap="round" strokeLinejoin="round" d="M4 6h16M4 12h16M4 18h10" />
      </svg>
      <h2 className="mt-3 text-sm font-semibold text-slate-900">{filtered ? "No older requests" : "No requests yet"}</h2>
      <p className="mx-auto mt-1 max-w-md text-sm text-slate-600">
        {filtered
          ? "You have reached the end of the log."
          : "Point a client at the gateway with a virtual key, e.g. OPENAI_BASE_URL=http://localhost:8080/v1, and its requests appear here."}
      </p>
      {filtered ? (
        <Link href="/logs" className="mt-4 inline-block text-sm font-medium text-indigo-700 hover:text-indigo-900">Back to the newest →</Link>
      ) : null}
    </div>
  );
}
