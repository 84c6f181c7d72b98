// Applies prisma/migrations/<name>/migration.sql in name order, once each.
//
// Why not `prisma migrate deploy`: the Prisma CLI needs a native schema-engine binary
// that it downloads at run time, which offline installs cannot do, and our request log
// is partitioned, which Prisma's schema language cannot describe anyway. The migration
// files keep Prisma's folder layout so the history reads the same.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

export const MIGRATIONS_DIR = fileURLToPath(new URL("../../prisma/migrations", import.meta.url));

/** Days of log partitions created ahead of time; the gateway tops this up daily. */
const PARTITION_DAYS_AHEAD = 7;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(dir, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

export interface MigrateResult {
  applied: string[];
}

export async function migrate(databaseUrl: string, dir: string = MIGRATIONS_DIR): Promise<MigrateResult> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const applied: string[] = [];
  try {
    // Several processes may start at once (gateway replicas, the dashboard, tests).
    await client.query("SELECT pg_advisory_lock(hashtext('switchyard_migrate'))");
    await client.query(`CREATE TABLE IF NOT EXISTS "_switchyard_migrations" (
      "name" TEXT PRIMARY KEY,
      "checksum" TEXT NOT NULL,
      "applied_at" TIMESTAMPTZ NOT NULL DEFAULT now()
    )`);
    const done = new Map<string, string>(
      (await client.query<{ name: string; checksum: string }>(`SELECT name, checksum FROM "_switchyard_migrations"`)).rows.map(
        (row) => [row.name, row.checksum],
      ),
    );
    for (const migration of readMigrations(dir)) {
      const previous = done.get(migration.name);
      if (previous !== undefined) {
        if (previous !== migration.checksum) {
          throw new Error(`migration ${migration.name} was edited after it was applied; add a new migration instead`);
        }
        continue;
      }
      await client.query("BEGIN");
      try {
        await client.query(migration.sql);
        await client.query(`INSERT INTO "_switchyard_migrations" (name, checksum) VALUES ($1, $2)`, [
          migration.name,
          migration.checksum,
        ]);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new Error(`migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
      }
      applied.push(migration.name);
    }
    await ensureLogPartitions(client);
  } finally {
    await client.query("SELECT pg_advisory_unlock(hashtext('switchyard_migrate'))").catch(() => undefined);
    await client.end();
  }
  return { applied };
}

/** Yesterday (late writers) through a week ahead, in UTC days. */
export async function ensureLogPartitions(client: pg.Client | pg.Pool): Promise<number> {
  const result = await client.query<{ created: number }>(
    `SELECT switchyard_ensure_log_partitions(((now() AT TIME ZONE 'UTC')::date - 1), $1) AS created`,
    [PARTITION_DAYS_AHEAD + 2],
  );
  return result.rows[0]?.created ?? 0;
}
