// "in 3 h 20 min" / "5 min ago" for expiry, last use and budget resets. Rendered only on
// the client (these components are client-side), so the current time is safe to read.

function span(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  if (minutes < 1) return "less than a minute";
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  return `${Math.round(hours / 24)} days`;
}

export function relativeTime(iso: string | null, now: number = Date.now()): string {
  if (!iso) return "—";
  const delta = new Date(iso).getTime() - now;
  return delta >= 0 ? `in ${span(delta)}` : `${span(delta)} ago`;
}

export function shortDate(iso: string | null): string {
  return iso ? iso.replace("T", " ").slice(0, 16) : "—";
}
