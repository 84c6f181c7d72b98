import Link from "next/link";

/** "History": the audit log filtered to one rule or key, where a change can be reverted. */
export function HistoryLink({ entityType, id, name }: { entityType: "routing_rule" | "virtual_key"; id: string; name: string }) {
  const query = new URLSearchParams({ entity_type: entityType, entity_id: id, name });
  return (
    <Link href={`/audit?${query.toString()}`} className="inline-flex items-center rounded-md px-2 py-1 text-xs font-medium text-indigo-700 hover:bg-indigo-50 hover:text-indigo-900" data-testid="history-link" aria-label={`History of ${name}`}>
      History
    </Link>
  );
}
