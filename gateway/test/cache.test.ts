// The response cache end to end (PRODUCT §6): the real gateway, the strict mock upstream,
// the deterministic mock embeddings server, driven with the real `openai` SDK (its stream
// helper included). The semantic part runs once per vector backend: in-process always,
// pgvector where the extension can be created on the test server (else a printed skip).
import OpenAI from "openai";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../lib/testing/test-database";
import { preparePgvector } from "../cache/pgvector-index";
import { MOCK_EMBEDDING_MODEL, startMockEmbeddings, type MockEmbeddingsServer } from "../testing/mock-embeddings";
import { CATALOG_MODEL, PROVIDER_NAME, findLog, startGatewayHarness, type GatewayHarness } from "./support/gateway-harness";
import { insertPrice, insertTeam, insertVirtualKey, insertProvider } from "./support/seed";
import { waitFor } from "./support/wait-for";

const EMBED_SECRET = "sk-embed-test-0001";

interface CacheLogRow {
  id: string;
  status: number;
  cache: string;
  cost_usd: string;
  cache_saved_usd: string | null;
  input_tokens: number;
  metadata: Record<string, unknown>;
}

async function pgvectorAvailability(): Promise<string | null> {
  const database = await createTestDatabase();
  const pool = new pg.Pool({ connectionString: database.url, max: 1 });
  try {
    await preparePgvector(pool);
    return null;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await pool.end();
    await database.drop();
  }
}

const pgvectorProblem = await pgvectorAvailability();
if (pgvectorProblem !== null) {
  console.warn(`[cache.test] pgvector backend SKIPPED: the extension cannot be created on this Postgres (${pgvectorProblem}). Run scripts/install-pgvector.sh (as root, on the database host) to run it.`);
}

interface World {
  h: GatewayHarness;
  embeddings: MockEmbeddingsServer;
  client: OpenAI;
  /** Headers of the last response the client received. */
  lastHeaders: () => Headers;
  otherTeamKey: string;
}

async function startWorld(vectorBackend: "memory" | "pgvector"): Promise<World> {
  const embeddings = await startMockEmbeddings({ apiKey: EMBED_SECRET });
  let otherTeamKey = "";
  const h = await startGatewayHarness({
    seed: async (db) => {
      await insertProvider(db, { name: "embedder", type: "openai-compatible", baseUrl: embeddings.url, keys: [{ name: "main", secret: EMBED_SECRET }] });
      await insertPrice(db, `${PROVIDER_NAME}/${CATALOG_MODEL}`, 2, 8);
      const other = await insertTeam(db, "other-team");
      otherTeamKey = (await insertVirtualKey(db, { name: "other-bot", teamId: other.teamId })).secret;
    },
    gateway: {
      cache: { config: { defaultMode: "semantic", embedding: { provider: "embedder", model: MOCK_EMBEDDING_MODEL }, vectorBackend, threshold: 0.8, maxMessages: 4 } },
    },
  });
  let headers = new Headers();
  const client = new OpenAI({
    baseURL: `${h.gatewayUrl}/v1`,
    apiKey: h.virtualKey,
    maxRetries: 0,
    fetch: async (url, init) => {
      const response = await fetch(url, init);
      headers = response.headers;
      return response;
    },
  });
  return { h, embeddings, client, lastHeaders: () => headers, otherTeamKey };
}

function flushedLog(h: GatewayHarness, id: string): Promise<CacheLogRow | undefined> {
  return waitFor(() => findLog(h.db, id) as Promise<CacheLogRow | undefined>, (row) => row !== undefined, { what: `log ${id}` });
}

async function rawChat(w: World, body: string, headers: Record<string, string> = {}, key = w.h.virtualKey): Promise<Response> {
  return fetch(`${w.h.gatewayUrl}/v1/chat/completions`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...headers }, body });
}

function upstreamChatCalls(h: GatewayHarness): number {
  return h.upstream.requests.filter((r) => r.path.endsWith("/chat/completions")).length;
}

describe("response cache: exact layer, headers, streams, isolation", () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld("memory");
  });
  afterAll(async () => {
    await w?.h.close();
    await w?.embeddings.close();
  });

  it("answers an identical request from the cache, at cost 0, and logs the saving", async () => {
    const request = { model: CATALOG_MODEL, messages: [{ role: "user" as const, content: "exact cache one" }], temperature: 0 };
    const first = await w.client.chat.completions.create(request);
    expect(w.lastHeaders().get("x-switchyard-cache")).toBe("miss");
    const firstId = w.lastHeaders().get("x-request-id") ?? "";
    const firstCost = Number(w.lastHeaders().get("x-switchyard-cost-usd"));
    expect(firstCost).toBeGreaterThan(0);
    const calls = upstreamChatCalls(w.h);

    const second = await w.client.chat.completions.create(request);
    expect(w.lastHeaders().get("x-switchyard-cache")).toBe("hit-exact");
    expect(w.lastHeaders().get("x-switchyard-cost-usd")).toBe("0");
    expect(w.lastHeaders().get("x-switchyard-provider")).toBe(PROVIDER_NAME);
    expect(second.id).toBe(first.id);
    expect(second.choices).toEqual(first.choices);
    expect(second.usage).toEqual(first.usage);
    expect(upstreamChatCalls(w.h)).toBe(calls);

    const hitLog = await flushedLog(w.h, w.lastHeaders().get("x-request-id") ?? "");
    expect(hitLog).toMatchObject({ status: 200, cache: "hit-exact", input_tokens: 0 });
    expect(Number(hitLog?.cost_usd)).toBe(0);
    expect(Number(hitLog?.cache_saved_usd)).toBeCloseTo(firstCost, 10);
    expect(hitLog?.metadata.cacheNamespace).toBe(`team:${w.h.teamId}`);
    const missLog = await flushedLog(w.h, firstId);
    expect(missLog?.cache).toBe("miss");
    expect(missLog?.cache_saved_usd).toBeNull();
  });

  it("hits with the body's keys in another order, and misses when a parameter differs", async () => {
    const a = await rawChat(w, `{"model":"${CATALOG_MODEL}","temperature":0.5,"messages":[{"role":"user","content":"key order"}]}`);
    expect(a.headers.get("x-switchyard-cache")).toBe("miss");
    const aBody = await a.text();
    const b = await rawChat(w, `{"messages":[{"content":"key order","role":"user"}],"temperature":0.5,"model":"${CATALOG_MODEL}"}`);
    expect(b.headers.get("x-switchyard-cache")).toBe("hit-exact");
    expect(await b.text()).toBe(aBody);
    const c = await rawChat(w, `{"messages":[{"content":"key order","role":"user"}],"temperature":0.6,"model":"${CATALOG_MODEL}"}`);
    expect(c.headers.get("x-switchyard-cache")).toBe("miss");
    await c.text();
  });

  it("replays a stream through the SDK's stream helper with the same events as the live one", async () => {
    const request = { model: CATALOG_MODEL, messages: [{ role: "user" as const, content: "stream me a cached answer" }], stream_options: { include_usage: true } };
    const live = w.client.chat.completions.stream(request);
    const liveChunks: unknown[] = [];
    for await (const chunk of live) liveChunks.push(chunk);
    const liveFinal = await live.finalChatCompletion();
    expect(w.lastHeaders().get("x-switchyard-cache")).toBe("miss");
    const calls = upstreamChatCalls(w.h);

    const replay = w.client.chat.completions.stream(request);
    const replayChunks: unknown[] = [];
    for await (const chunk of replay) replayChunks.push(chunk);
    const replayFinal = await replay.finalChatCompletion();
    expect(w.lastHeaders().get("x-switchyard-cache")).toBe("hit-exact");
    expect(w.lastHeaders().get("content-type")).toMatch(/^text\/event-stream/);
    expect(upstreamChatCalls(w.h)).toBe(calls);
    expect(replayChunks).toEqual(liveChunks);
    expect(replayFinal.choices[0]?.message.content).toBe("Echo: stream me a cached answer");
    expect(replayFinal).toEqual(liveFinal);
    const log = await flushedLog(w.h, w.lastHeaders().get("x-request-id") ?? "");
    expect(log).toMatchObject({ status: 200, cache: "hit-exact" });
  });

  it("keeps streamed and non-streamed entries apart, and replays the raw SSE bytes unchanged", async () => {
    const body = { model: CATALOG_MODEL, messages: [{ role: "user", content: "raw stream bytes" }], stream: true };
    const live = await rawChat(w, JSON.stringify(body));
    const liveBytes = await live.text();
    const replayed = await rawChat(w, JSON.stringify(body));
    expect(replayed.headers.get("x-switchyard-cache")).toBe("hit-exact");
    expect(await replayed.text()).toBe(liveBytes);
    expect(liveBytes.endsWith("data: [DONE]\n\n")).toBe(true);
    const json = await rawChat(w, JSON.stringify({ ...body, stream: false }));
    expect(json.headers.get("x-switchyard-cache")).toBe("miss");
    expect(json.headers.get("content-type")).toMatch(/^application\/json/);
    await json.text();
  });

  it("never lets one tenant see another's entries, nor one cache key another's", async () => {
    const body = JSON.stringify({ model: CATALOG_MODEL, messages: [{ role: "user", content: "tenant isolation" }] });
    expect((await rawChat(w, body)).headers.get("x-switchyard-cache")).toBe("miss");
    expect((await rawChat(w, body)).headers.get("x-switchyard-cache")).toBe("hit-exact");
    // Another team's key: same body, its own namespace.
    expect((await rawChat(w, body, {}, w.otherTeamKey)).headers.get("x-switchyard-cache")).toBe("miss");
    // Same team, another cache key: a sub-namespace of the team, empty.
    expect((await rawChat(w, body, { "x-switchyard-cache-key": "project-a" })).headers.get("x-switchyard-cache")).toBe("miss");
    expect((await rawChat(w, body, { "x-switchyard-cache-key": "project-a" })).headers.get("x-switchyard-cache")).toBe("hit-exact");
    // Naming the other team's namespace in the header only makes a sub-namespace of one's own.
    const spoof = await rawChat(w, body, { "x-switchyard-cache-key": `team:${w.h.teamId}` }, w.otherTeamKey);
    expect(spoof.headers.get("x-switchyard-cache")).toBe("miss");
  });

  it("honours bypass, no-store and cache-type headers, and rejects bad values with 400", async () => {
    const body = JSON.stringify({ model: CATALOG_MODEL, messages: [{ role: "user", content: "header controls" }] });
    const noStore = await rawChat(w, body, { "x-switchyard-cache": "no-store" });
    expect(noStore.headers.get("x-switchyard-cache")).toBe("miss");
    expect((await rawChat(w, body)).headers.get("x-switchyard-cache")).toBe("miss");
    expect((await rawChat(w, body)).headers.get("x-switchyard-cache")).toBe("hit-exact");
    const calls = upstreamChatCalls(w.h);
    const bypass = await rawChat(w, body, { "x-switchyard-cache": "bypass" });
    expect(bypass.headers.get("x-switchyard-cache")).toBe("bypass");
    expect(upstreamChatCalls(w.h)).toBe(calls + 1);
    const bypassLog = await flushedLog(w.h, bypass.headers.get("x-request-id") ?? "");
    expect(bypassLog?.cache).toBe("bypass");

    for (const [name, value] of [["x-switchyard-cache", "sometimes"], ["x-switchyard-cache-type", "fuzzy"], ["x-switchyard-cache-ttl", "-5"], ["x-switchyard-cache-threshold", "2"], ["x-switchyard-cache-key", "has space"]] as const) {
      const bad = await rawChat(w, body, { [name]: value });
      expect(bad.status, name).toBe(400);
      const error = (await bad.json()) as { error: { param: string; type: string } };
      expect(error.error).toMatchObject({ type: "invalid_request_error", param: name });
    }
  });

  it("expires entries after their TTL (x-switchyard-cache-ttl)", async () => {
    const body = JSON.stringify({ model: CATALOG_MODEL, messages: [{ role: "user", content: "short lived" }] });
    await rawChat(w, body, { "x-switchyard-cache-ttl": "1" });
    expect((await rawChat(w, body)).headers.get("x-switchyard-cache")).toBe("hit-exact");
    // Polled, not slept: the entry is gone at most ~1 s after it was stored.
    await waitFor(async () => (await rawChat(w, body, { "x-switchyard-cache": "no-store" })).headers.get("x-switchyard-cache"), (s) => s === "miss", { timeoutMs: 5_000, intervalMs: 200, what: "the entry to expire" });
  });

  it("does not cache conversations longer than max_messages", async () => {
    const messages = Array.from({ length: 5 }, (_, i) => ({ role: i % 2 === 0 ? "user" : "assistant", content: `turn ${i}` }));
    const body = JSON.stringify({ model: CATALOG_MODEL, messages });
    const calls = upstreamChatCalls(w.h);
    const first = await rawChat(w, body);
    const second = await rawChat(w, body);
    expect(first.headers.get("x-switchyard-cache")).toBe("none");
    expect(second.headers.get("x-switchyard-cache")).toBe("none");
    expect(upstreamChatCalls(w.h)).toBe(calls + 2);
    const log = await flushedLog(w.h, second.headers.get("x-request-id") ?? "");
    expect(log?.cache).toBe("none");
    expect(log?.metadata.cacheSkipped).toBe("conversation_too_long");
  });

  it("is invalidated by namespace through NOTIFY cache_invalidate (what the admin API sends)", async () => {
    const body = JSON.stringify({ model: CATALOG_MODEL, messages: [{ role: "user", content: "to be invalidated" }] });
    await rawChat(w, body);
    expect((await rawChat(w, body)).headers.get("x-switchyard-cache")).toBe("hit-exact");
    const namespace = `team:${w.h.teamId}`;
    await w.h.db.query("SELECT pg_notify('cache_invalidate', $1)", [JSON.stringify({ namespace })]);
    await waitFor(async () => (await w.h.gateway.cache.stats()).namespaces.find((n) => n.namespace === namespace), (n) => n === undefined, { what: "the namespace to be cleared" });
    expect((await rawChat(w, body, { "x-switchyard-cache": "no-store" })).headers.get("x-switchyard-cache")).toBe("miss");
  });

  it("reports its backends in /ready", async () => {
    const ready = (await (await fetch(`${w.h.gatewayUrl}/ready`)).json()) as { cache: { vector: string; exact: string; embedding: { model: string } | null } };
    expect(ready.cache.vector).toBe("memory");
    expect(ready.cache.exact).toBe(process.env.REDIS_URL ? "memory+redis" : "memory");
    expect(ready.cache.embedding?.model).toBe(MOCK_EMBEDDING_MODEL);
  });
});

describe.each([
  { backend: "memory" as const, skip: null },
  { backend: "pgvector" as const, skip: pgvectorProblem },
])("response cache: semantic layer ($backend vectors)", ({ backend, skip }) => {
  let w: World;
  beforeAll(async () => {
    if (skip !== null) return;
    w = await startWorld(backend);
  });
  afterAll(async () => {
    await w?.h.close();
    await w?.embeddings.close();
  });

  it.skipIf(skip !== null)("reports the vector backend it searches in /ready", async () => {
    const ready = (await (await fetch(`${w.h.gatewayUrl}/ready`)).json()) as { cache: { vector: string; vectorNote: string | null } };
    expect(ready.cache.vector).toBe(backend);
  });

  it.skipIf(skip !== null)("answers a paraphrase from the cache, with its similarity in the log", async () => {
    const ask = (content: string) => w.client.chat.completions.create({ model: CATALOG_MODEL, messages: [{ role: "user", content }] });
    const first = await ask("What is the capital of France?");
    expect(w.lastHeaders().get("x-switchyard-cache")).toBe("miss");
    // The semantic entry is written in the background (embedding + index).
    await w.h.gateway.cache.idle();
    const embedCalls = w.embeddings.calls;

    const paraphrase = await ask("Tell me the capital city of France, please");
    expect(w.lastHeaders().get("x-switchyard-cache")).toBe("hit-semantic");
    expect(paraphrase.choices[0]?.message.content).toBe(first.choices[0]?.message.content);
    expect(w.embeddings.calls).toBe(embedCalls + 1);
    const log = await flushedLog(w.h, w.lastHeaders().get("x-request-id") ?? "");
    expect(log?.cache).toBe("hit-semantic");
    const similarity = Number(log?.metadata.cacheSimilarity);
    expect(similarity).toBeGreaterThanOrEqual(0.8);
    expect(similarity).toBeLessThan(1);
    expect(Number(log?.cache_saved_usd)).toBeGreaterThan(0);

    const other = await ask("What is the capital of Germany?");
    expect(w.lastHeaders().get("x-switchyard-cache")).toBe("miss");
    expect(other.choices[0]?.message.content).toBe("Echo: What is the capital of Germany?");
  });

  it.skipIf(skip !== null)("uses the threshold header, and matches only with the same parameters", async () => {
    const ask = (content: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
      rawChat(w, JSON.stringify({ model: CATALOG_MODEL, messages: [{ role: "user", content }], ...extra }), headers);
    await (await ask("How many legs does a spider have?")).text();
    await w.h.gateway.cache.idle();
    // Similar but not identical (shares "legs" and "spider" out of three content words).
    const strict = await ask("How many legs has a big spider?", {}, { "x-switchyard-cache-threshold": "0.99" });
    expect(strict.headers.get("x-switchyard-cache")).toBe("miss");
    await strict.text();
    const loose = await ask("How many legs does the spider have", {}, { "x-switchyard-cache-threshold": "0.8" });
    expect(loose.headers.get("x-switchyard-cache")).toBe("hit-semantic");
    await loose.text();
    const otherParams = await ask("How many legs does the spider have", { temperature: 1 }, { "x-switchyard-cache-threshold": "0.8" });
    expect(otherParams.headers.get("x-switchyard-cache")).toBe("miss");
    await otherParams.text();
    const exactOnly = await ask("How many legs does the spider have", {}, { "x-switchyard-cache-type": "exact" });
    expect(exactOnly.headers.get("x-switchyard-cache")).toBe("miss");
    await exactOnly.text();
  });

  it.skipIf(skip !== null)("keeps semantic entries per tenant", async () => {
    const body = (content: string) => JSON.stringify({ model: CATALOG_MODEL, messages: [{ role: "user", content }] });
    await (await rawChat(w, body("Which planet is the largest in the solar system?"))).text();
    await w.h.gateway.cache.idle();
    const mine = await rawChat(w, body("Largest planet in the solar system?"));
    expect(mine.headers.get("x-switchyard-cache")).toBe("hit-semantic");
    await mine.text();
    const theirs = await rawChat(w, body("Largest planet in the solar system?"), {}, w.otherTeamKey);
    expect(theirs.headers.get("x-switchyard-cache")).toBe("miss");
    await theirs.text();
  });
});
