import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "./password";

describe("password hashing", () => {
  it("produces a self-describing scrypt hash with the agreed cost", async () => {
    const stored = await hashPassword("correct horse battery staple");
    const [scheme, N, r, p, salt, hash] = stored.split("$");
    expect(scheme).toBe("scrypt");
    expect([N, r, p]).toEqual([String(2 ** 15), "8", "1"]);
    expect(Buffer.from(salt!, "base64url")).toHaveLength(16);
    expect(Buffer.from(hash!, "base64url")).toHaveLength(32);
  });

  it("verifies the right password and rejects a wrong one", async () => {
    const stored = await hashPassword("correct horse battery staple");
    await expect(verifyPassword("correct horse battery staple", stored)).resolves.toBe(true);
    await expect(verifyPassword("correct horse battery stapler", stored)).resolves.toBe(false);
    await expect(verifyPassword("", stored)).resolves.toBe(false);
  });

  it("salts every hash", async () => {
    const [a, b] = await Promise.all([hashPassword("same password!"), hashPassword("same password!")]);
    expect(a).not.toBe(b);
  });

  it("rejects stored values it does not understand instead of throwing", async () => {
    const stored = await hashPassword("a password long enough");
    const parts = stored.split("$");
    const variants = [
      null,
      "",
      "plaintext",
      ["bcrypt", ...parts.slice(1)].join("$"),
      [parts[0], "1000", ...parts.slice(2)].join("$"), // N not a power of two
      [parts[0], String(2 ** 30), ...parts.slice(2)].join("$"), // N too large
      [...parts.slice(0, 5), ""].join("$"),
      stored + "$extra",
    ];
    for (const value of variants) {
      await expect(verifyPassword("a password long enough", value)).resolves.toBe(false);
    }
  });

  it("honours the parameters stored in the hash (older/cheaper hashes keep working)", async () => {
    const { scryptSync, randomBytes } = await import("node:crypto");
    const salt = randomBytes(16);
    const hash = scryptSync("legacy password", salt, 32, { N: 2 ** 10, r: 8, p: 1 });
    const stored = ["scrypt", 2 ** 10, 8, 1, salt.toString("base64url"), hash.toString("base64url")].join("$");
    await expect(verifyPassword("legacy password", stored)).resolves.toBe(true);
    await expect(verifyPassword("legacy passw0rd", stored)).resolves.toBe(false);
  });
});
