import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/ui/page-header";
import { SettingsPanel } from "@/components/settings/settings-form";
import { can } from "@/lib/rbac/permissions";
import { requirePageSession } from "@/app/_data/page-session";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const { user } = await requirePageSession();
  if (!can(user.role, "settings:read")) notFound();
  return (
    <>
      <PageHeader title="Settings" description="Gateway-wide defaults: log retention, body capture, cache and the alert webhook." />
      <SettingsPanel />
    </>
  );
}
