import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/ui/page-header";
import { CustomersPanel } from "@/components/customers/customers-panel";
import { can } from "@/lib/rbac/permissions";
import { requirePageSession } from "@/app/_data/page-session";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Customers" };

export default async function CustomersPage() {
  const { user } = await requirePageSession();
  // The sidebar hides the link already; a typed URL gets the same answer as a missing page.
  if (!can(user.role, "customers:read")) notFound();
  return (
    <>
      <PageHeader title="Customers" description="The top of the hierarchy: a customer's budgets cap all of its teams and keys." />
      <CustomersPanel />
    </>
  );
}
