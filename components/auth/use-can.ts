"use client";
// The UI side of the permission matrix: hide what the signed-in role cannot do. The
// server guard (lib/rbac/guard.ts) enforces the same table; this only avoids showing
// buttons that would be refused.
import { useSession } from "next-auth/react";
import { useCallback } from "react";
import { can, type Action } from "@/lib/rbac/permissions";

export function useCan(): (action: Action) => boolean {
  const { data } = useSession();
  const role = data?.user?.role;
  return useCallback((action: Action) => can(role, action), [role]);
}
