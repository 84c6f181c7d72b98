import type { Action } from "@/lib/rbac/permissions";

export interface NavItem {
  href: string;
  label: string;
  /** Shown only to roles that may do this. */
  requires: Action;
  testId: string;
}

// Only pages that exist. Add an entry here when a page lands, not before: a sidebar
// link to a 404 is worse than no link.
export const NAV_ITEMS: readonly NavItem[] = [
  { href: "/", label: "Overview", requires: "overview:read", testId: "nav-overview" },
  { href: "/logs", label: "Logs", requires: "logs:read", testId: "nav-logs" },
  { href: "/keys", label: "Keys", requires: "virtual-keys:read", testId: "nav-keys" },
  { href: "/providers", label: "Providers", requires: "providers:read", testId: "nav-providers" },
  { href: "/routing", label: "Routing", requires: "routing-rules:read", testId: "nav-routing" },
  { href: "/teams", label: "Teams", requires: "teams:read", testId: "nav-teams" },
  { href: "/budgets", label: "Budgets", requires: "budgets:read", testId: "nav-budgets" },
  { href: "/alerts", label: "Alerts", requires: "alerts:read", testId: "nav-alerts" },
  { href: "/cache", label: "Cache", requires: "cache:read", testId: "nav-cache" },
  { href: "/customers", label: "Customers", requires: "customers:read", testId: "nav-customers" },
  { href: "/pricing", label: "Pricing", requires: "pricing:read", testId: "nav-pricing" },
  { href: "/playground", label: "Playground", requires: "playground:use", testId: "nav-playground" },
  { href: "/audit", label: "Audit log", requires: "audit:read", testId: "nav-audit" },
  { href: "/settings", label: "Settings", requires: "settings:read", testId: "nav-settings" },
  { href: "/api-docs", label: "API", requires: "overview:read", testId: "nav-api-docs" },
];
