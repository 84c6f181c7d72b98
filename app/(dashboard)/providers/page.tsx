import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/ui/page-header";
import { ProvidersPanel } from "@/components/providers/providers-panel";
import { can } from "@/lib/rbac/permissions";
import { requirePageSession } from "@/app/_data/page-session";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Providers" };

export default async function ProvidersPage() {
  const { user } = await requirePageSession();
  // The sidebar hides the link already; a typed URL gets the same answer as a missing page.
  if (!can(user.role, "providers:read")) notFound();
  return (
    <>
      <PageHeader title="Providers" description="Upstream APIs the gateway routes to, with their keys." />
      <ProvidersPanel />
    </>
  );
}
