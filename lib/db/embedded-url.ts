// Where `npm start`'s embedded PostgreSQL can be reached, so that the other commands
// (`npm run config`) work next to a running `npm start` without the user having to
// copy a connection string. Must agree with scripts/start.ts.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { env } from "../env";

export const EMBEDDED_DEFAULT_PORT = 54329;
export const EMBEDDED_DATABASE = "switchyard";

export function embeddedPort(): number {
  return Number(process.env.SWITCHYARD_PG_PORT || EMBEDDED_DEFAULT_PORT);
}

/** The embedded server's URL when its data dir exists, else undefined. */
export function embeddedDatabaseUrl(dataDir: string = env.dataDir): string | undefined {
  const passwordFile = path.join(dataDir, "postgres.password");
  if (!existsSync(passwordFile)) return undefined;
  const password = readFileSync(passwordFile, "utf8").trim();
  return `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${embeddedPort()}/${EMBEDDED_DATABASE}`;
}
