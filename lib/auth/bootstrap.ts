// First-admin bootstrap, run at start (scripts/start.ts) before anyone can sign in.
//
// 1. An owner exists                        → nothing to do.
// 2. SWITCHYARD_ADMIN_EMAIL/PASSWORD given  → create (or promote) that user as owner.
// 3. Otherwise                              → print a one-time /setup link (24 h) whose
//                                             holder creates the owner on the setup page.
// All three run under one advisory lock so concurrent starts cannot create two owners.
import type { PrismaClient } from "../db/client";
import { hashPassword, MIN_PASSWORD_LENGTH } from "./password";
import { FIRST_OWNER_LOCK, hashSetupToken, newSetupToken, SETUP_TOKEN_TTL_MS } from "./setup-token";

export interface EnsureFirstAdminOptions {
  email?: string;
  password?: string;
  /** Public base URL of the dashboard, e.g. http://localhost:3000. */
  dashboardUrl: string;
}

export interface EnsureFirstAdminResult {
  outcome: "exists" | "created-from-env" | "setup-link";
  setupUrl?: string;
}

export async function ensureFirstAdmin(prisma: PrismaClient, opts: EnsureFirstAdminOptions): Promise<EnsureFirstAdminResult> {
  const email = opts.email?.trim().toLowerCase();
  const password = opts.password;
  if (email && password !== undefined && password.length < MIN_PASSWORD_LENGTH) {
    // Fail loudly at start rather than silently creating an owner with a weak password.
    throw new Error(`SWITCHYARD_ADMIN_PASSWORD must be at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  // Hash outside the transaction: scrypt takes ~100 ms and would hold the lock.
  const passwordHash = email && password ? await hashPassword(password) : undefined;

  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${FIRST_OWNER_LOCK})`;
    const owner = await tx.user.findFirst({ where: { role: "owner" }, select: { id: true } });
    if (owner) return { outcome: "exists" } as const;

    if (email && passwordHash) {
      // A config file may already have created this user with a lesser role.
      await tx.user.upsert({
        where: { email },
        create: { email, role: "owner", passwordHash },
        update: { role: "owner", passwordHash, disabledAt: null },
      });
      await tx.setupToken.deleteMany({ where: { usedAt: null } });
      return { outcome: "created-from-env" } as const;
    }

    // Only the newest link works: an older one may sit in a log file someone else reads.
    await tx.setupToken.deleteMany({ where: { usedAt: null } });
    const token = newSetupToken();
    await tx.setupToken.create({
      data: { tokenHash: hashSetupToken(token), expiresAt: new Date(Date.now() + SETUP_TOKEN_TTL_MS) },
    });
    const base = opts.dashboardUrl.replace(/\/+$/, "");
    return { outcome: "setup-link", setupUrl: `${base}/setup?token=${encodeURIComponent(token)}` } as const;
  });
}
