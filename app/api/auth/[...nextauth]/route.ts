// next-auth v4 endpoints (/api/auth/*). Options are built per request on first use
// (not at import) so `next build` neither needs the database nor writes auth.secret.
import NextAuth from "next-auth";
import { getAuthOptions } from "@/lib/auth/options";

type RouteContext = { params: Promise<{ nextauth: string[] }> };

function handler(request: Request, context: RouteContext): Promise<Response> {
  return NextAuth(request as never, context as never, getAuthOptions());
}

export { handler as GET, handler as POST };
export const dynamic = "force-dynamic";
