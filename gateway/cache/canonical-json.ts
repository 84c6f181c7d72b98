// Canonical JSON for cache keys: object keys sorted at every depth, arrays in order, no
// whitespace. Two bodies that differ only in key order (a different SDK, a re-serialized
// request) produce the same string, hence the same exact-cache key.
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    // undefined inside objects is dropped below; at the top level it has no JSON form.
    return JSON.stringify(value ?? null);
  }
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item === undefined ? null : item)).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}
