import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/ui/page-header";
import { PricingPanel } from "@/components/pricing/pricing-panel";
import { can } from "@/lib/rbac/permissions";
import { requirePageSession } from "@/app/_data/page-session";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Pricing" };

export default async function PricingPage() {
  const { user } = await requirePageSession();
  if (!can(user.role, "pricing:read")) notFound();
  return (
    <>
      <PageHeader title="Pricing" description="Price overrides in USD per million tokens; they win over the maintained price table." />
      <PricingPanel />
    </>
  );
}
