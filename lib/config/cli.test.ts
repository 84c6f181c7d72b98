// scripts/config.ts as users run it: exit codes and messages, no database needed.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runConfigCli } from "./run-config-cli.test-helper";

const dir = mkdtempSync(path.join(os.tmpdir(), "switchyard-config-cli-"));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("npm run config", () => {
  it("prints usage for a wrong command", () => {
    const { code, stderr } = runConfigCli(["import", "x.yaml"]);
    expect(code).toBe(2);
    expect(stderr).toContain("usage: npm run config -- apply FILE");
  });

  it("says clearly that DATABASE_URL is missing", () => {
    // An empty data dir: no embedded database to fall back on either.
    const { code, stderr } = runConfigCli(["apply", "whatever.yaml"], { SWITCHYARD_DATA_DIR: dir });
    expect(code).toBe(1);
    expect(stderr).toMatch(/DATABASE_URL is not set and there is no embedded database/);
  });

  it("prints FILE:LINE: reason for an invalid file, before touching the database", () => {
    const file = path.join(dir, "bad.yaml");
    writeFileSync(file, "teams:\n  - name: platform\n    budgts: []\n");
    // An unreachable database: validation must fail first.
    const { code, stderr } = runConfigCli(["apply", file], { DATABASE_URL: "postgresql://nobody@127.0.0.1:1/none" });
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(`${file}:3: teams[0].budgts: unknown field "budgts" (did you mean "budgets"?)`);
  });

  it("reports a file that does not exist", () => {
    const { code, stderr } = runConfigCli(["apply", path.join(dir, "missing.yaml")], { DATABASE_URL: "postgresql://x@127.0.0.1:1/x" });
    expect(code).toBe(1);
    expect(stderr).toMatch(/cannot read .*missing\.yaml: ENOENT/);
  });
});
