// Reads (creating on first use) the shared signing key from the settings table.
import pg from "pg";
import { generateSigningKey, INTERNAL_SIGNING_SETTING } from "./internal-token";

type Queryable = Pick<pg.Pool, "query"> | Pick<pg.Client, "query">;

export async function loadSigningKey(db: Queryable): Promise<string> {
  // ON CONFLICT: the dashboard and several gateways may race to create it; all read the winner.
  await db.query(
    `INSERT INTO settings (key, value, updated_at) VALUES ($1, to_jsonb($2::text), now()) ON CONFLICT (key) DO NOTHING`,
    [INTERNAL_SIGNING_SETTING, generateSigningKey()],
  );
  const { rows } = await db.query<{ value: string }>(`SELECT value #>> '{}' AS value FROM settings WHERE key = $1`, [INTERNAL_SIGNING_SETTING]);
  const key = rows[0]?.value;
  if (!key) throw new Error("internal signing key missing from settings");
  return key;
}
