// The dashboard's copy of the internal signing key (lib/internal-auth/signing-key.ts).
// The key never changes once created, so one read per database is enough; a short-lived
// client instead of a pool, because Prisma owns this process's pool.
import pg from "pg";
import { loadSigningKey } from "./signing-key";

const signingKeys = new Map<string, Promise<string>>();

export function signingKeyFor(databaseUrl: string): Promise<string> {
  let key = signingKeys.get(databaseUrl);
  if (!key) {
    key = (async () => {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        return await loadSigningKey(client);
      } finally {
        await client.end();
      }
    })();
    key.catch(() => signingKeys.delete(databaseUrl));
    signingKeys.set(databaseUrl, key);
  }
  return key;
}
