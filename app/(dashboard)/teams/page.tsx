import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/ui/page-header";
import { TeamsPanel } from "@/components/teams/teams-panel";
import { UsersPanel } from "@/components/teams/users-panel";
import { can } from "@/lib/rbac/permissions";
import { requirePageSession } from "@/app/_data/page-session";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Teams" };

export default async function TeamsPage() {
  const { user } = await requirePageSession();
  // The sidebar hides the link already; a typed URL gets the same answer as a missing page.
  if (!can(user.role, "teams:read")) notFound();
  return (
    <>
      <PageHeader title="Teams" description="Teams own virtual keys; members get roles within a team." />
      <TeamsPanel />
      {can(user.role, "users:read") ? <UsersPanel /> : null}
    </>
  );
}
