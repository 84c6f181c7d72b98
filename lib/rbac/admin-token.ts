// SWITCHYARD_ADMIN_TOKEN check (PRODUCT §10). Unset means the bearer path is disabled.
import { createHash, timingSafeEqual } from "node:crypto";

function digest(value: string): Buffer {
  return createHash("sha256").update(value, "utf8").digest();
}

/** Constant-time in the presented value: both sides are hashed to equal length first. */
export function isAdminToken(presented: string, configured: string | undefined): boolean {
  if (!configured || !presented) return false;
  return timingSafeEqual(digest(presented), digest(configured));
}

/** The token from `Authorization: Bearer <token>`, or undefined when absent/not bearer. */
export function bearerToken(authorization: string | null | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  return match?.[1];
}
