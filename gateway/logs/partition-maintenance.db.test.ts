// Day partitions are created ahead and dropped after the retention period, with the
// dashboard setting taking precedence over the environment variable.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../lib/testing/test-database";
import { retentionDaysFromEnv, startPartitionMaintenance } from "./partition-maintenance";

let db: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  db = await createTestDatabase();
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

async function dayPartitions(): Promise<string[]> {
  const result = await pool.query<{ relname: string }>(
    `SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
     WHERE p.relname = 'request_logs' AND c.relname ~ '_p[0-9]{8}$' ORDER BY c.relname`,
  );
  return result.rows.map((r) => r.relname);
}

function dayName(offsetDays: number): string {
  const d = new Date(Date.now() + offsetDays * 86_400_000);
  return `request_logs_p${d.toISOString().slice(0, 10).replace(/-/g, "")}`;
}

describe("log partition maintenance", () => {
  it("validates SWITCHYARD_LOG_RETENTION_DAYS", () => {
    expect(retentionDaysFromEnv({})).toBeNull();
    expect(retentionDaysFromEnv({ SWITCHYARD_LOG_RETENTION_DAYS: "14" })).toBe(14);
    expect(() => retentionDaysFromEnv({ SWITCHYARD_LOG_RETENTION_DAYS: "0" })).toThrow(/SWITCHYARD_LOG_RETENTION_DAYS/);
    expect(() => retentionDaysFromEnv({ SWITCHYARD_LOG_RETENTION_DAYS: "two weeks" })).toThrow(/SWITCHYARD_LOG_RETENTION_DAYS/);
  });

  it("keeps a week of partitions ahead and drops those older than the retention", async () => {
    const messages: string[] = [];
    // Old days, as a gateway that ran for weeks would have them.
    await pool.query("SELECT switchyard_ensure_log_partitions(((now() AT TIME ZONE 'UTC')::date - 20), 5)");
    expect(await dayPartitions()).toContain(dayName(-20));

    const maintenance = startPartitionMaintenance({ pool, envRetentionDays: 30, log: (m) => messages.push(m) });
    try {
      let pass = await maintenance.runOnce();
      expect(pass.retentionDays).toBe(30);
      expect(pass.dropped).toBe(0);
      const names = await dayPartitions();
      expect(names).toContain(dayName(7));
      expect(names).toContain(dayName(-20));

      // The dashboard setting wins over the environment.
      await pool.query("INSERT INTO settings (key, value, updated_at) VALUES ('log_retention_days', '10'::jsonb, now())");
      pass = await maintenance.runOnce();
      expect(pass.retentionDays).toBe(10);
      // request_logs and request_log_bodies partitions of days -20 … -16.
      expect(pass.dropped).toBe(10);
      const after = await dayPartitions();
      expect(after).not.toContain(dayName(-16));
      expect(after).toContain(dayName(-1));
      expect(after).toContain(dayName(0));
      expect(messages.some((m) => m.includes("dropped 10"))).toBe(true);
    } finally {
      maintenance.close();
    }
  });
});
