// The one permission matrix (PRODUCT §8 RBAC). Route handler guards call `can()` on the
// server; the UI's `useCan()` hook reads the same table so hidden buttons and refused
// requests never disagree.
//
// Actions ending in `:all` widen a read from "what I own / my team" to everything; a
// holder of `logs:read` without `logs:read:all` is scoped by the data layer
// (lib/rbac/log-scope.ts).

export const ROLES = ["owner", "admin", "team_admin", "member", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export const ACTIONS = [
  "overview:read",
  "logs:read",
  "logs:read:all",
  "logs:read:bodies",
  "usage:read",
  "usage:read:all",
  "providers:read",
  "providers:write",
  "routing-rules:read",
  "routing-rules:write",
  // Dry-run of the gateway's routing for a described request (PRODUCT §4.5). Separate from
  // routing-rules:read because the answer shows provider keys' cooldowns and budget usage.
  "routing:explain",
  "virtual-keys:read",
  "virtual-keys:read:all",
  "virtual-keys:write",
  "virtual-keys:write:all",
  "teams:read",
  // Every team, not only those the principal belongs to (admin API lists, finance views).
  "teams:read:all",
  "teams:write",
  "members:write",
  "customers:read",
  "customers:write",
  "budgets:read",
  // Every budget and rate limit; without it a principal sees those of their own keys / teams.
  "budgets:read:all",
  "budgets:write",
  // Budgets and rate limits on any entity; without it a team admin may only set them on
  // their teams' keys, within the team's own budgets.
  "budgets:write:all",
  // Budget alerts are not scoped by team yet, so only roles that see every number read them.
  "alerts:read",
  "alerts:write",
  "pricing:read",
  "pricing:write",
  "settings:read",
  "settings:write",
  // Dashboard users: list them, invite new ones (lib/admin/users.ts).
  "users:read",
  "users:write",
  "audit:read",
  // Roll back one change of a rule or key from the audit log (owner / admin).
  "audit:revert",
  "playground:use",
  // Response cache (PRODUCT §6): per-namespace stats, and clearing a namespace or an entry.
  // Namespaces span teams, so both stay with the roles that see everything.
  "cache:read",
  "cache:write",
] as const;
export type Action = (typeof ACTIONS)[number];

const EVERYTHING: readonly Action[] = ACTIONS;

// Reads that every signed-in role has, scoped to what they own unless `:all` is granted.
const SCOPED_READS: readonly Action[] = [
  "overview:read",
  "logs:read",
  "usage:read",
  "virtual-keys:read",
  "teams:read",
  "budgets:read",
  "pricing:read",
];

const MATRIX: Record<Role, ReadonlySet<Action>> = {
  owner: new Set(EVERYTHING),
  admin: new Set(EVERYTHING),
  // Team admins manage their team's keys, members and budgets; the data layer limits
  // "their team" — this table only says which kinds of action they may attempt.
  team_admin: new Set<Action>([
    ...SCOPED_READS,
    "virtual-keys:write",
    "members:write",
    "budgets:write",
    "playground:use",
  ]),
  member: new Set<Action>([...SCOPED_READS, "virtual-keys:write", "playground:use"]),
  // Finance / read-only: sees every number but changes nothing and never sees bodies.
  viewer: new Set<Action>([
    ...SCOPED_READS,
    "logs:read:all",
    "usage:read:all",
    "virtual-keys:read:all",
    "teams:read:all",
    "budgets:read:all",
    "customers:read",
    "providers:read",
    "routing-rules:read",
    "alerts:read",
    "cache:read",
  ]),
};

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** Unknown roles (a stale token, a typo in the database) get nothing. */
export function can(role: Role | string | null | undefined, action: Action): boolean {
  if (!isRole(role)) return false;
  return MATRIX[role].has(action);
}

export function permissionsOf(role: Role): readonly Action[] {
  return ACTIONS.filter((action) => MATRIX[role].has(action));
}
