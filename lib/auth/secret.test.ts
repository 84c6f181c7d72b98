import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { authSecretFile, loadOrCreateAuthSecret } from "./secret";

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "sy-auth-secret-"));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("auth secret file", () => {
  it("is generated once and stable across loads", () => {
    const dir = path.join(tempDir(), "nested", "data");
    const first = loadOrCreateAuthSecret(dir);
    const second = loadOrCreateAuthSecret(dir);
    expect(first).toBe(second);
    expect(first.length).toBeGreaterThanOrEqual(40);
    expect(statSync(authSecretFile(dir)).mode & 0o777).toBe(0o600);
  });

  it("differs between installations", () => {
    expect(loadOrCreateAuthSecret(tempDir())).not.toBe(loadOrCreateAuthSecret(tempDir()));
  });

  it("does not expose the raw file content as the secret", () => {
    const dir = tempDir();
    const secret = loadOrCreateAuthSecret(dir);
    expect(readFileSync(authSecretFile(dir), "utf8")).not.toContain(secret);
  });

  it("refuses a corrupt file rather than signing with a weak key", () => {
    const dir = tempDir();
    writeFileSync(authSecretFile(dir), "short\n");
    expect(() => loadOrCreateAuthSecret(dir)).toThrow(/corrupt/);
  });
});
