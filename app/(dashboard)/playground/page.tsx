import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/ui/page-header";
import { PlaygroundPanel } from "@/components/playground/playground-panel";
import { can } from "@/lib/rbac/permissions";
import { requirePageSession } from "@/app/_data/page-session";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Playground" };

export default async function PlaygroundPage() {
  const { user } = await requirePageSession();
  if (!can(user.role, "playground:use")) notFound();
  return (
    <>
      <PageHeader title="Playground" description="Send a chat request through the gateway with one of your virtual keys and watch it stream." />
      <PlaygroundPanel />
    </>
  );
}
