import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/ui/page-header";
import { AlertsPanel } from "@/components/alerts/alerts-panel";
import { can } from "@/lib/rbac/permissions";
import { requirePageSession } from "@/app/_data/page-session";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Alerts" };

export default async function AlertsPage() {
  const { user } = await requirePageSession();
  // The sidebar hides the link already; a typed URL gets the same answer as a missing page.
  if (!can(user.role, "alerts:read")) notFound();
  return (
    <>
      <PageHeader title="Alerts" description="Budget thresholds crossed, newest first." />
      <AlertsPanel />
    </>
  );
}
