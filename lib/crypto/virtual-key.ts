// Virtual keys: `sk-sy-` + base62 of 32 random bytes. Only sha256(secret) and a short
// display prefix are stored (PRODUCT §5.2); the gateway authenticates by hashing the
// presented key and looking the hash up in its in-memory snapshot.
import { hash, randomBytes } from "node:crypto";

export const VIRTUAL_KEY_PREFIX = "sk-sy-";
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

function toBase62(bytes: Buffer): string {
  let value = BigInt("0x" + bytes.toString("hex"));
  let out = "";
  while (value > 0n) {
    out = BASE62[Number(value % 62n)] + out;
    value /= 62n;
  }
  return out.padStart(43, "0");
}

export function generateVirtualKey(): string {
  return VIRTUAL_KEY_PREFIX + toBase62(randomBytes(32));
}

// Hashed on every request: the one-shot crypto.hash (Node ≥ 20.12) skips the Hash object
// that createHash().update().digest() allocates.
export function hashVirtualKey(secret: string): string {
  return hash("sha256", secret, "hex");
}

/** `sk-sy-AbCd…wxyz`: enough to recognise a key, useless to an attacker. */
export function displayPrefix(secret: string): string {
  const body = secret.startsWith(VIRTUAL_KEY_PREFIX) ? secret.slice(VIRTUAL_KEY_PREFIX.length) : secret;
  return `${VIRTUAL_KEY_PREFIX}${body.slice(0, 4)}…${body.slice(-4)}`;
}
