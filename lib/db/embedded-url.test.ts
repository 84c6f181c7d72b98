import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { embeddedDatabaseUrl } from "./embedded-url";

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "switchyard-embedded-url-"));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  delete process.env.SWITCHYARD_PG_PORT;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("embeddedDatabaseUrl", () => {
  it("is undefined without an embedded data dir", () => {
    expect(embeddedDatabaseUrl(tempDir())).toBeUndefined();
  });

  it("points at the embedded server with its stored password, URL-encoded", () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "postgres.password"), "p@ss/word\n");
    process.env.SWITCHYARD_PG_PORT = "55555";
    expect(embeddedDatabaseUrl(dir)).toBe("postgresql://postgres:p%40ss%2Fword@127.0.0.1:55555/switchyard");
  });
});
