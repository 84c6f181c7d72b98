// The response cache on the translated surfaces (PRODUCT §6, issue 8 item 4): an Anthropic
// Messages, a Responses and a Gemini client each get identical requests answered from the
// cache — streams replayed through the real SDKs' stream helpers — in their own format; the
// same conversation from another client API never replays an answer recorded for another
// format; Gemini's model (in the path) and its JSON-array variant are part of the key; and a
// Gemini conversation can hit by meaning like a chat one.
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MOCK_EMBEDDING_MODEL, startMockEmbeddings, type MockEmbeddingsServer } from "../testing/mock-embeddings";
import { CATALOG_MODEL, PROVIDER_NAME, startGatewayHarness, UPSTREAM_SECRET, type GatewayHarness } from "./support/gateway-harness";
import { insertProvider } from "./support/seed";

const EMBED_SECRET = "sk-embed-cache-translated";
const MODEL = `${PROVIDER_NAME}/${CATALOG_MODEL}`;
let h: GatewayHarness;
let embeddings: MockEmbeddingsServer;
let lastCache: string | null = null;

const trackingFetch: typeof fetch = async (url, init) => {
  const response = await fetch(url, init);
  lastCache = response.headers.get("x-switchyard-cache");
  return response;
};

beforeAll(async () => {
  embeddings = await startMockEmbeddings({ apiKey: EMBED_SECRET });
  h = await startGatewayHarness({
    seed: async (db, upstream) => {
      await insertProvider(db, { name: "embedder", type: "openai-compatible", baseUrl: embeddings.url, keys: [{ name: "main", secret: EMBED_SECRET }] });
      await insertProvider(db, { name: "second", type: "openai", baseUrl: upstream.url, models: ["gpt-mock-2"], keys: [{ name: "main", secret: UPSTREAM_SECRET }] });
    },
    gateway: { cache: { config: { defaultMode: "semantic", embedding: { provider: "embedder", model: MOCK_EMBEDDING_MODEL }, vectorBackend: "memory", threshold: 0.8, maxMessages: 4 } } },
  });
}, 60_000);

afterAll(async () => {
  await h?.close();
  await embeddings?.close();
});

const upstreamCalls = () => h.upstream.requests.filter((r) => r.path.endsWith("/chat/completions")).length;

async function gemini(model: string, text: string, method = "generateContent"): Promise<{ status: number; cache: string | null; body: string }> {
  const response = await fetch(`${h.gatewayUrl}/genai/v1beta/models/${model}:${method}`, {
    method: "POST",
    headers: { "x-goog-api-key": h.virtualKey, "content-type": "application/json" },
    body: JSON.stringify({ contents: [{ role: "user", parts: [{ text }] }] }),
  });
  return { status: response.status, cache: response.headers.get("x-switchyard-cache"), body: await response.text() };
}

describe("cache on the translated surfaces", () => {
  it("Anthropic Messages: JSON and .stream() hits replay in Anthropic's format", async () => {
    const client = new Anthropic({ baseURL: `${h.gatewayUrl}/anthropic`, apiKey: h.virtualKey, maxRetries: 0, fetch: trackingFetch });
    const params = { model: MODEL, max_tokens: 64, messages: [{ role: "user" as const, content: "anthropic cache probe" }] };
    const first = await client.messages.create(params);
    expect(lastCache).toBe("miss");
    const calls = upstreamCalls();
    const second = await client.messages.create(params);
    expect(lastCache).toBe("hit-exact");
    expect(second.content).toEqual(first.content);
    expect(upstreamCalls()).toBe(calls);

    const live = await client.messages.stream(params).finalMessage();
    expect(lastCache).toBe("miss");
    const replayed = await client.messages.stream(params).finalMessage();
    expect(lastCache).toBe("hit-exact");
    expect(replayed.content).toEqual(live.content);
    expect(replayed.stop_reason).toBe("end_turn");
  });

  it("Responses: a streamed hit replays the whole event sequence to the SDK helper", async () => {
    const client = new OpenAI({ baseURL: `${h.gatewayUrl}/v1`, apiKey: h.virtualKey, maxRetries: 0, fetch: trackingFetch });
    const params = { model: MODEL, input: "responses cache probe", store: false };
    const live = await client.responses.stream(params).finalResponse();
    expect(lastCache).toBe("miss");
    const replayed = await client.responses.stream(params).finalResponse();
    expect(lastCache).toBe("hit-exact");
    expect(replayed.output_text).toBe(live.output_text);
    expect(replayed.status).toBe("completed");
  });

  it("never replays one client API's answer to another, and keys Gemini by its path model and variant", async () => {
    const text = "cross api cache probe";
    const chat = new OpenAI({ baseURL: `${h.gatewayUrl}/v1`, apiKey: h.virtualKey, maxRetries: 0, fetch: trackingFetch });
    await chat.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: text }] });
    await chat.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: text }] });
    expect(lastCache).toBe("hit-exact");

    const first = await gemini(MODEL, text);
    expect(first.status).toBe(200);
    expect(first.cache).toBe("miss");
    expect((JSON.parse(first.body) as { candidates: unknown[] }).candidates).toHaveLength(1);
    expect((await gemini(MODEL, text)).cache).toBe("hit-exact");
    // Same body, another model in the path: not the same request.
    expect((await gemini("second/gpt-mock-2", text)).cache).toBe("miss");
    // The JSON-array stream answers another shape than generateContent: keyed apart.
    const array = await gemini(MODEL, text, "streamGenerateContent");
    expect(array.cache).toBe("miss");
    expect(Array.isArray(JSON.parse(array.body))).toBe(true);
  });

  it("Gemini conversations hit by meaning, like chat ones", async () => {
    expect((await gemini(MODEL, "What is the capital city of France?")).cache).toBe("miss");
    const paraphrase = await gemini(MODEL, "Tell me the capital city of France");
    expect(paraphrase.cache).toBe("hit-semantic");
    expect((await gemini(MODEL, "How tall is Mount Everest?")).cache).toBe("miss");
  });
});
