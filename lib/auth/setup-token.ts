// One-time setup tokens (PRODUCT §8 "the first start creates the first admin safely").
// The plain token only ever exists in the printed link; the table stores its sha256.
import { createHash, randomBytes } from "node:crypto";

export const SETUP_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;

export function newSetupToken(): string {
  return randomBytes(32).toString("base64url");
}

export function hashSetupToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/**
 * Serialises everything that may create the first owner (env bootstrap in any process,
 * the setup page) so "no owner yet" cannot be seen by two of them at once. Used as
 * `pg_advisory_xact_lock(FIRST_OWNER_LOCK)`; the number is arbitrary but fixed.
 */
export const FIRST_OWNER_LOCK = 0x5e7_0001;
