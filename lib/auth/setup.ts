// The /setup page's server side: check a setup token, and create the first owner with
// it exactly once.
import { z } from "zod";
import type { PrismaClient } from "../db/client";
import { hashPassword, MIN_PASSWORD_LENGTH } from "./password";
import { FIRST_OWNER_LOCK, hashSetupToken } from "./setup-token";

export type SetupTokenState = "valid" | "invalid" | "expired" | "used" | "owner-exists";

export async function checkSetupToken(prisma: PrismaClient, token: string | undefined): Promise<SetupTokenState> {
  if (!token) return "invalid";
  const [row, owner] = await Promise.all([
    prisma.setupToken.findUnique({ where: { tokenHash: hashSetupToken(token) } }),
    prisma.user.findFirst({ where: { role: "owner" }, select: { id: true } }),
  ]);
  if (owner) return "owner-exists";
  if (!row) return "invalid";
  if (row.usedAt) return "used";
  if (row.expiresAt.getTime() <= Date.now()) return "expired";
  return "valid";
}

export const setupFormSchema = z.strictObject({
  token: z.string().min(1),
  email: z.email().max(320).transform((value) => value.trim().toLowerCase()),
  name: z.string().trim().min(1, "Enter your name").max(200),
  password: z
    .string()
    .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters`)
    .max(1024, "That password is too long"),
});
export type SetupFormInput = z.input<typeof setupFormSchema>;

export type CompleteSetupResult =
  | { ok: true; userId: string }
  | { ok: false; reason: "validation"; fieldErrors: Partial<Record<keyof SetupFormInput, string>> }
  | { ok: false; reason: Exclude<SetupTokenState, "valid"> };

class SetupRefused extends Error {
  constructor(readonly reason: Exclude<SetupTokenState, "valid">) {
    super(reason);
  }
}

export async function completeSetup(prisma: PrismaClient, input: SetupFormInput): Promise<CompleteSetupResult> {
  const parsed = setupFormSchema.safeParse(input);
  if (!parsed.success) {
    const fieldErrors: Partial<Record<keyof SetupFormInput, string>> = {};
    for (const issue of parsed.error.issues) {
      const key = issue.path[0] as keyof SetupFormInput | undefined;
      if (key && !fieldErrors[key]) fieldErrors[key] = issue.message;
    }
    return { ok: false, reason: "validation", fieldErrors };
  }
  const { token, email, name, password } = parsed.data;
  const passwordHash = await hashPassword(password);
  try {
    const userId = await prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${FIRST_OWNER_LOCK})`;
      // Claim the token with a conditional update: of two submissions, one gets count 1.
      const claimed = await tx.setupToken.updateMany({
        where: { tokenHash: hashSetupToken(token), usedAt: null, expiresAt: { gt: new Date() } },
        data: { usedAt: new Date() },
      });
      if (claimed.count !== 1) {
        const row = await tx.setupToken.findUnique({ where: { tokenHash: hashSetupToken(token) } });
        throw new SetupRefused(!row ? "invalid" : row.usedAt ? "used" : "expired");
      }
      // An owner may have been created from env since the link was printed.
      if (await tx.user.findFirst({ where: { role: "owner" }, select: { id: true } })) throw new SetupRefused("owner-exists");
      const user = await tx.user.upsert({
        where: { email },
        create: { email, name, role: "owner", passwordHash },
        update: { name, role: "owner", passwordHash, disabledAt: null },
      });
      return user.id;
    });
    return { ok: true, userId };
  } catch (error) {
    if (error instanceof SetupRefused) return { ok: false, reason: error.reason };
    throw error;
  }
}
