"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useCan } from "@/components/auth/use-can";
import { NAV_ITEMS } from "./nav-items";

const ICONS: Record<string, string> = {
  "/": "M3 13h8V3H3v10zm0 8h8v-6H3v6zm10 0h8V11h-8v10zm0-18v6h8V3h-8z",
  "/logs": "M4 6h16M4 12h16M4 18h10",
};

function isActive(pathname: string, href: string): boolean {
  return href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
}

export function SidebarNav({ variant = "sidebar" }: { variant?: "sidebar" | "bar" }) {
  const pathname = usePathname();
  const can = useCan();
  return (
    <nav aria-label="Main" data-testid={variant === "sidebar" ? "sidebar-nav" : "header-nav"}>
      <ul className={variant === "sidebar" ? "space-y-1" : "flex gap-1"}>
        {NAV_ITEMS.filter((item) => can(item.requires)).map((item) => {
          const active = isActive(pathname, item.href);
          return (
            <li key={item.href}>
              <Link
                href={item.href}
                data-testid={variant === "sidebar" ? item.testId : `${item.testId}-bar`}
                aria-current={active ? "page" : undefined}
                className={`flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium transition-colors ${
                  variant === "bar"
                    ? active
                      ? "bg-slate-100 text-slate-900"
                      : "text-slate-600 hover:bg-slate-100"
                    : active
                      ? "bg-slate-800 text-white"
                      : "text-slate-300 hover:bg-slate-800/60 hover:text-white"
                }`}
              >
                <svg aria-hidden="true" viewBox="0 0 24 24" className="size-4 shrink-0" fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round" strokeLinejoin="round">
                  <path d={ICONS[item.href] ?? ""} />
                </svg>
                {item.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
