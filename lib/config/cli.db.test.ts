// scripts/config.ts against a real database: apply prints a summary, export writes YAML.
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing/test-database";
import { runConfigCli } from "./run-config-cli.test-helper";

const fixture = readFileSync(new URL("./__fixtures__/product-example.yaml", import.meta.url), "utf8");
const dir = mkdtempSync(path.join(os.tmpdir(), "switchyard-config-cli-db-"));
let db: TestDatabase;
let cliEnv: Record<string, string>;

beforeAll(async () => {
  db = await createTestDatabase();
  cliEnv = {
    DATABASE_URL: db.url,
    SWITCHYARD_MASTER_KEY: randomBytes(32).toString("hex"),
    MISTRAL_API_KEY: "mistral-cli-secret",
  };
});

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await db?.drop();
});

describe("npm run config against a database", () => {
  it("applies the PRODUCT example, then reports it unchanged", () => {
    const file = path.join(dir, "config.yaml");
    writeFileSync(file, fixture);
    const first = runConfigCli(["apply", file], cliEnv);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("Configuration applied: 8 change(s).");
    expect(first.stdout).toMatch(/virtual_keys\s+1 created, 0 updated, 0 unchanged/);

    const second = runConfigCli(["apply", file], cliEnv);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("Configuration unchanged.");
  });

  it("shows a generated virtual key secret once", () => {
    const file = path.join(dir, "generated.yaml");
    writeFileSync(file, "virtual_keys:\n  - name: cli-generated\n    models: []\n");
    const first = runConfigCli(["apply", file], cliEnv);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/shown ONCE[\s\S]*cli-generated: sk-sy-[0-9A-Za-z]{43}/);
    expect(runConfigCli(["apply", file], cliEnv).stdout).not.toContain("sk-sy-");
  });

  it("exports to stdout without secrets", () => {
    const { code, stdout } = runConfigCli(["export", "-"], cliEnv);
    expect(code).toBe(0);
    expect(stdout).toContain("value: ${MISTRAL_API_KEY}");
    expect(stdout).toContain("name: cli-generated");
    expect(stdout).not.toContain("mistral-cli-secret");
    expect(stdout).not.toMatch(/sk-sy-[0-9A-Za-z]{20}/);
  });

  it("--dry-run prints the diff and changes nothing; --include-secrets exports secrets; unknown options are refused", () => {
    const file = path.join(dir, "dry.yaml");
    writeFileSync(file, fixture.replace("- { usd: 5, window: 1d }", "- { usd: 9, window: 1d }"));
    const dry = runConfigCli(["apply", file, "--dry-run"], cliEnv);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("Dry run (nothing was changed): 0 create, 1 update, 0 delete");
    expect(dry.stdout).toContain(`~ update virtual key "ci-bot" (budgets)`);
    // Still there to apply: the dry run wrote nothing.
    expect(runConfigCli(["apply", file, "--dry-run"], cliEnv).stdout).toContain("1 update");
    const pruneDry = runConfigCli(["apply", file, "--dry-run", "--prune"], cliEnv);
    expect(pruneDry.stdout).toContain(`- delete virtual key "cli-generated"`);

    const secrets = runConfigCli(["export", "-", "--include-secrets"], cliEnv);
    expect(secrets.code).toBe(0);
    expect(secrets.stdout).toContain("value: mistral-cli-secret");

    const bad = runConfigCli(["apply", file, "--force"], cliEnv);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("unknown option --force");
    expect(runConfigCli(["export", "-", "--dry-run"], cliEnv).code).toBe(2);
  });

  it("imports a LiteLLM config (report on stderr, applied) and writes a Bifrost import with --out", () => {
    const litellm = new URL("./importers/__fixtures__/litellm-config.yaml", import.meta.url).pathname;
    const bifrost = new URL("./importers/__fixtures__/bifrost-config.json", import.meta.url).pathname;
    const importEnv = { ...cliEnv, OPENAI_API_KEY: "o", AZURE_EU_API_KEY: "a", ANTHROPIC_API_KEY: "c" };
    const dry = runConfigCli(["import", "litellm", litellm, "--dry-run"], importEnv);
    expect(dry.code).toBe(0);
    expect(dry.stderr).toContain("general_settings.master_key: the admin credential is SWITCHYARD_ADMIN_TOKEN");
    expect(dry.stdout).toContain(`+ create routing rule "litellm gpt-4o"`);
    const applied = runConfigCli(["import", "litellm", litellm], importEnv);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/providers\s+5 created/);

    const out = path.join(dir, "bifrost.yaml");
    const written = runConfigCli(["import", "bifrost", bifrost, "--out", out], { SWITCHYARD_MASTER_KEY: cliEnv.SWITCHYARD_MASTER_KEY! });
    expect(written.code).toBe(0);
    expect(readFileSync(out, "utf8")).toContain("name: Redirect GPT-4o to Azure");
    expect(readFileSync(out, "utf8")).toContain("# Not mapped:");

    const broken = path.join(dir, "broken.yaml");
    writeFileSync(broken, "model_list:\n  - model_name: x\n   bad: [\n");
    const failed = runConfigCli(["import", "litellm", broken], importEnv);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/broken\.yaml: not a litellm config: .*line \d+/s);
    expect(runConfigCli(["import", "portkey", broken], importEnv).code).toBe(2);
  });
});
