"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useCan } from "@/components/auth/use-can";
import { NAV_ITEMS } from "./nav-items";

const ICONS: Record<string, string> = {
  "/": "M3 13h8V3H3v10zm0 8h8v-6H3v6zm10 0h8V11h-8v10zm0-18v6h8V3h-8z",
  "/logs": "M4 6h16M4 12h16M4 18h10",
  "/keys": "M15 7a3 3 0 11-6 0 3 3 0 016 0zM12 10v11m0-4h3m-3-3h2",
  "/providers": "M4 5h16v5H4zM4 14h16v5H4zM8 7.5h.01M8 16.5h.01",
  "/routing": "M4 6h5l6 12h5M4 18h5l2-4m4-8h5",
  "/teams": "M16 20v-2a4 4 0 00-8 0v2M12 11a3 3 0 100-6 3 3 0 000 6zM20 20v-2a3 3 0 00-3-3M17 5a3 3 0 010 6",
  "/budgets": "M12 3v18M17 7H9.5a2.5 2.5 0 000 5h5a2.5 2.5 0 010 5H6",
  "/alerts": "M18 16v-5a6 6 0 10-12 0v5l-2 2h16l-2-2zM10 21h4",
  "/cache": "M4 6c0-1.7 3.6-3 8-3s8 1.3 8 3-3.6 3-8 3-8-1.3-8-3zM4 6v6c0 1.7 3.6 3 8 3s8-1.3 8-3V6M4 12v6c0 1.7 3.6 3 8 3s8-1.3 8-3v-6",
  "/customers": "M3 21V7l9-4 9 4v14M9 21v-6h6v6M7 10h.01M12 10h.01M17 10h.01",
  "/pricing": "M20 12l-8 8-9-9V3h8l9 9zM7.5 7.5h.01",
  "/playground": "M5 4l14 8-14 8V4z",
  "/audit": "M9 4h6M8 4H5v17h14V4h-3M8 11h8M8 15h5",
  "/settings": "M12 15a3 3 0 100-6 3 3 0 000 6zM4 12h2m12 0h2M12 4v2m0 12v2M6.3 6.3l1.4 1.4m8.6 8.6l1.4 1.4M6.3 17.7l1.4-1.4m8.6-8.6l1.4-1.4",
};

function isActive(pathname: string, href: string): boolean {
  return href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
}

export function SidebarNav({ variant = "sidebar" }: { variant?: "sidebar" | "bar" }) {
  const pathname = usePathname();
  const can = useCan();
  return (
    // On a phone the eight links are wider than the header: scroll them sideways rather than
    // push the page wider than the screen.
    <nav aria-label="Main" data-testid={variant === "sidebar" ? "sidebar-nav" : "header-nav"} className={variant === "bar" ? "max-w-[calc(100vw-6rem)] overflow-x-auto" : undefined}>
      <ul className={variant === "sidebar" ? "space-y-1" : "flex gap-1 whitespace-nowrap"}>
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
