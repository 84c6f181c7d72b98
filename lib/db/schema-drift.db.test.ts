// Fails when prisma/schema.prisma and the SQL migrations disagree. We write the
// migrations by hand (see lib/db/migrate.ts), so this is what keeps them honest:
// every model must have its table and every scalar field its column, with a
// compatible type, and every model must round-trip a row through the Prisma client.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { createTestDatabase, type TestDatabase } from "../testing/test-database";
import { createPrismaClient, type PrismaClient } from "./client";

const COMPATIBLE_TYPES: Record<string, string[]> = {
  String: ["text", "uuid"],
  Int: ["integer"],
  BigInt: ["bigint"],
  Decimal: ["numeric"],
  DateTime: ["timestamp with time zone"],
  Json: ["jsonb"],
  Boolean: ["boolean"],
};

interface RuntimeField {
  name: string;
  kind: string;
  type: string;
  dbName?: string;
}
interface RuntimeModel {
  dbName: string | null;
  fields: RuntimeField[];
}

let db: TestDatabase;
let prisma: PrismaClient;
let client: pg.Client;

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrismaClient(db.url);
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
});

afterAll(async () => {
  await client?.end();
  await prisma?.$disconnect();
  await db?.drop();
});

function runtimeModels(): Record<string, RuntimeModel> {
  const dataModel = (prisma as unknown as { _runtimeDataModel: { models: Record<string, RuntimeModel> } })._runtimeDataModel;
  return dataModel.models;
}

describe("schema drift", () => {
  it("has a table with a compatible column for every Prisma field", async () => {
    const { rows } = await client.query<{ table_name: string; column_name: string; data_type: string; udt_name: string }>(
      `SELECT table_name, column_name, data_type, udt_name FROM information_schema.columns WHERE table_schema = 'public'`,
    );
    const columns = new Map(rows.map((row) => [`${row.table_name}.${row.column_name}`, row]));
    const problems: string[] = [];
    const models = runtimeModels();
    expect(Object.keys(models).length).toBeGreaterThan(20);
    for (const [modelName, model] of Object.entries(models)) {
      const table = model.dbName ?? modelName;
      for (const field of model.fields) {
        if (field.kind === "object") continue;
        const column = columns.get(`${table}.${field.dbName ?? field.name}`);
        if (!column) {
          problems.push(`${modelName}.${field.name}: column ${table}.${field.dbName ?? field.name} is missing`);
          continue;
        }
        const actual = column.data_type === "ARRAY" ? column.udt_name.replace(/^_/, "") : column.data_type;
        if (field.kind === "enum") {
          const enumType = column.data_type === "ARRAY" ? column.udt_name.replace(/^_/, "") : column.udt_name;
          if (enumType !== field.type) problems.push(`${modelName}.${field.name}: expected enum ${field.type}, got ${enumType}`);
          continue;
        }
        const allowed = COMPATIBLE_TYPES[field.type] ?? [];
        const arrayAliases: Record<string, string> = { text: "text", int4: "integer", int8: "bigint" };
        const normalized = column.data_type === "ARRAY" ? (arrayAliases[actual] ?? actual) : actual;
        if (!allowed.includes(normalized)) {
          problems.push(`${modelName}.${field.name}: ${field.type} stored as ${normalized}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("round-trips rows through the Prisma client, including the partitioned log", async () => {
    const user = await prisma.user.create({ data: { email: "drift@example.com", role: "owner" } });
    const customer = await prisma.customer.create({ data: { name: "acme" } });
    const team = await prisma.team.create({ data: { name: "platform", customerId: customer.id } });
    await prisma.membership.create({ data: { userId: user.id, teamId: team.id, role: "team_admin" } });
    const provider = await prisma.provider.create({
      data: { name: "mock", type: "openai-compatible", requestTypes: ["chat"], keys: { create: { name: "k", secretCiphertext: "v1.x.y.z" } } },
      include: { keys: true },
    });
    expect(provider.keys).toHaveLength(1);
    await prisma.modelPricing.create({ data: { model: "mock/gpt", inputPerMTok: "1.5", outputPerMTok: "2" } });
    const rule = await prisma.routingRule.create({
      data: {
        name: "r",
        condition: 'model.startsWith("claude-")',
        targets: { create: [{ kind: "target", provider: "mock", model: "gpt", weight: 1 }, { kind: "fallback", provider: "mock", model: "gpt-mini", position: 1 }] },
      },
      include: { targets: true },
    });
    expect(rule.targets).toHaveLength(2);
    await prisma.virtualKey.create({
      data: { name: "ci", keyHash: "h", displayPrefix: "sk-sy-…", teamId: team.id, userId: user.id, allowedModels: ["*"] },
    });
    const budget = await prisma.budget.create({ data: { entityType: "team", entityId: team.id, window: "1M", limitUsd: "500" } });
    expect(budget.alertThresholds).toEqual([80, 95, 100]);
    await prisma.budgetPeriod.create({ data: { budgetId: budget.id, windowStart: new Date(), windowEnd: new Date(Date.now() + 1000) } });
    await prisma.alert.create({ data: { budgetId: budget.id, threshold: 80, windowStart: new Date() } });
    await prisma.rateLimit.create({ data: { entityType: "virtual_key", entityId: "x", window: "1m", maxRequests: 60 } });
    const log = await prisma.requestLog.create({
      data: { id: crypto.randomUUID(), clientApi: "openai_chat", requestType: "chat", status: 200, latencyMs: 12, tags: ["a"] },
    });
    await prisma.requestLogBody.create({ data: { logId: log.id, createdAt: log.createdAt, requestBody: "{}" } });
    await prisma.usageRollup.create({ data: { granularity: "hour", bucket: new Date(), statusClass: "2xx", requests: 1n } });
    await prisma.auditLog.create({ data: { actorLabel: "test", action: "create", entityType: "team" } });
    await prisma.setting.create({ data: { key: "retention_days", value: 30 } });
    await prisma.setupToken.create({ data: { tokenHash: "t", expiresAt: new Date() } });

    const { rows } = await client.query<{ partition: string }>(
      `SELECT tableoid::regclass::text AS partition FROM request_logs WHERE id = $1`,
      [log.id],
    );
    // Today's day partition exists (created by migrate), so the row must not be in the default one.
    expect(rows[0]?.partition).toMatch(/^request_logs_p\d{8}$/);
  });
});
