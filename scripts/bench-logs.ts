// `npm run bench:logs`: the log search and usage charts at scale (issue 6). Generates
// 5,000,000 request log rows over 30 days (in SQL, into the real day partitions) plus the
// hourly/daily rollups the gateway would have written at ingest, then times the dashboard's
// typical queries through the real route handlers (GET /api/v1/logs, GET /api/v1/usage) as an
// admin: p50/p95 over repeated runs. Figures are printed (and written as JSON), never asserted.
//
//   npm run bench:logs                      # 5,000,000 rows, 20 runs per query
//   npm run bench:logs -- --rows 500000 --runs 10 --keep
//
// Uses DATABASE_URL's server (a fresh database, dropped at the end unless --keep), or starts an
// embedded PostgreSQL when DATABASE_URL is unset.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, chmodSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "./support/embedded-postgres";

const args = process.argv.slice(2);
function option(name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? Number(args[i + 1]) : fallback;
}
const ROWS = option("rows", 5_000_000);
const RUNS = option("runs", 20);
const DAYS = 30;
const TEAMS = 20;
const KEYS = 200;
const ADMIN_TOKEN = "bench-logs-admin-token";

interface Timing {
  name: string;
  p50Ms: number;
  p95Ms: number;
  rows: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function seed(client: pg.Client): Promise<void> {
  const now = new Date();
  const firstDay = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (DAYS - 1)));
  await client.query("SELECT switchyard_ensure_log_partitions($1::date, $2)", [firstDay.toISOString().slice(0, 10), DAYS + 1]);
  await client.query(
    `INSERT INTO teams (id, name, updated_at) SELECT 'team_' || t, 'team-' || t, now() FROM generate_series(1, $1) t`,
    [TEAMS],
  );
  await client.query(
    `INSERT INTO virtual_keys (id, name, key_hash, display_prefix, team_id, updated_at)
     SELECT 'vk_' || k, 'key-' || k, md5('bench' || k), 'sk-sy-' || k, 'team_' || (1 + k % $2), now() FROM generate_series(1, $1) k`,
    [KEYS, TEAMS],
  );
  // One INSERT per day keeps each statement inside one partition and the WAL bursts bounded.
  // Values are derived from the row number so runs are reproducible: 5 providers × 3 models,
  // ~3 % errors (429/500), a text field that full-text search can hit.
  const perDay = Math.ceil(ROWS / DAYS);
  const started = performance.now();
  for (let day = 0; day < DAYS; day++) {
    const dayStart = new Date(firstDay.getTime() + day * 86_400_000);
    await client.query(
      `INSERT INTO request_logs (id, created_at, client_api, request_type, provider, model, requested_model,
         virtual_key_id, virtual_key_name, team_id, team_name, status, error_type, is_stream, latency_ms, ttft_ms,
         input_tokens, output_tokens, cost_usd, cache, attempt_count, attempts, search_text)
       SELECT gen_random_uuid(), $1::timestamptz + (g * (86400000.0 / $2)) * interval '1 millisecond',
         'openai-chat', CASE WHEN g % 4 = 0 THEN 'chat_stream' ELSE 'chat' END,
         (ARRAY['openai','anthropic','mistral','gemini','groq'])[1 + g % 5],
         (ARRAY['gpt-4o-mini','claude-sonnet-4','devstral-2512'])[1 + (g / 5) % 3],
         (ARRAY['gpt-4o-mini','claude-sonnet-4','devstral-2512'])[1 + (g / 5) % 3],
         'vk_' || (1 + (g * 7) % ${KEYS}), 'key-' || (1 + (g * 7) % ${KEYS}),
         'team_' || (1 + ((1 + (g * 7) % ${KEYS}) % ${TEAMS})), 'team-' || (1 + ((1 + (g * 7) % ${KEYS}) % ${TEAMS})),
         CASE WHEN g % 97 = 0 THEN 500 WHEN g % 41 = 0 THEN 429 ELSE 200 END,
         CASE WHEN g % 97 = 0 THEN 'server_error' WHEN g % 41 = 0 THEN 'rate_limited' END,
         g % 4 = 0, 200 + (g * 13) % 3000, CASE WHEN g % 4 = 0 THEN 50 + (g * 7) % 400 END,
         100 + (g * 31) % 4000, 20 + (g * 17) % 800, ((g * 31) % 4000) * 0.000001, 'none', 1, '[]',
         'openai-chat ' || (ARRAY['openai','anthropic','mistral','gemini','groq'])[1 + g % 5] || ' key-' || (1 + (g * 7) % ${KEYS})
           || CASE WHEN g % 997 = 0 THEN ' upstream overloaded timeout' ELSE '' END
       FROM generate_series(0, $2 - 1) g`,
      [dayStart.toISOString(), perDay],
    );
    if (process.stdout.isTTY || day === DAYS - 1) process.stdout.write(`\rseeding logs: day ${day + 1}/${DAYS} (${(((day + 1) * perDay) / 1e6).toFixed(2)} M rows, ${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
  process.stdout.write("\n");
  // The rollups the writer maintains at ingest (gateway/logs/usage-rollups.ts), built in one pass.
  for (const granularity of ["hour", "day"] as const) {
    await client.query(
      `INSERT INTO usage_rollups (granularity, bucket, team_id, virtual_key_id, customer_id, provider, model, status_class,
         requests, errors, cache_hits, input_tokens, output_tokens, cache_read_tokens, reasoning_tokens, cost_usd, latency_ms_sum)
       SELECT '${granularity}', date_trunc('${granularity}', created_at), coalesce(team_id, ''), coalesce(virtual_key_id, ''), '',
         coalesce(provider, ''), coalesce(model, ''), (status / 100)::text || 'xx',
         count(*), count(*) FILTER (WHERE status >= 400), 0, sum(input_tokens), sum(output_tokens), 0, 0, sum(cost_usd), sum(latency_ms)
       FROM request_logs GROUP BY 2, 3, 4, 6, 7, 8`,
    );
  }
  // …and their one-dimension view (usage_rollup_dims), as the writer maintains it next to them.
  await client.query("SELECT switchyard_rebuild_rollup_dims()");
  await client.query("ANALYZE");
  console.log(`seeded ${(perDay * DAYS).toLocaleString("en-US")} rows and their rollups in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

async function main(): Promise<void> {
  let embedded: EmbeddedDatabase | undefined;
  let embeddedDir: string | undefined;
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    embeddedDir = mkdtempSync(path.join(os.tmpdir(), "switchyard-bench-logs-pg-"));
    chmodSync(embeddedDir, 0o755);
    embedded = await startEmbeddedPostgres({ dataDir: embeddedDir, port: 0, database: "postgres" });
    serverUrl = embedded.url;
    process.env.DATABASE_URL = serverUrl;
  }
  // Imported after DATABASE_URL is settled: the route handlers read it on first use.
  const { createTestDatabase } = await import("../lib/testing/test-database");
  const db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  process.env.SWITCHYARD_ADMIN_TOKEN = ADMIN_TOKEN;
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    await seed(client);
    const { NextRequest } = await import("next/server");
    const logs = await import("../app/api/v1/logs/route");
    const usage = await import("../app/api/v1/usage/route");
    const from = new Date(Date.now() - DAYS * 86_400_000).toISOString();
    const get = async (handler: (request: InstanceType<typeof NextRequest>) => Promise<Response>, url: string) => {
      const response = await handler(new NextRequest(`http://localhost${url}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }));
      if (response.status !== 200) throw new Error(`${url}: ${response.status} ${await response.text()}`);
      return (await response.json()) as { data?: unknown[]; buckets?: unknown[]; next_cursor?: string | null };
    };

    // Page 100 of the unfiltered list: walk there once, then time fetching that page.
    let cursor: string | null | undefined;
    for (let page = 1; page < 100; page++) {
      cursor = (await get(logs.GET, `/api/v1/logs?from=${from}&limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`)).next_cursor;
    }
    const cases: { name: string; url: string; handler: typeof logs.GET }[] = [
      { name: "logs: newest 50, last 7 days", url: "/api/v1/logs?limit=50", handler: logs.GET },
      { name: "logs: by key, 30 days", url: `/api/v1/logs?virtual_key=key-17&from=${from}&limit=50`, handler: logs.GET },
      { name: "logs: by team + status 429, 30 days", url: `/api/v1/logs?team=team-3&status=429&from=${from}&limit=50`, handler: logs.GET },
      { name: "logs: full text 'overloaded', 30 days", url: `/api/v1/logs?q=overloaded&from=${from}&limit=50`, handler: logs.GET },
      { name: "logs: page 100 (keyset), 30 days", url: `/api/v1/logs?from=${from}&limit=50&cursor=${encodeURIComponent(cursor ?? "")}`, handler: logs.GET },
      { name: "usage: 30 days by day, by model", url: `/api/v1/usage?from=${from}&granularity=day&group_by=model`, handler: usage.GET },
      { name: "usage: 7 days by hour, by team", url: `/api/v1/usage?from=${new Date(Date.now() - 7 * 86_400_000).toISOString()}&granularity=hour&group_by=team`, handler: usage.GET },
      { name: "usage: 24 h by hour, everything", url: `/api/v1/usage?from=${new Date(Date.now() - 86_400_000).toISOString()}&granularity=hour`, handler: usage.GET },
    ];
    const timings: Timing[] = [];
    for (const c of cases) {
      await get(c.handler, c.url); // warm: plan cache, buffers
      const samples: number[] = [];
      let rows = 0;
      for (let run = 0; run < RUNS; run++) {
        const started = performance.now();
        const body = await get(c.handler, c.url);
        rows = (body.data ?? body.buckets ?? []).length;
        samples.push(performance.now() - started);
      }
      samples.sort((a, b) => a - b);
      timings.push({ name: c.name, p50Ms: Number(percentile(samples, 50).toFixed(1)), p95Ms: Number(percentile(samples, 95).toFixed(1)), rows });
    }
    const total = Number((await client.query("SELECT count(*) AS n FROM request_logs")).rows[0].n);
    console.log(`\nlog search at scale: ${total.toLocaleString("en-US")} rows over ${DAYS} days, ${RUNS} runs per query, route handlers in process (ms)`);
    console.log("| query | p50 | p95 | rows |\n|---|---:|---:|---:|");
    for (const t of timings) console.log(`| ${t.name} | ${t.p50Ms} | ${t.p95Ms} | ${t.rows} |`);
    mkdirSync("bench-results", { recursive: true });
    const out = path.join("bench-results", `logs-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
    writeFileSync(out, JSON.stringify({ rows: total, days: DAYS, runs: RUNS, at: new Date().toISOString(), cpus: os.cpus().length, timings }, null, 2));
    console.log(`written ${out}`);
  } finally {
    await client.end();
    const shared = globalThis as unknown as { switchyardPrisma?: { $disconnect(): Promise<void> } };
    await shared.switchyardPrisma?.$disconnect();
    if (!args.includes("--keep")) await db.drop();
    else console.log(`kept database ${db.url}`);
    if (embedded) await embedded.stop();
    if (embeddedDir) rmSync(embeddedDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : String(error));
  process.exit(1);
});
