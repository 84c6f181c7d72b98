// Provider secrets at rest: AES-256-GCM with a 256-bit master key.
//
// The master key comes from SWITCHYARD_MASTER_KEY (base64 or hex, 32 bytes) or is
// generated once into `<data dir>/master.key` (mode 0600). Losing that file means
// the stored provider keys cannot be decrypted, which the README says loudly.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";
import { env } from "../env";

const VERSION = "v1";
const IV_BYTES = 12;

function parseKey(raw: string, origin: string): Buffer {
  const trimmed = raw.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, "hex") : Buffer.from(trimmed, "base64");
  if (key.length !== 32) throw new Error(`${origin} must hold a 32-byte key (64 hex chars or base64)`);
  return key;
}

let cachedKey: Buffer | undefined;

export function loadMasterKey(): Buffer {
  if (cachedKey) return cachedKey;
  const fromEnv = process.env.SWITCHYARD_MASTER_KEY;
  if (fromEnv) {
    cachedKey = parseKey(fromEnv, "SWITCHYARD_MASTER_KEY");
    return cachedKey;
  }
  const file = path.join(env.dataDir, "master.key");
  if (existsSync(file)) {
    cachedKey = parseKey(readFileSync(file, "utf8"), file);
    return cachedKey;
  }
  mkdirSync(env.dataDir, { recursive: true });
  const key = randomBytes(32);
  // `wx` so two processes starting together never overwrite each other's key.
  try {
    writeFileSync(file, key.toString("base64") + "\n", { mode: 0o600, flag: "wx" });
    cachedKey = key;
  } catch {
    cachedKey = parseKey(readFileSync(file, "utf8"), file);
  }
  return cachedKey;
}

/** For tests and key rotation tooling. */
export function setMasterKeyForTesting(key: Buffer | undefined): void {
  cachedKey = key;
}

/** Returns `v1.<iv>.<tag>.<ciphertext>` (base64url parts). */
export function encryptSecret(plain: string, key: Buffer = loadMasterKey()): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const ciphertext = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv.toString("base64url"), tag.toString("base64url"), ciphertext.toString("base64url")].join(".");
}

export function decryptSecret(envelope: string, key: Buffer = loadMasterKey()): string {
  const [version, iv, tag, ciphertext] = envelope.split(".");
  if (version !== VERSION || iv === undefined || tag === undefined || ciphertext === undefined) {
    throw new Error("not a Switchyard secret envelope");
  }
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
}

export function secretHint(plain: string): string {
  return plain.length <= 8 ? "" : plain.slice(-4);
}
