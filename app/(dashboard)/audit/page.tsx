import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/ui/page-header";
import { AuditLogPanel } from "@/components/audit/audit-log-panel";
import { can } from "@/lib/rbac/permissions";
import { requirePageSession } from "@/app/_data/page-session";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage() {
  const { user } = await requirePageSession();
  if (!can(user.role, "audit:read")) notFound();
  return (
    <>
      <PageHeader title="Audit log" description="Every admin change — who, what and when — newest first." />
      <AuditLogPanel />
    </>
  );
}
