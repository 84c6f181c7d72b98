const TONES: Record<string, string> = {
  ok: "bg-emerald-50 text-emerald-700 ring-emerald-600/20",
  client: "bg-amber-50 text-amber-800 ring-amber-600/20",
  server: "bg-rose-50 text-rose-700 ring-rose-600/20",
  other: "bg-slate-100 text-slate-700 ring-slate-500/20",
};

function toneOf(status: number): keyof typeof TONES {
  if (status >= 200 && status < 300) return "ok";
  if (status >= 400 && status < 500) return "client";
  if (status >= 500) return "server";
  return "other";
}

export function StatusBadge({ status }: { status: number }) {
  return (
    <span
      data-testid="status-badge"
      className={`inline-flex min-w-11 justify-center rounded-md px-1.5 py-0.5 font-mono text-xs font-medium ring-1 ring-inset ${TONES[toneOf(status)]}`}
    >
      {status}
    </span>
  );
}
