import type { ReactNode } from "react";
import { AppShell } from "@/components/shell/app-shell";
import { AppProviders } from "@/components/providers/app-providers";
import { requirePageSession } from "@/app/_data/page-session";

export const dynamic = "force-dynamic";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const { session, user } = await requirePageSession();
  return (
    <AppProviders session={session}>
      <AppShell user={user}>{children}</AppShell>
    </AppProviders>
  );
}
