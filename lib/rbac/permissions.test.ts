import { describe, expect, it } from "vitest";
import { ACTIONS, ROLES, can, permissionsOf, type Action, type Role } from "./permissions";

const WRITES = ACTIONS.filter((a) => a.includes(":write") || a === "playground:use");

describe("permission matrix", () => {
  it("gives owner and admin every action", () => {
    for (const role of ["owner", "admin"] as const) {
      for (const action of ACTIONS) expect(can(role, action), `${role} ${action}`).toBe(true);
    }
  });

  it("keeps viewers read-only", () => {
    for (const action of WRITES) expect(can("viewer", action), action).toBe(false);
    expect(can("viewer", "logs:read:all")).toBe(true);
    expect(can("viewer", "logs:read:bodies")).toBe(false);
  });

  it("scopes members to their own logs and keys", () => {
    expect(can("member", "logs:read")).toBe(true);
    expect(can("member", "logs:read:all")).toBe(false);
    expect(can("member", "virtual-keys:write")).toBe(true);
    expect(can("member", "virtual-keys:write:all")).toBe(false);
    expect(can("member", "providers:write")).toBe(false);
    expect(can("member", "members:write")).toBe(false);
  });

  it("lets team admins manage members and budgets but not providers or routing", () => {
    const allowed: Action[] = ["members:write", "budgets:write", "virtual-keys:write", "logs:read"];
    const denied: Action[] = ["providers:write", "routing-rules:write", "settings:write", "users:write", "logs:read:all"];
    for (const a of allowed) expect(can("team_admin", a), a).toBe(true);
    for (const a of denied) expect(can("team_admin", a), a).toBe(false);
  });

  it("denies unknown or missing roles", () => {
    for (const role of [undefined, null, "", "root", "OWNER"]) {
      expect(can(role, "logs:read")).toBe(false);
    }
  });

  it("never grants a lower role something a higher role lacks", () => {
    // owner ⊇ admin ⊇ team_admin ⊇ member (viewer is a different axis: reads only)
    const chain: Role[] = ["owner", "admin", "team_admin", "member"];
    for (let i = 1; i < chain.length; i++) {
      const higher = new Set(permissionsOf(chain[i - 1]!));
      for (const action of permissionsOf(chain[i]!)) expect(higher.has(action), `${chain[i]} ${action}`).toBe(true);
    }
    expect(ROLES).toHaveLength(5);
  });
});
