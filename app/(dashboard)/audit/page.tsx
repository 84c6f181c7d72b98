import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/ui/page-header";
import { AuditLogPanel } from "@/components/audit/audit-log-panel";
import { can } from "@/lib/rbac/permissions";
import { requirePageSession } from "@/app/_data/page-session";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { user } = await requirePageSession();
  if (!can(user.role, "audit:read")) notFound();
  // ?entity_type=&entity_id=&name= : one rule's or key's history (the "History" links).
  const raw = await searchParams;
  const text = (value: string | string[] | undefined) => (typeof value === "string" ? value.trim().slice(0, 256) : "");
  const entityId = text(raw.entity_id);
  // Spelled out: the empty filters live in a client module, whose exports are references here.
  const initialFilters = { actor: "", entityType: text(raw.entity_type), action: "", fromDay: "", toDay: "", ...(entityId ? { entityId } : {}) };
  return (
    <>
      <PageHeader title="Audit log" description="Every admin change — who, what and when — newest first." />
      <AuditLogPanel initialFilters={initialFilters} historyOf={text(raw.name) || null} />
    </>
  );
}
