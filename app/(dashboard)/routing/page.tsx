import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/ui/page-header";
import { RoutingRulesPanel } from "@/components/routing/routing-rules-panel";
import { can } from "@/lib/rbac/permissions";
import { requirePageSession } from "@/app/_data/page-session";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Routing" };

export default async function RoutingPage() {
  const { user } = await requirePageSession();
  // The sidebar hides the link already; a typed URL gets the same answer as a missing page.
  if (!can(user.role, "routing-rules:read")) notFound();
  return (
    <>
      <PageHeader title="Routing" description="Rules that pick targets, weights and fallbacks for each request." />
      <RoutingRulesPanel />
    </>
  );
}
