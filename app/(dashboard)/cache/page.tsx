import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { CachePanel } from "@/components/cache/cache-panel";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/rbac/permissions";
import { requirePageSession } from "@/app/_data/page-session";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Cache" };

export default async function CachePage() {
  const { user } = await requirePageSession();
  // The sidebar hides the link already; a typed URL gets the same answer as a missing page.
  if (!can(user.role, "cache:read")) notFound();
  return (
    <>
      <PageHeader title="Cache" description="Exact and semantic response cache: hits, savings and invalidation per namespace." />
      <CachePanel />
    </>
  );
}
