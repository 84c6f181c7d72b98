import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { VirtualKeysPanel } from "@/components/keys/virtual-keys-panel";
import { notFound } from "next/navigation";
import { can } from "@/lib/rbac/permissions";
import { requirePageSession } from "@/app/_data/page-session";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Virtual keys" };

export default async function KeysPage() {
  const { user } = await requirePageSession();
  // The sidebar hides the link already; a typed URL gets the same answer as a missing page.
  if (!can(user.role, "virtual-keys:read")) notFound();
  return (
    <>
      <PageHeader title="Virtual keys" description={user.role === "member" ? "The keys you own." : "Credentials applications use to call the gateway."} />
      <VirtualKeysPanel />
    </>
  );
}
