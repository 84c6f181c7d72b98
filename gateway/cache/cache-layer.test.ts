// Invalidation against the exact layer's shared copy: while the Redis delete is still in flight
// (or another replica has not heard the NOTIFY yet), a lookup must not serve the invalidated
// entry, nor copy it back into this process's LRU where it would outlive the delete.
import http from "node:http";
import net from "node:net";
import type { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { DEFAULT_CACHE_CONFIG } from "./cache-config";
import { createCacheLayer, type CacheLookupInput } from "./cache-layer";
import { createExactStore } from "./exact-store";
import { createMemoryVectorIndex } from "./memory-vector-index";

/** The slice of ioredis the exact store uses, in memory, with SCAN held until released. */
function gatedRedis() {
  const data = new Map<string, string>();
  let release: () => void = () => {};
  let gate: Promise<void> = Promise.resolve();
  const fake = {
    async get(key: string) {
      return data.get(key) ?? null;
    },
    async set(key: string, value: string) {
      data.set(key, value);
      return "OK";
    },
    async scan(_cursor: string, _match: string, pattern: string) {
      await gate;
      const prefix = pattern.replace(/\*.*$/, "");
      const suffix = pattern.includes("*:") ? pattern.slice(pattern.lastIndexOf(":")) : "";
      return ["0", [...data.keys()].filter((key) => key.startsWith(prefix) && key.endsWith(suffix))];
    },
    async del(...keys: string[]) {
      let n = 0;
      for (const key of keys) if (data.delete(key)) n += 1;
      return n;
    },
  };
  return {
    redis: fake as unknown as Redis,
    data,
    hold() {
      gate = new Promise((resolve) => (release = resolve));
    },
    release: () => release(),
  };
}

function lookupInput(content: string): CacheLookupInput {
  return {
    clientApi: "openai_chat",
    body: { model: "m", messages: [{ role: "user", content }] },
    stream: false,
    headers: {},
    keyId: "key-1",
    teamId: "team-1",
    keySettings: {},
    teamSettings: {},
    signal: new AbortController().signal,
  };
}

function answer(res: http.ServerResponse, text: string): void {
  const body = JSON.stringify({ text });
  res.writeHead(200, { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)), "x-switchyard-cost-usd": "0.001" });
  res.end(body);
}

function makeLayer(redis: Redis) {
  const config = { ...DEFAULT_CACHE_CONFIG, defaultMode: "exact" as const };
  // Two replicas' worth of LRU in one test: `other` shares the Redis but has its own process copy.
  const build = () =>
    createCacheLayer({
      config,
      exact: createExactStore({ maxEntries: 100, maxBytes: 1 << 20, redis, log: () => {} }),
      vectors: createMemoryVectorIndex(100),
      vectorNote: null,
      embedder: null,
      log: () => {},
    });
  return { layer: build(), other: build() };
}

async function fill(layer: ReturnType<typeof createCacheLayer>, content: string): Promise<void> {
  const lookup = await layer.lookup(lookupInput(content));
  expect(lookup.status).toBe("miss");
  const res = new http.ServerResponse(new http.IncomingMessage(new net.Socket()));
  layer.record(res, lookup);
  answer(res, content);
  await layer.idle();
}

describe("cache layer invalidation", () => {
  it("never serves a namespace's entries once invalidated, even while the shared copy is still being deleted", async () => {
    const shared = gatedRedis();
    const { layer, other } = makeLayer(shared.redis);
    await fill(layer, "hello");
    expect((await other.lookup(lookupInput("hello"))).status).toBe("hit-exact"); // from Redis

    shared.hold();
    const done = layer.invalidate({ namespace: "team:team-1" });
    // This replica's LRU is cleared at once but Redis still holds the entry.
    expect(shared.data.size).toBe(1);
    expect((await layer.lookup(lookupInput("hello"))).status).toBe("miss");
    expect(await layer.stats()).toEqual({ namespaces: [] });
    shared.release();
    expect(await done).toBeGreaterThanOrEqual(1);
    expect(shared.data.size).toBe(0);
    expect((await layer.lookup(lookupInput("hello"))).status).toBe("miss");

    // A fresh answer stored after the invalidation is served again.
    await new Promise((resolve) => setTimeout(resolve, 2));
    await fill(layer, "hello");
    expect((await layer.lookup(lookupInput("hello"))).status).toBe("hit-exact");
  });

  it("never serves an invalidated entry by id while its shared copy is still being deleted", async () => {
    const shared = gatedRedis();
    const { layer } = makeLayer(shared.redis);
    await fill(layer, "one");
    await fill(layer, "two");
    const hit = await layer.lookup(lookupInput("one"));
    if (hit.status !== "hit-exact") throw new Error(`expected a hit, got ${hit.status}`);

    shared.hold();
    const done = layer.invalidate({ entryId: hit.entry.id });
    expect((await layer.lookup(lookupInput("one"))).status).toBe("miss");
    expect((await layer.lookup(lookupInput("two"))).status).toBe("hit-exact");
    shared.release();
    await done;
    expect((await layer.lookup(lookupInput("one"))).status).toBe("miss");
  });
});
