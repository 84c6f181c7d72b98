// applyConfig / exportConfig against a real, migrated PostgreSQL database.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { decryptSecret, setMasterKeyForTesting } from "../crypto/secret-box";
import { hashVirtualKey } from "../crypto/virtual-key";
import { createPrismaClient, type PrismaClient } from "../db/client";
import { createTestDatabase, type TestDatabase } from "../testing/test-database";
import { applyConfig, CONFIG_KINDS, ConfigApplyError, type ApplySummary } from "./apply";
import { applyConfigFile } from "./apply-file";
import { exportConfig } from "./export";
import { parseConfigText } from "./load";

const FIXTURE = new URL("./__fixtures__/product-example.yaml", import.meta.url);
const fixtureText = readFileSync(FIXTURE, "utf8");
const MISTRAL_KEY = "mistral-secret-key-0123456789";
const env = { MISTRAL_API_KEY: MISTRAL_KEY };

let db: TestDatabase;
let prisma: PrismaClient;

beforeAll(async () => {
  setMasterKeyForTesting(randomBytes(32));
  db = await createTestDatabase();
  prisma = createPrismaClient(db.url);
});

afterAll(async () => {
  setMasterKeyForTesting(undefined);
  await prisma?.$disconnect();
  await db?.drop();
});

function apply(text: string, extraEnv: Record<string, string> = {}): Promise<ApplySummary> {
  const loaded = parseConfigText(text, { env: { ...env, ...extraEnv } });
  return applyConfig(prisma, loaded.document, { secretRefs: loaded.secretRefs });
}

function totals(summary: ApplySummary) {
  return CONFIG_KINDS.reduce(
    (sum, kind) => ({
      created: sum.created + summary.counts[kind].created,
      updated: sum.updated + summary.counts[kind].updated,
      unchanged: sum.unchanged + summary.counts[kind].unchanged,
    }),
    { created: 0, updated: 0, unchanged: 0 },
  );
}

describe("the PRODUCT §10 example", () => {
  let first: ApplySummary;

  beforeAll(async () => {
    first = await apply(fixtureText);
  });

  it("creates every entity once", () => {
    expect(first.counts.providers).toEqual({ created: 2, updated: 0, unchanged: 0, deleted: 0 });
    expect(first.counts.provider_keys).toEqual({ created: 2, updated: 0, unchanged: 0, deleted: 0 });
    expect(first.counts.pricing).toEqual({ created: 1, updated: 0, unchanged: 0, deleted: 0 });
    expect(first.counts.teams).toEqual({ created: 1, updated: 0, unchanged: 0, deleted: 0 });
    expect(first.counts.virtual_keys).toEqual({ created: 1, updated: 0, unchanged: 0, deleted: 0 });
    expect(first.counts.routing_rules).toEqual({ created: 1, updated: 0, unchanged: 0, deleted: 0 });
    expect(first.changes).toBe(8);
    expect(first.generatedKeys).toEqual([]);
  });

  it("stores the provider key encrypted, with its ${VAR} reference", async () => {
    const key = await prisma.providerKey.findFirstOrThrow({ where: { name: "main", provider: { name: "mistral" } } });
    expect(key.secretCiphertext).not.toContain(MISTRAL_KEY);
    expect(decryptSecret(key.secretCiphertext)).toBe(MISTRAL_KEY);
    expect(key.secretRef).toBe("${MISTRAL_API_KEY}");
    expect(key.secretHint).toBe("6789");
    const literal = await prisma.providerKey.findFirstOrThrow({ where: { name: "none", provider: { name: "local-llama" } } });
    expect(literal.secretRef).toBeNull();
    expect(decryptSecret(literal.secretCiphertext)).toBe("unused");
  });

  it("stores the virtual key only as a hash and a display prefix", async () => {
    const key = await prisma.virtualKey.findUniqueOrThrow({ where: { name: "ci-bot" }, include: { team: true } });
    expect(key.keyHash).toBe(hashVirtualKey("sk-sy-ci-bot-0001"));
    // No `providers:` in the file: any provider serving an allowed model.
    expect(key.allowedProviders).toEqual(["*"]);
    expect(key.allowedModels).toEqual(["*"]);
    expect(key.displayPrefix).not.toContain("sk-sy-ci-bot-0001");
    expect(JSON.stringify(key)).not.toContain("sk-sy-ci-bot-0001");
    expect(key.team?.name).toBe("platform");
    expect(key.allowedModels).toEqual(["*"]);
  });

  it("attaches budgets and rate limits to the right entities", async () => {
    const vk = await prisma.virtualKey.findUniqueOrThrow({ where: { name: "ci-bot" } });
    const budgets = await prisma.budget.findMany({ where: { entityType: "virtual_key", entityId: vk.id }, orderBy: { window: "asc" } });
    expect(budgets.map((b) => [b.window, b.alignment, b.limitUsd?.toNumber(), b.alertThresholds])).toEqual([
      ["1M", "calendar", 50, [80, 95, 100]],
      ["1d", "calendar", 5, [80, 95, 100]],
    ]);
    const limits = await prisma.rateLimit.findMany({ where: { entityType: "virtual_key", entityId: vk.id }, orderBy: { window: "asc" } });
    expect(limits.map((r) => [r.window, r.maxRequests, r.maxTokens])).toEqual([
      ["1h", null, 200000n],
      ["1m", 60, null],
    ]);
    const llama = await prisma.provider.findUniqueOrThrow({ where: { name: "local-llama" } });
    const providerBudget = await prisma.budget.findFirstOrThrow({ where: { entityType: "provider", entityId: llama.id } });
    expect([providerBudget.window, providerBudget.limitTokens, providerBudget.limitUsd]).toEqual(["1d", 100000n, null]);
    expect(llama.requestTypes).toEqual(["chat", "chat_stream"]);
  });

  it("stores the routing rule with its targets and fallbacks in order", async () => {
    const rule = await prisma.routingRule.findUniqueOrThrow({
      where: { name: "claude-to-devstral" },
      include: { targets: { orderBy: [{ kind: "asc" }, { position: "asc" }] } },
    });
    expect(rule.condition).toBe('model.startsWith("claude-")');
    expect(rule.targets.map((t) => [t.kind, t.provider, t.model, t.weight])).toEqual([
      ["target", "mistral", "devstral-2512", 1],
      ["fallback", "local-llama", "qwen-coder", 1],
    ]);
  });

  it("writes one audit row per change, attributed to config-apply", async () => {
    const rows = await prisma.auditLog.findMany();
    expect(rows).toHaveLength(first.changes);
    expect(new Set(rows.map((r) => r.actorLabel))).toEqual(new Set(["config-apply"]));
    expect(JSON.stringify(rows)).not.toContain(MISTRAL_KEY);
    expect(JSON.stringify(rows)).not.toContain("sk-sy-ci-bot-0001");
  });

  it("reports everything unchanged on a second apply and writes nothing", async () => {
    const auditBefore = await prisma.auditLog.count();
    const second = await apply(fixtureText);
    expect(second.changes).toBe(0);
    expect(totals(second)).toEqual({ created: 0, updated: 0, unchanged: 8 });
    expect(await prisma.auditLog.count()).toBe(auditBefore);
  });

  it("exports a file that validates, applies without changes and exports identically", async () => {
    const exported = await exportConfig(prisma);
    expect(exported).not.toContain(MISTRAL_KEY);
    expect(exported).not.toContain("unused");
    expect(exported).not.toContain("sk-sy-ci-bot-0001");
    expect(exported).toContain("${MISTRAL_API_KEY}");
    expect(exported).toMatch(/\$\{SWITCHYARD_KEY_LOCAL_LLAMA_NONE\}.*# secret not exported/);

    const summary = await apply(exported, { SWITCHYARD_KEY_LOCAL_LLAMA_NONE: "unused" });
    expect(summary.changes).toBe(0);
    expect(await exportConfig(prisma)).toBe(exported);
  });
});

describe("changes", () => {
  const base = `
teams:
  - name: change-team
    budgets:
      - { usd: 10, window: 1d }
      - { usd: 100, window: 1M }
virtual_keys:
  - name: generated-key
    team: change-team
    models: ["gpt-*"]
providers:
  - name: change-provider
    type: openai
    keys:
      - { name: k1, value: first-secret-value }
`;

  let generated: string;

  beforeEach(async () => {
    const summary = await apply(base);
    if (summary.generatedKeys.length > 0) generated = summary.generatedKeys[0]?.secret ?? "";
  });

  it("generates a secret for a new key without value once, and keeps it afterwards", async () => {
    expect(generated).toMatch(/^sk-sy-[0-9A-Za-z]{43}$/);
    const key = await prisma.virtualKey.findUniqueOrThrow({ where: { name: "generated-key" } });
    expect(key.keyHash).toBe(hashVirtualKey(generated));
    const again = await apply(base);
    expect(again.generatedKeys).toEqual([]);
    expect(again.changes).toBe(0);
    expect((await prisma.virtualKey.findUniqueOrThrow({ where: { name: "generated-key" } })).keyHash).toBe(key.keyHash);
  });

  it("updates a budget in place, keeping its row (and usage history), and drops removed ones", async () => {
    const team = await prisma.team.findUniqueOrThrow({ where: { name: "change-team" } });
    const daily = await prisma.budget.findFirstOrThrow({ where: { entityId: team.id, window: "1d" } });
    const summary = await apply(base.replace("{ usd: 10, window: 1d }", "{ usd: 20, window: 1d }").replace("      - { usd: 100, window: 1M }\n", ""));
    expect(summary.counts.teams).toEqual({ created: 0, updated: 1, unchanged: 0, deleted: 0 });
    expect(summary.changes).toBe(1);
    const budgets = await prisma.budget.findMany({ where: { entityId: team.id } });
    expect(budgets.map((b) => [b.id, b.window, b.limitUsd?.toNumber()])).toEqual([[daily.id, "1d", 20]]);
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { entityId: team.id, action: "update" }, orderBy: { createdAt: "desc" } });
    expect(JSON.stringify(audit.before)).toContain('"limitUsd":"10"');
    expect(JSON.stringify(audit.after)).toContain('"limitUsd":"20"');
  });

  it("re-encrypts a provider key only when its value changed", async () => {
    const where = { name: "k1", provider: { name: "change-provider" } };
    const before = await prisma.providerKey.findFirstOrThrow({ where });
    await apply(base);
    expect((await prisma.providerKey.findFirstOrThrow({ where })).secretCiphertext).toBe(before.secretCiphertext);
    const summary = await apply(base.replace("first-secret-value", "second-secret-value"));
    expect(summary.counts.provider_keys).toEqual({ created: 0, updated: 1, unchanged: 0, deleted: 0 });
    const after = await prisma.providerKey.findFirstOrThrow({ where });
    expect(decryptSecret(after.secretCiphertext)).toBe("second-secret-value");
  });

  it("rotates a virtual key when the file gives it a new value", async () => {
    const summary = await apply(base.replace('models: ["gpt-*"]', 'models: ["gpt-*"]\n    value: sk-sy-rotated-000001'));
    expect(summary.counts.virtual_keys.updated).toBe(1);
    const key = await prisma.virtualKey.findUniqueOrThrow({ where: { name: "generated-key" } });
    expect(key.keyHash).toBe(hashVirtualKey("sk-sy-rotated-000001"));
  });
});

describe("revoked keys", () => {
  it("stay inactive when a file that lists them is applied again", async () => {
    const text = "virtual_keys:\n  - name: revoked-key\n    value: sk-sy-revoked-00001\n    models: []\n";
    await apply(text);
    await prisma.virtualKey.update({ where: { name: "revoked-key" }, data: { active: false, revokedAt: new Date() } });
    const summary = await apply(text);
    expect(summary.changes).toBe(0);
    expect(summary.warnings).toEqual(['virtual key "revoked-key" is revoked; the config file cannot re-activate it']);
    expect((await prisma.virtualKey.findUniqueOrThrow({ where: { name: "revoked-key" } })).active).toBe(false);
  });
});

describe("transaction and notification", () => {
  it("rolls everything back when a step fails", async () => {
    const text = `
teams:
  - name: rollback-team
virtual_keys:
  - name: rollback-key
    user: nobody@example.com
    models: []
`;
    await expect(apply(text)).rejects.toThrow(ConfigApplyError);
    await expect(apply(text)).rejects.toThrow(/no dashboard user with email "nobody@example.com"/);
    expect(await prisma.team.findUnique({ where: { name: "rollback-team" } })).toBeNull();
  });

  it("notifies config_changed on commit when something changed, and only then", async () => {
    const listener = new pg.Client({ connectionString: db.url });
    await listener.connect();
    try {
      const payloads: string[] = [];
      listener.on("notification", (message) => payloads.push(message.payload ?? ""));
      await listener.query("LISTEN config_changed");
      const text = "teams:\n  - name: notify-team\n";
      await apply(text);
      await apply(text);
      // A round trip on the listener's connection delivers anything already sent.
      await listener.query("SELECT 1");
      expect(payloads).toEqual(['{"source":"config-apply"}']);
    } finally {
      await listener.end();
    }
  });

  it("applies a file from disk with applyConfigFile", async () => {
    const summary = await applyConfigFile(prisma, FIXTURE.pathname, { env });
    expect(summary.changes).toBe(0);
  });
});
