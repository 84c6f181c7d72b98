// Comparable, JSON-safe pictures of an entity: what the database holds and what the file
// asks for are reduced to the same shape, so "unchanged" is a plain comparison and the same
// object serves as the audit log's before/after.

export type Snapshot = { readonly [key: string]: SnapshotValue };
export type SnapshotValue = string | number | boolean | null | readonly SnapshotValue[] | { readonly [key: string]: SnapshotValue };

/** Deep equality that ignores object key order (JSON columns come back re-ordered). */
export function sameSnapshot(a: SnapshotValue, b: SnapshotValue): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === "object" && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
    }
    return v;
  });
}

/** JSON column values are untyped; snapshots only ever hold what JSON can. */
export function jsonSnapshot(value: unknown): SnapshotValue {
  return (value ?? null) as SnapshotValue;
}
