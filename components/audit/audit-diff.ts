// What an audit entry changed, field by field, from its before/after snapshots: admins scan
// "budgets: … → …" faster than two JSON blobs side by side.

export interface FieldChange {
  field: string;
  before: string | null;
  after: string | null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const show = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));

/** Top-level fields whose value differs (timestamps that always change are left out). */
export function auditChanges(before: unknown, after: unknown): FieldChange[] {
  const from = isRecord(before) ? before : {};
  const to = isRecord(after) ? after : {};
  const fields = [...new Set([...Object.keys(from), ...Object.keys(to)])].filter((f) => f !== "updated_at");
  return fields
    .filter((field) => show(from[field]) !== show(to[field]))
    .map((field) => ({ field, before: show(from[field]), after: show(to[field]) }));
}
