import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/ui/page-header";
import { BudgetsPanel } from "@/components/budgets/budgets-panel";
import { can } from "@/lib/rbac/permissions";
import { requirePageSession } from "@/app/_data/page-session";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Budgets" };

export default async function BudgetsPage() {
  const { user } = await requirePageSession();
  // The sidebar hides the link already; a typed URL gets the same answer as a missing page.
  if (!can(user.role, "budgets:read")) notFound();
  return (
    <>
      <PageHeader title="Budgets" description="Spend and token budgets, how much of each window is used, and when it resets." />
      <BudgetsPanel />
    </>
  );
}
