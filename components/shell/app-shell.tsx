import type { ReactNode } from "react";
import type { Role } from "@/lib/rbac/permissions";
import { SidebarNav } from "./sidebar-nav";
import { UserMenu } from "./user-menu";

export interface ShellUser {
  email: string;
  name: string | null;
  role: Role;
}

export function AppShell({ user, children }: { user: ShellUser; children: ReactNode }) {
  return (
    <div className="flex min-h-screen">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2">
        Skip to content
      </a>
      <aside className="hidden w-60 shrink-0 flex-col bg-slate-900 px-3 py-5 md:flex" data-testid="sidebar">
        <div className="mb-8 flex items-center gap-2 px-3">
          <span aria-hidden="true" className="grid size-7 place-items-center rounded-md bg-indigo-500 text-sm font-bold text-white">S</span>
          <span className="text-base font-semibold tracking-tight text-white">Switchyard</span>
        </div>
        <SidebarNav />
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex h-14 items-center justify-between border-b border-slate-200 bg-white px-4 sm:px-6">
          {/* Narrow screens have no sidebar: the same links sit in the header instead. */}
          <div className="md:hidden">
            <SidebarNav variant="bar" />
          </div>
          <div className="ml-auto">
            <UserMenu email={user.email} name={user.name} role={user.role} />
          </div>
        </header>
        <main id="main" className="min-w-0 flex-1 px-4 py-6 sm:px-8">
          <div className="mx-auto max-w-7xl">{children}</div>
        </main>
      </div>
    </div>
  );
}
