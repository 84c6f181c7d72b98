// next-auth v4 configuration: JWT sessions (12 h), email + password against
// users.password_hash, and optional OIDC. Built lazily (getAuthOptions) because the
// secret may have to be read from disk and the database is not there at build time.
import type { NextAuthOptions, User } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getPrisma, type PrismaClient } from "../db/client";
import { isRole, type Role } from "../rbac/permissions";
import { verifyPassword } from "./password";
import { oidcProvider, oidcSettingsFromEnv, OIDC_PROVIDER_ID } from "./oidc";
import { resolveAuthSecret } from "./secret";

export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;
// A disabled user or a changed role takes effect within this time, without a DB read
// on every request.
const RECHECK_INTERVAL_MS = 5 * 60 * 1000;

// next-auth v4 derives its own URL from NEXTAUTH_URL only, unless AUTH_TRUST_HOST is set,
// in which case it uses the request's Host / X-Forwarded-* headers. Switchyard runs
// on any DASHBOARD_PORT and behind any hostname without configuration, so trust the
// host whenever NEXTAUTH_URL is not given. Set NEXTAUTH_URL when a proxy in front of
// the dashboard does not forward the original host and protocol.
export function enableHostDetection(source: NodeJS.ProcessEnv = process.env): void {
  if (!source.NEXTAUTH_URL) source.AUTH_TRUST_HOST ??= "true";
}
enableHostDetection();

// A fixed scrypt hash of a random string: verifying against it when the email is
// unknown keeps the response time of "no such user" equal to "wrong password".
const DUMMY_HASH = "scrypt$32768$8$AAAAAAAAAAAAAAAAAAAAAA$Dz8pNPXE4x2bA1Ug5HlBZj1hW0Y5nS3Jt5Ej8d3kXzQ";

export async function authorizeCredentials(prisma: PrismaClient, email: unknown, password: unknown): Promise<User | null> {
  if (typeof email !== "string" || typeof password !== "string" || !email || !password) return null;
  const user = await prisma.user.findUnique({ where: { email: email.trim().toLowerCase() } });
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !ok || user.disabledAt) return null;
  await prisma.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

/**
 * OIDC accounts are linked by verified email to users an admin created (or invited);
 * strangers are refused unless OIDC_AUTO_CREATE_ROLE names the role they get.
 */
async function resolveOidcUser(prisma: PrismaClient, user: User, providerAccountId: string, emailVerified: unknown): Promise<string | false> {
  const linked = await prisma.account.findUnique({
    where: { provider_providerAccountId: { provider: OIDC_PROVIDER_ID, providerAccountId } },
    include: { user: true },
  });
  if (linked) return linked.user.disabledAt ? false : linked.user.id;
  const email = user.email?.trim().toLowerCase();
  // An IdP that says the address is unverified could be used to take over an account.
  if (!email || emailVerified === false) return false;
  let existing = await prisma.user.findUnique({ where: { email } });
  if (!existing) {
    const autoRole = process.env.OIDC_AUTO_CREATE_ROLE;
    if (!isRole(autoRole) || autoRole === "owner") return false;
    existing = await prisma.user.create({ data: { email, name: user.name ?? null, role: autoRole } });
  }
  if (existing.disabledAt) return false;
  await prisma.account.create({
    data: { userId: existing.id, type: "oauth", provider: OIDC_PROVIDER_ID, providerAccountId },
  });
  return existing.id;
}

export function buildAuthOptions(getDb: () => PrismaClient = getPrisma): NextAuthOptions {
  const oidc = oidcSettingsFromEnv();
  return {
    secret: resolveAuthSecret(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    jwt: { maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/signin", error: "/signin" },
    providers: [
      CredentialsProvider({
        id: "credentials",
        name: "Email and password",
        credentials: {
          email: { label: "Email", type: "email" },
          password: { label: "Password", type: "password" },
        },
        authorize: (credentials) => authorizeCredentials(getDb(), credentials?.email, credentials?.password),
      }),
      ...(oidc ? [oidcProvider(oidc)] : []),
    ],
    callbacks: {
      async signIn({ user, account, profile }) {
        if (account?.provider !== OIDC_PROVIDER_ID) return true;
        const userId = await resolveOidcUser(getDb(), user, account.providerAccountId, (profile as { email_verified?: unknown } | undefined)?.email_verified);
        if (!userId) return "/signin?error=AccessDenied";
        // Replace the IdP subject with our user id so the jwt callback sees the local user.
        user.id = userId;
        return true;
      },
      async jwt({ token, user }) {
        if (user) {
          const fresh = await getDb().user.findUnique({ where: { id: user.id } });
          if (!fresh) return { ...token, revoked: true };
          return { ...token, sub: fresh.id, email: fresh.email, name: fresh.name, role: fresh.role, checkedAt: Date.now() };
        }
        if (token.revoked || !token.sub) return token;
        if (Date.now() - (token.checkedAt ?? 0) < RECHECK_INTERVAL_MS) return token;
        const fresh = await getDb().user.findUnique({ where: { id: token.sub } });
        if (!fresh || fresh.disabledAt) return { ...token, revoked: true };
        return { ...token, email: fresh.email, name: fresh.name, role: fresh.role, checkedAt: Date.now() };
      },
      session({ session, token }) {
        if (token.revoked || !token.sub || !isRole(token.role)) {
          // next-auth has no way to return "no session" here; an empty user makes
          // getSessionUser() treat it as signed out.
          return { ...session, user: undefined as never };
        }
        session.user = { id: token.sub, email: token.email ?? "", name: token.name ?? null, role: token.role as Role };
        return session;
      },
    },
  };
}

let cachedOptions: NextAuthOptions | undefined;

export function getAuthOptions(): NextAuthOptions {
  cachedOptions ??= buildAuthOptions();
  return cachedOptions;
}
