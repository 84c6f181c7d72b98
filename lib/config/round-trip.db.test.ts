// Config as code, end to end (issue 10 item 1): apply → export → apply to a fresh database →
// export is byte-identical; --dry-run reports the exact changes and writes nothing;
// --prune deletes what the file leaves out; --include-secrets round-trips provider keys.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decryptSecret, setMasterKeyForTesting } from "../crypto/secret-box";
import { createPrismaClient, type PrismaClient } from "../db/client";
import { createTestDatabase, type TestDatabase } from "../testing/test-database";
import { applyConfig, type ApplyOptions, type ApplySummary } from "./apply";
import { exportConfig } from "./export";
import { parseConfigText } from "./load";
import { formatDryRun } from "./summary-text";

const fixture = readFileSync(new URL("./__fixtures__/full-config.yaml", import.meta.url), "utf8");
const env = { MISTRAL_API_KEY: "mistral-main-secret", MISTRAL_BACKUP_KEY: "mistral-backup-secret", LLAMA_KEY: "llama-secret" };
const databases: TestDatabase[] = [];
const clients: PrismaClient[] = [];

async function freshDatabase(): Promise<PrismaClient> {
  const db = await createTestDatabase();
  databases.push(db);
  const prisma = createPrismaClient(db.url);
  clients.push(prisma);
  return prisma;
}

function apply(prisma: PrismaClient, text: string, options: Omit<ApplyOptions, "secretRefs"> = {}): Promise<ApplySummary> {
  const loaded = parseConfigText(text, { env });
  return applyConfig(prisma, loaded.document, { ...options, secretRefs: loaded.secretRefs });
}

beforeAll(() => setMasterKeyForTesting(randomBytes(32)));

afterAll(async () => {
  setMasterKeyForTesting(undefined);
  for (const client of clients) await client.$disconnect();
  for (const db of databases) await db.drop();
});

describe("config round trip", () => {
  it("apply → export → apply to a fresh database → export gives byte-identical YAML", async () => {
    const first = await freshDatabase();
    const applied = await apply(first, fixture);
    expect(applied.changes).toBeGreaterThan(10);
    const exported = await exportConfig(first);
    // Everything the fixture says is in the export.
    for (const needle of ["acme", "cost_center", "alert_thresholds", "x-tenant", "capture_bodies: true", "devstral-*", "cache_read_per_mtok", "expires_at", "active: false", "scope_name: research", "fast: local-llama/qwen-coder", "mistral/mistral-large-latest", "${MISTRAL_BACKUP_KEY}", "log_retention_days: 30", "mode: semantic", "ttl_seconds: 300", "cache_similarity_threshold: 0.95", "alert_webhook_url: https://hooks.example.com/switchyard"]) {
      expect(exported, needle).toContain(needle);
    }
    expect(exported).not.toContain("mistral-main-secret");

    const second = await freshDatabase();
    await apply(second, exported);
    expect(await exportConfig(second)).toBe(exported);
    // And applying the export onto the database it came from changes nothing.
    expect((await apply(first, exported)).changes).toBe(0);
  });

  it("--dry-run lists creates, updates and (with --prune) deletes, and changes nothing", async () => {
    const prisma = await freshDatabase();
    await apply(prisma, fixture);
    const before = await exportConfig(prisma);
    const audits = await prisma.auditLog.count();
    const text = fixture
      .replace("- { usd: 5, window: 1d }", "- { usd: 7, window: 1d }")
      .replace("  - name: research\n", "")
      .replace("    scope: team\n    scope_name: research\n", "")
      .replace("model_aliases:\n", "  - name: brand-new\n    targets:\n      - { provider: mistral, model: devstral-2512 }\nmodel_aliases:\n");
    const dry = await apply(prisma, text, { dryRun: true, prune: true });
    const lines = formatDryRun(dry);
    expect(lines).toContain(`~ update virtual key "ci-bot" (budgets)`);
    expect(lines).toContain(`+ create routing rule "brand-new"`);
    expect(lines).toContain(`~ update routing rule "research-only" (scope, scopeId)`);
    expect(lines).toContain(`- delete team "research"`);
    expect(lines).toMatch(/^Dry run \(nothing was changed\): 1 create, 2 update, 1 delete/);
    // Nothing was written: same export, no audit rows, and a real apply still has work to do.
    expect(await exportConfig(prisma)).toBe(before);
    expect(await prisma.auditLog.count()).toBe(audits);

    const real = await apply(prisma, text, { prune: true });
    expect(real.changeList.map((c) => `${c.action} ${c.kind} ${c.name}`).sort()).toEqual(dry.changeList.map((c) => `${c.action} ${c.kind} ${c.name}`).sort());
    expect(await prisma.team.findUnique({ where: { name: "research" } })).toBeNull();
    expect(await prisma.auditLog.count({ where: { action: "delete", entityType: "team", entityName: "research" } })).toBe(1);
    expect(formatDryRun(await apply(prisma, text, { dryRun: true, prune: true }))).toContain("nothing would change");
  });

  it("--prune removes every kind the file leaves out, and nothing without it", async () => {
    const prisma = await freshDatabase();
    await apply(prisma, fixture);
    const minimal = "providers:\n  - name: mistral\n    type: mistral\n    base_url: http://127.0.0.1:9001/v1\n    keys:\n      - { name: main, value: \"${MISTRAL_API_KEY}\" }\n";
    expect((await apply(prisma, minimal)).changeList.filter((c) => c.action === "delete")).toEqual([]);
    const pruned = await apply(prisma, minimal, { prune: true });
    const deleted = pruned.changeList.filter((c) => c.action === "delete").map((c) => `${c.kind}:${c.name}`).sort();
    expect(deleted).toEqual([
      "customers:acme", "model_aliases:model_aliases", "models:mistral/mistral-large-latest", "pricing:local-llama/qwen-coder", "pricing:mistral/devstral-2512",
      "provider_keys:mistral/backup", "providers:local-llama", "routing_rules:claude-to-devstral", "routing_rules:research-only", "teams:platform", "teams:research",
      "virtual_keys:ci-bot", "virtual_keys:paused",
    ]);
    // Settings the file leaves out go back to their defaults (an update to "none set").
    expect(pruned.changeList.filter((c) => c.kind === "settings").map((c) => c.action)).toEqual(["update"]);
    expect(await prisma.setting.count({ where: { key: { in: ["log_retention_days", "cache_default_ttl_seconds"] } } })).toBe(0);
    const exported = await exportConfig(prisma);
    expect(parseConfigText(exported, { env }).document).toEqual(parseConfigText(minimal, { env }).document);
    // Limits of deleted entities went with them.
    expect(await prisma.budget.count()).toBe(0);
    expect(await prisma.rateLimit.count()).toBe(0);
  });

  it("--include-secrets exports provider keys in clear, and they apply back", async () => {
    const prisma = await freshDatabase();
    await apply(prisma, fixture);
    const withSecrets = await exportConfig(prisma, { includeSecrets: true });
    expect(withSecrets).toContain("CONTAINS PROVIDER KEY SECRETS IN CLEAR");
    expect(withSecrets).toContain("value: mistral-main-secret");
    expect(withSecrets).not.toContain("${MISTRAL_API_KEY}");
    const target = await freshDatabase();
    await applyConfig(target, parseConfigText(withSecrets, { env: {} }).document);
    const key = await target.providerKey.findFirstOrThrow({ where: { name: "backup", provider: { name: "mistral" } } });
    expect(decryptSecret(key.secretCiphertext)).toBe("mistral-backup-secret");
  });
});
