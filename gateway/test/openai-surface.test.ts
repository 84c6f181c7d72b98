// The rest of the OpenAI surface (PRODUCT §2.1): GET models lists only what the key may use,
// and embeddings go through routing, governance and the log — float and base64, the latter
// being what the real `openai` SDK asks for by default and decodes itself.
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MOCK_EMBEDDING_MODEL, mockEmbedding, startMockEmbeddings, type MockEmbeddingsServer } from "../testing/mock-embeddings";
import { findLog, startGatewayHarness, type GatewayHarness } from "./support/gateway-harness";
import { insertProvider, insertVirtualKey } from "./support/seed";
import { waitFor } from "./support/wait-for";

const EMBED_SECRET = "sk-embed-upstream-0001";
let h: GatewayHarness;
let embeddings: MockEmbeddingsServer;
let limitedKey: string;

beforeAll(async () => {
  embeddings = await startMockEmbeddings({ apiKey: EMBED_SECRET });
  h = await startGatewayHarness({
    seed: async (db, _upstream, { teamId }) => {
      await insertProvider(db, { name: "embedder", type: "openai", baseUrl: embeddings.url, models: [MOCK_EMBEDDING_MODEL], keys: [{ name: "main", secret: EMBED_SECRET }] });
      await insertProvider(db, { name: "hidden", type: "openai", baseUrl: embeddings.url, models: ["secret-model"], keys: [{ name: "main", secret: EMBED_SECRET }] });
      await insertProvider(db, { name: "claude", type: "anthropic", baseUrl: "http://127.0.0.1:9/", models: ["claude-x"], keys: [{ name: "main", secret: "x" }] });
      limitedKey = (await insertVirtualKey(db, { name: "limited", teamId, allowedProviders: ["embedder", "claude"] })).secret;
    },
  });
}, 60_000);

afterAll(async () => {
  await h?.close();
  await embeddings?.close();
});

describe("GET /v1/models", () => {
  it("lists provider/model ids the key may use, on both prefixes", async () => {
    const client = new OpenAI({ baseURL: `${h.gatewayUrl}/v1`, apiKey: limitedKey, maxRetries: 0 });
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(["claude/claude-x", `embedder/${MOCK_EMBEDDING_MODEL}`]);
    const viaOpenAIPrefix = await fetch(`${h.gatewayUrl}/openai/v1/models`, { headers: { authorization: `Bearer ${h.virtualKey}` } });
    const all = (await viaOpenAIPrefix.json()) as { object: string; data: Array<{ id: string; owned_by: string }> };
    expect(all.object).toBe("list");
    expect(all.data.map((m) => m.id)).toContain("hidden/secret-model");
  });

  it("answers 401 in OpenAI's shape without a key", async () => {
    const response = await fetch(`${h.gatewayUrl}/v1/models`);
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { type: string } }).error.type).toBe("invalid_request_error");
  });
});

describe("POST /v1/embeddings", () => {
  it("returns float vectors and logs the request as embeddings", async () => {
    const client = new OpenAI({ baseURL: `${h.gatewayUrl}/v1`, apiKey: h.virtualKey, maxRetries: 0 });
    const { data: result, response } = await client.embeddings.create({ model: `embedder/${MOCK_EMBEDDING_MODEL}`, input: ["capital of France"], encoding_format: "float" }).withResponse();
    expect(result.data[0]!.embedding).toEqual(mockEmbedding("capital of France"));
    expect(result.usage.prompt_tokens).toBe(3);
    const log = await waitFor(() => findLog(h.db, response.headers.get("x-request-id")!), (row) => row !== undefined, { what: "log row" });
    expect(log).toMatchObject({ status: 200, provider: "embedder", request_type: "embeddings", input_tokens: 3 });
  });

  it("relays base64 untouched (the SDK's default) and the SDK decodes it to the same floats", async () => {
    const client = new OpenAI({ baseURL: `${h.gatewayUrl}/openai/v1`, apiKey: h.virtualKey, maxRetries: 0 });
    const result = await client.embeddings.create({ model: `embedder/${MOCK_EMBEDDING_MODEL}`, input: "capital of France" });
    const expected = Array.from(new Float32Array(mockEmbedding("capital of France")));
    expect(result.data[0]!.embedding).toEqual(expected);
    const raw = await fetch(`${h.gatewayUrl}/v1/embeddings`, {
      method: "POST",
      headers: { authorization: `Bearer ${h.virtualKey}`, "content-type": "application/json" },
      body: JSON.stringify({ model: `embedder/${MOCK_EMBEDDING_MODEL}`, input: "capital of France", encoding_format: "base64" }),
    });
    const body = (await raw.json()) as { data: Array<{ embedding: string }> };
    expect(typeof body.data[0]!.embedding).toBe("string");
  });

  it.each([
    [{ input: "x" }, "model"],
    [{ model: `embedder/${MOCK_EMBEDDING_MODEL}`, input: "" }, "input"],
    [{ model: `embedder/${MOCK_EMBEDDING_MODEL}`, input: [] }, "input"],
    [{ model: `embedder/${MOCK_EMBEDDING_MODEL}`, input: [1, "a"] }, "input"],
    [{ model: `embedder/${MOCK_EMBEDDING_MODEL}`, input: "x", encoding_format: "int8" }, "encoding_format"],
    [{ model: `embedder/${MOCK_EMBEDDING_MODEL}`, input: "x", dimensions: 0 }, "dimensions"],
    [{ model: `embedder/${MOCK_EMBEDDING_MODEL}`, input: "x", surprise: true }, "surprise"],
  ])("rejects %j with a 400 naming %s", async (body, param) => {
    const response = await fetch(`${h.gatewayUrl}/v1/embeddings`, { method: "POST", headers: { authorization: `Bearer ${h.virtualKey}`, "content-type": "application/json" }, body: JSON.stringify(body) });
    expect(response.status).toBe(400);
    const error = ((await response.json()) as { error: { param: string | null; type: string } }).error;
    expect(error).toMatchObject({ type: "invalid_request_error", param });
  });

  it("names the provider and request type when the provider family has no embeddings", async () => {
    const response = await fetch(`${h.gatewayUrl}/v1/embeddings`, { method: "POST", headers: { authorization: `Bearer ${h.virtualKey}`, "content-type": "application/json" }, body: JSON.stringify({ model: "claude/claude-x", input: "x" }) });
    expect(response.status).toBe(400);
    const error = ((await response.json()) as { error: { code: string; message: string } }).error;
    expect(error.code).toBe("unsupported_request_type");
    expect(error.message).toContain("'claude'");
    expect(error.message).toContain("'embeddings'");
  });
});
