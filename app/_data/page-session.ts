// Signed-in user for dashboard pages: redirects to /signin instead of rendering.
import { getServerSession, type Session } from "next-auth";
import { redirect } from "next/navigation";
import { getAuthOptions } from "@/lib/auth/options";
import { isRole } from "@/lib/rbac/permissions";
import type { Principal } from "@/lib/rbac/guard";

export type PageUser = Extract<Principal, { kind: "user" }>;

export async function requirePageSession(): Promise<{ session: Session; user: PageUser }> {
  const session = await getServerSession(getAuthOptions());
  const user = session?.user;
  if (!session || !user?.id || !isRole(user.role)) redirect("/signin");
  return { session, user: { kind: "user", userId: user.id, email: user.email, name: user.name, role: user.role } };
}
