// `model_aliases:` in the config file: stored as one settings row, idempotent, exported back,
// and chains/cycles rejected with the file's line.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient, type PrismaClient } from "../db/client";
import { createTestDatabase, type TestDatabase } from "../testing/test-database";
import { applyConfig } from "./apply";
import { ConfigError } from "./config-error";
import { exportConfig } from "./export";
import { parseConfigText } from "./load";

let db: TestDatabase;
let prisma: PrismaClient;

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrismaClient(db.url);
});

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

const FILE = ["model_aliases:", "  fast: mock/gpt-4o-mini", "  smart: mock/gpt-4o", ""].join("\n");

describe("model aliases in the config file", () => {
  it("applies once, then reports them unchanged, and exports them back", async () => {
    const first = await applyConfig(prisma, parseConfigText(FILE).document);
    expect(first.counts.model_aliases).toEqual({ created: 1, updated: 0, unchanged: 0, deleted: 0 });
    const row = await prisma.setting.findUniqueOrThrow({ where: { key: "model_aliases" } });
    expect(row.value).toEqual({ fast: "mock/gpt-4o-mini", smart: "mock/gpt-4o" });

    const second = await applyConfig(prisma, parseConfigText(FILE).document);
    expect(second.counts.model_aliases).toEqual({ created: 0, updated: 0, unchanged: 1, deleted: 0 });
    expect(second.changes).toBe(0);

    const exported = await exportConfig(prisma);
    expect(parseConfigText(exported).document.model_aliases).toEqual({ fast: "mock/gpt-4o-mini", smart: "mock/gpt-4o" });
  });

  it("rejects a chain of aliases with the line that introduces it", () => {
    const text = ["model_aliases:", "  fast: quick", "  quick: mock/gpt-4o-mini", ""].join("\n");
    let error: unknown;
    try {
      parseConfigText(text, { fileName: "aliases.yaml" });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(String((error as Error).message)).toMatch(/aliases\.yaml:\d+: model_aliases\.\w+/);
  });
});
