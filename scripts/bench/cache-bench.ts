// Response cache micro-benchmark (PRODUCT §6): what a hit costs and what caching adds to a
// miss, in process, with 10,000 entries cached, so the figures are the cache's own and not
// network noise. Called by the lead's `npm run bench`, or directly:
//   npx tsx scripts/bench/cache-bench.ts [--entries 10000] [--iterations 2000] [--json]
// Measured per request (p50 / p99, microseconds):
//   exact hit     lookup (canonical JSON + sha256 + LRU get) + replay of a ~1 KB JSON answer
//   semantic hit  lookup with an exact miss, embedding (the deterministic in-process mock
//                 embedder, so provider latency is left out), cosine search over all entries
//                 of the namespace (10,000, the worst case: one tenant, one set of parameters),
//                 replay
//   miss overhead what a miss adds over an uncached answer: lookup + recorder + store
//                 (exact mode, and semantic mode including the embedding and the index insert)
// Vector search runs on the in-process index, and again on pgvector (HNSW) when DATABASE_URL
// points at a server offering the extension (a scratch database, dropped afterwards; the
// pgvector figures include the round trip to that server). Figures are printed, never asserted.
import http from "node:http";
import net from "node:net";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { DEFAULT_CACHE_CONFIG, type CacheConfig } from "../../gateway/cache/cache-config";
import { createCacheLayer, type CacheLayer, type CacheLookupInput } from "../../gateway/cache/cache-layer";
import type { Embedder } from "../../gateway/cache/embedder";
import { createExactStore } from "../../gateway/cache/exact-store";
import { createMemoryVectorIndex } from "../../gateway/cache/memory-vector-index";
import { createPgvectorIndex, preparePgvector, VECTOR_TABLE } from "../../gateway/cache/pgvector-index";
import type { VectorIndex } from "../../gateway/cache/vector-index";
import pg from "pg";
import { createTestDatabase } from "../../lib/testing/test-database";
import { MOCK_EMBEDDING_MODEL, mockEmbedding } from "../../gateway/testing/mock-embeddings";

export interface LatencySummary {
  p50Us: number;
  p99Us: number;
  meanUs: number;
}

export interface CacheBenchResult {
  vectors: VectorIndex["kind"];
  entries: number;
  iterations: number;
  exactHit: LatencySummary;
  semanticHit: LatencySummary;
  uncachedBaseline: LatencySummary;
  missExact: LatencySummary;
  missSemantic: LatencySummary;
  /** missX minus the uncached baseline, at p50 (µs). */
  missOverheadExactUs: number;
  missOverheadSemanticUs: number;
  /** Share of the timed paraphrase lookups that hit: 1 on the exact in-process scan, below 1 where HNSW's approximate search misses the stored neighbour. */
  semanticRecall: number;
}

const inProcessEmbedder: Embedder = {
  provider: "in-process",
  model: MOCK_EMBEDDING_MODEL,
  embed: async (text) => Float32Array.from(mockEmbedding(text)),
};

const WORDS = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu river mountain ocean forest desert planet comet galaxy nebula quasar".split(" ");

function question(i: number): string {
  // Distinct enough that no two stored questions match each other semantically.
  const pick = (k: number) => WORDS[(i * 7 + k * 13 + Math.floor(i / WORDS.length) * k) % WORDS.length];
  return `question ${i}: explain ${pick(1)} ${pick(2)} ${pick(3)} and ${pick(4)} number${i}`;
}

function answerBody(i: number): Buffer {
  return Buffer.from(JSON.stringify({ id: `chatcmpl-${i}`, object: "chat.completion", created: 1, model: "m", choices: [{ index: 0, message: { role: "assistant", content: `answer ${i} `.repeat(60) }, finish_reason: "stop" }], usage: { prompt_tokens: 20, completion_tokens: 120, total_tokens: 140 } }));
}

function fakeResponse(): http.ServerResponse {
  // Not attached to a socket: output is buffered in memory and dropped with the object.
  return new http.ServerResponse(new http.IncomingMessage(new net.Socket()));
}

function summarize(samples: number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
  const round = (ms: number) => Math.round(ms * 1000 * 10) / 10;
  return { p50Us: round(at(50)), p99Us: round(at(99)), meanUs: round(sorted.reduce((s, v) => s + v, 0) / Math.max(1, sorted.length)) };
}

function input(text: string, mode: "exact" | "semantic"): CacheLookupInput {
  return {
    clientApi: "openai_chat",
    body: { model: "mockai/gpt-mock-1", messages: [{ role: "user", content: text }], temperature: 0 },
    stream: false,
    headers: { "x-switchyard-cache-type": mode },
    keyId: "bench-key",
    teamId: "bench-team",
    keySettings: {},
    teamSettings: {},
    signal: new AbortController().signal,
  };
}

function sendLive(res: http.ServerResponse, body: Buffer): void {
  res.writeHead(200, { "content-type": "application/json", "content-length": String(body.length), "x-switchyard-cost-usd": "0.0012", "x-switchyard-provider": "mockai", "x-switchyard-model": "gpt-mock-1" });
  res.end(body);
}

async function populate(layer: CacheLayer, entries: number): Promise<void> {
  for (let i = 0; i < entries; i++) {
    const lookup = await layer.lookup(input(question(i), "semantic"));
    const res = fakeResponse();
    layer.record(res, lookup);
    sendLive(res, answerBody(i));
  }
  await layer.idle();
}

export async function runCacheBench(
  options: { entries?: number; iterations?: number; vectors?: (maxEntries: number) => VectorIndex; afterPopulate?: () => Promise<void> } = {},
): Promise<CacheBenchResult> {
  const entries = options.entries ?? 10_000;
  const iterations = options.iterations ?? 2_000;
  const makeVectors = options.vectors ?? createMemoryVectorIndex;
  const config: CacheConfig = { ...DEFAULT_CACHE_CONFIG, defaultMode: "exact", maxEntries: entries * 3, threshold: 0.9, embedding: { provider: "in-process", model: MOCK_EMBEDDING_MODEL } };
  const layer = createCacheLayer({
    config,
    exact: createExactStore({ maxEntries: config.maxEntries, maxBytes: config.maxMemoryBytes, log: () => {} }),
    vectors: makeVectors(config.maxEntries),
    vectorNote: null,
    embedder: inProcessEmbedder,
    log: (message) => console.error(message),
  });
  await populate(layer, entries);
  await options.afterPopulate?.();

  const timeIt = async (run: (i: number) => Promise<void>): Promise<LatencySummary> => {
    for (let i = 0; i < Math.min(200, iterations); i++) await run(i); // warm-up
    const samples: number[] = [];
    for (let i = 0; i < iterations; i++) {
      const started = performance.now();
      await run(i);
      samples.push(performance.now() - started);
    }
    return summarize(samples);
  };

  let semanticLookups = 0;
  let semanticHits = 0;
  const replay = async (lookupInput: CacheLookupInput, expect: string) => {
    const lookup = await layer.lookup(lookupInput);
    if (expect === "hit-semantic") {
      semanticLookups += 1;
      if (lookup.status === "hit-semantic") semanticHits += 1;
      // An approximate index may miss; the exact scan may not.
      else if (lookup.status !== "miss" || layer.backendInfo().vector === "memory") throw new Error(`expected ${expect}, got ${lookup.status}`);
    } else if (lookup.status !== expect) throw new Error(`expected ${expect}, got ${lookup.status}`);
    if (lookup.status === "hit-exact" || lookup.status === "hit-semantic") {
      const { replayResponse } = await import("../../gateway/cache/replay-response");
      await replayResponse(fakeResponse(), lookup.entry, lookup.status, performance.now(), lookupInput.signal);
    }
  };

  const exactHit = await timeIt((i) => replay(input(question(i % entries), "exact"), "hit-exact"));
  // A paraphrase: same content words, another phrasing → exact miss, semantic hit.
  const semanticHit = await timeIt((i) => replay(input(`please ${question(i % entries)}`, "semantic"), "hit-semantic"));
  let fresh = entries * 10;
  const uncachedBaseline = await timeIt(async () => sendLive(fakeResponse(), answerBody(fresh++)));
  const miss = (mode: "exact" | "semantic") => async () => {
    const n = fresh++;
    // Four tokens of its own: with the mock's 256 hashed dimensions, a text of one or two unique
    // tokens can collide with an earlier miss (similarity ~1) once tens of thousands are stored.
    const lookup = await layer.lookup(input(`unseen ${n} ${WORDS[n % WORDS.length]} zeta${n} eta${n * 7} theta${n * 13} iota${n * 31}`, mode));
    if (lookup.status !== "miss") throw new Error(`expected miss, got ${lookup.status}${lookup.status === "hit-semantic" ? ` (similarity ${lookup.similarity} to ${lookup.entry.id}, mode ${mode}, n ${n})` : ""}`);
    const res = fakeResponse();
    layer.record(res, lookup);
    sendLive(res, answerBody(n));
    await layer.idle();
  };
  const missExact = await timeIt(miss("exact"));
  const missSemantic = await timeIt(miss("semantic"));
  const vectors = layer.backendInfo().vector;
  await layer.close();
  return {
    vectors,
    entries,
    iterations,
    exactHit,
    semanticHit,
    uncachedBaseline,
    missExact,
    missSemantic,
    missOverheadExactUs: Math.round((missExact.p50Us - uncachedBaseline.p50Us) * 10) / 10,
    missOverheadSemanticUs: Math.round((missSemantic.p50Us - uncachedBaseline.p50Us) * 10) / 10,
    semanticRecall: semanticLookups === 0 ? 0 : Math.round((semanticHits / semanticLookups) * 1000) / 1000,
  };
}

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

/** The same bench on pgvector, in a scratch database; null (with the reason) where the server lacks it. */
async function runOnPgvector(options: { entries: number; iterations: number }): Promise<CacheBenchResult | string> {
  if (!process.env.DATABASE_URL) return "DATABASE_URL is not set";
  const database = await createTestDatabase();
  const pool = new pg.Pool({ connectionString: database.url, max: 4 });
  try {
    await preparePgvector(pool);
    return await runCacheBench({
      ...options,
      vectors: () => createPgvectorIndex(pool, (message) => console.error(message)),
      // What autovacuum does to a table that grew by 10,000 rows. Without statistics the planner
      // believes the namespace holds one row, takes the b-tree and sorts all 10,000 (~8 ms);
      // with them it takes the HNSW index (~0.4 ms in EXPLAIN ANALYZE here).
      afterPopulate: async () => {
        await pool.query(`ANALYZE ${VECTOR_TABLE}`);
      },
    });
  } catch (error) {
    return (error as Error).message;
  } finally {
    await pool.end();
    await database.drop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const entries = Number(argument("entries") ?? 10_000);
  const iterations = Number(argument("iterations") ?? 2_000);
  const results: CacheBenchResult[] = [await runCacheBench({ entries, iterations })];
  const onPgvector = await runOnPgvector({ entries, iterations });
  if (typeof onPgvector === "string") console.error(`cache bench: pgvector not measured (${onPgvector})`);
  else results.push(onPgvector);
  if (process.argv.includes("--json")) {
    console.log(JSON.stringify(results, null, 2));
  } else {
    const row = (label: string, s: LatencySummary) => `| ${label} | ${s.p50Us} | ${s.p99Us} | ${s.meanUs} |`;
    for (const result of results) {
      console.log(`\ncache bench, ${result.vectors} vector index: ${result.entries} entries cached, ${result.iterations} iterations each (µs)`);
      console.log("| case | p50 | p99 | mean |\n|---|---:|---:|---:|");
      console.log(row("exact hit (lookup + replay)", result.exactHit));
      console.log(row("semantic hit (lookup + embed + search + replay)", result.semanticHit));
      console.log(row("uncached answer (baseline)", result.uncachedBaseline));
      console.log(row("miss, exact mode", result.missExact));
      console.log(row("miss, semantic mode", result.missSemantic));
      console.log(`miss overhead at p50: exact ${result.missOverheadExactUs} µs, semantic ${result.missOverheadSemanticUs} µs; paraphrases found: ${(result.semanticRecall * 100).toFixed(1)} %`);
    }
  }
}
