// A fresh, migrated database per test file, on the server DATABASE_URL points at
// (`npm test` starts an embedded PostgreSQL and sets DATABASE_URL when none is given).
import { randomBytes } from "node:crypto";
import pg from "pg";
import { migrate } from "../db/migrate";

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

function serverUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL must point at a PostgreSQL server for database tests (npm test sets it)");
  return url;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function onMaintenanceDb<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(serverUrl(), "postgres") });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `sy_test_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  await onMaintenanceDb((client) => client.query(`CREATE DATABASE "${name}"`));
  const url = withDatabase(serverUrl(), name);
  await migrate(url);
  return {
    url,
    name,
    drop: () =>
      onMaintenanceDb((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}
