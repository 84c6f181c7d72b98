// Password hashing for dashboard users (users.password_hash).
//
// scrypt from node:crypto: memory-hard, no native dependency. The stored string is
// self-describing (`scrypt$N$r$p$salt$hash`, base64url parts) so the cost parameters
// can be raised later without invalidating existing hashes.
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from "node:crypto";

const SCHEME = "scrypt";
const DEFAULT_COST = { N: 2 ** 15, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const KEY_BYTES = 32;
// Refuse absurd parameters from a tampered row: they would pin a CPU for minutes.
const MAX_LOG2_N = 20;

function scrypt(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCallback(password, salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

function memoryFor(N: number, r: number): number {
  // scrypt needs 128 * N * r bytes; Node's default maxmem (32 MiB) is exactly that for
  // N=2^15, r=8, so leave headroom instead of failing on the default parameters.
  return 128 * N * r * 2;
}

export async function hashPassword(plain: string): Promise<string> {
  const { N, r, p } = DEFAULT_COST;
  const salt = randomBytes(SALT_BYTES);
  const hash = await scrypt(plain.normalize("NFKC"), salt, KEY_BYTES, { N, r, p, maxmem: memoryFor(N, r) });
  return [SCHEME, N, r, p, salt.toString("base64url"), hash.toString("base64url")].join("$");
}

/** False for a wrong password and for any stored value that is not a hash we understand. */
export async function verifyPassword(plain: string, stored: string | null | undefined): Promise<boolean> {
  if (!stored) return false;
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== SCHEME) return false;
  const [, nRaw, rRaw, pRaw, saltRaw, hashRaw] = parts as [string, string, string, string, string, string];
  const N = Number(nRaw);
  const r = Number(rRaw);
  const p = Number(pRaw);
  const validN = Number.isInteger(N) && N > 1 && (N & (N - 1)) === 0 && N <= 2 ** MAX_LOG2_N;
  if (!validN || !Number.isInteger(r) || r < 1 || r > 32 || !Number.isInteger(p) || p < 1 || p > 16) return false;
  const salt = Buffer.from(saltRaw, "base64url");
  const expected = Buffer.from(hashRaw, "base64url");
  if (salt.length === 0 || expected.length === 0) return false;
  const actual = await scrypt(plain.normalize("NFKC"), salt, expected.length, { N, r, p, maxmem: memoryFor(N, r) });
  return timingSafeEqual(actual, expected);
}

/** Minimum length enforced by the setup page and any future password form. */
export const MIN_PASSWORD_LENGTH = 12;
