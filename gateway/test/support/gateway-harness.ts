// One isolated world per test file: a fresh migrated database, a strict mock upstream,
// a seeded provider / team / virtual key, and a gateway on an ephemeral port.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { setMasterKeyForTesting } from "../../../lib/crypto/secret-box";
import { createTestDatabase, type TestDatabase } from "../../../lib/testing/test-database";
import { startGateway, type GatewayOptions, type RunningGateway } from "../../server";
import { startMockOpenAIUpstream, type MockUpstream } from "../../testing/mock-openai-upstream";
import { insertProvider, insertTeam, insertVirtualKey } from "./seed";

export const UPSTREAM_SECRET = "sk-upstream-test-secret-0001";
export const PROVIDER_NAME = "mockai";
export const CATALOG_MODEL = "gpt-mock-1";

export interface GatewayHarness {
  database: TestDatabase;
  /** Pool on the test database, for seeding and asserting rows. */
  db: pg.Pool;
  upstream: MockUpstream;
  gateway: RunningGateway;
  gatewayUrl: string;
  virtualKey: string;
  virtualKeyId: string;
  teamId: string;
  customerId: string;
  close(): Promise<void>;
}

export interface HarnessOptions {
  gateway?: Partial<GatewayOptions>;
  /** Extra rows, written before the gateway loads its first snapshot. */
  seed?: (db: pg.Pool, upstream: MockUpstream, ids: { teamId: string; virtualKeyId: string }) => Promise<void>;
}

export async function startGatewayHarness(options: HarnessOptions = {}): Promise<GatewayHarness> {
  // A per-run master key: tests never read or write .data/master.key.
  setMasterKeyForTesting(randomBytes(32));
  const database = await createTestDatabase();
  const db = new pg.Pool({ connectionString: database.url, max: 3 });
  // Tests kill backends on purpose (reconnect test); an idle client dying must not crash the run.
  db.on("error", () => {});
  // Run in order: gateway, upstream, then the pool, then the database (DROP ... FORCE
  // would otherwise kill the pool's idle connections under it).
  const cleanups: Array<() => Promise<unknown>> = [() => db.end(), () => database.drop()];
  try {
    const upstream = await startMockOpenAIUpstream({ apiKey: UPSTREAM_SECRET, slowChunkDelayMs: 100 });
    cleanups.unshift(() => upstream.close());
    await insertProvider(db, { name: PROVIDER_NAME, type: "openai", baseUrl: upstream.url, models: [CATALOG_MODEL], keys: [{ name: "main", secret: UPSTREAM_SECRET }] });
    const { teamId, customerId } = await insertTeam(db, "platform", "acme");
    const key = await insertVirtualKey(db, { name: "ci-bot", teamId });
    await options.seed?.(db, upstream, { teamId, virtualKeyId: key.id });
    // Each harness gets its own Redis key prefix (when REDIS_URL is set): routing circuits
    // are keyed by provider name and model, which every test file shares.
    const governance = { redisKeyPrefix: `sy:test:${randomBytes(6).toString("hex")}:`, ...options.gateway?.governance };
    const gateway = await startGateway({ databaseUrl: database.url, port: 0, host: "127.0.0.1", logFlushIntervalMs: 50, ...options.gateway, governance });
    cleanups.unshift(() => gateway.close());
    return {
      database,
      db,
      upstream,
      gateway,
      gatewayUrl: `http://127.0.0.1:${gateway.port}`,
      virtualKey: key.secret,
      virtualKeyId: key.id,
      teamId,
      customerId: customerId ?? "",
      close: async () => {
        for (const cleanup of cleanups) await cleanup().catch((error: unknown) => console.error("harness cleanup:", error));
      },
    };
  } catch (error) {
    for (const cleanup of cleanups) await cleanup().catch(() => {});
    throw error;
  }
}

export interface LogRow {
  id: string;
  status: number;
  provider: string | null;
  model: string | null;
  requested_model: string | null;
  virtual_key_id: string | null;
  virtual_key_name: string | null;
  team_name: string | null;
  customer_name: string | null;
  request_type: string;
  is_stream: boolean;
  latency_ms: number;
  ttft_ms: number | null;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  reasoning_tokens: number;
  cost_usd: string;
  error_type: string | null;
  error_message: string | null;
  error_source: string | null;
  attempts: Array<{ provider: string; model: string; key: string; status: number; latencyMs: number; errorType?: string }>;
  attempt_count: number;
  search_text: string | null;
}

export async function findLog(db: pg.Pool, requestId: string): Promise<LogRow | undefined> {
  const result = await db.query<LogRow>(`SELECT * FROM request_logs WHERE id = $1`, [requestId]);
  return result.rows[0];
}
