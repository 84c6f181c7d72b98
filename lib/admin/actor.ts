// Who performs an admin action: what the services need from an authenticated principal
// (lib/rbac/guard.ts) — the role for `can()`, and the user id / label for scoping and audit.
import type { Principal } from "../rbac/guard";
import type { Role } from "../rbac/permissions";

export interface Actor {
  /** null for the admin token, which is no dashboard user. */
  readonly userId: string | null;
  /** Email, or "admin-token"; written to audit_logs.actor_label and budget_periods.reset_by. */
  readonly label: string;
  readonly role: Role;
}

export function actorOf(principal: Principal): Actor {
  return principal.kind === "user"
    ? { userId: principal.userId, label: principal.email, role: principal.role }
    : { userId: null, label: "admin-token", role: principal.role };
}
