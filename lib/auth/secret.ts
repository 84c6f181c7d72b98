// The secret that signs and encrypts next-auth JWT sessions.
//
// `npm start` sets no NEXTAUTH_SECRET, and a dashboard that forgets every session on
// restart (or refuses to start) is not "no setup". So: NEXTAUTH_SECRET when given,
// otherwise 32 random bytes generated once into `<data dir>/auth.secret` (mode 0600)
// and reused on every start. Deleting the file signs everyone out, nothing more.
import { hkdfSync, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { env } from "../env";

let cached: string | undefined;

export function authSecretFile(dataDir: string = env.dataDir): string {
  return path.join(dataDir, "auth.secret");
}

function readSecretFile(file: string): Buffer {
  const raw = Buffer.from(readFileSync(file, "utf8").trim(), "base64");
  if (raw.length < 32) throw new Error(`${file} is corrupt (expected 32 base64 bytes); delete it to regenerate`);
  return raw;
}

/** Reads or creates the file; exported for tests that pass their own directory. */
export function loadOrCreateAuthSecret(dataDir: string = env.dataDir): string {
  const file = authSecretFile(dataDir);
  let material: Buffer;
  if (existsSync(file)) {
    material = readSecretFile(file);
  } else {
    mkdirSync(dataDir, { recursive: true });
    material = randomBytes(32);
    try {
      // `wx`: when the dashboard and a script start together, the first writer wins
      // and the other reads its value instead of overwriting it.
      writeFileSync(file, material.toString("base64") + "\n", { mode: 0o600, flag: "wx" });
    } catch {
      material = readSecretFile(file);
    }
  }
  // Domain-separated so the same file could seed other secrets later without reuse.
  return Buffer.from(hkdfSync("sha256", material, Buffer.alloc(0), "switchyard/nextauth/v1", 32)).toString("base64url");
}

export function resolveAuthSecret(): string {
  const fromEnv = process.env.NEXTAUTH_SECRET || process.env.AUTH_SECRET;
  if (fromEnv) return fromEnv;
  cached ??= loadOrCreateAuthSecret();
  return cached;
}
