// Every failure the hot path knows, through raw HTTP: status, OpenAI error shape, the
// gateway/provider attribution in the message, and the request log row.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MOCK_MODELS } from "../testing/mock-openai-behaviours";
import { CATALOG_MODEL, PROVIDER_NAME, findLog, startGatewayHarness, type GatewayHarness } from "./support/gateway-harness";
import { insertProvider, insertVirtualKey } from "./support/seed";
import { waitFor } from "./support/wait-for";

const MAX_BODY = 64 * 1024;
let h: GatewayHarness;
const keys: Record<"restricted" | "noProviders" | "revoked" | "expired", string> = { restricted: "", noProviders: "", revoked: "", expired: "" };

async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  h = await startGatewayHarness({
    gateway: { maxBodyBytes: MAX_BODY },
    seed: async (db, upstream) => {
      // Self-hosted types have no public endpoint: without a base_url they are misconfigured.
      await insertProvider(db, { name: "selfhosted", type: "vllm", baseUrl: null, keys: [{ name: "k", secret: "x" }] });
      await insertProvider(db, { name: "deadai", type: "openai-compatible", baseUrl: `http://127.0.0.1:${await closedPort()}/v1`, keys: [{ name: "k", secret: "x" }] });
      // Its own key: the 429 test cools that key down, which must not starve the other tests.
      await insertProvider(db, { name: "ratelimited", baseUrl: upstream.url, keys: [{ name: "k", secret: "sk-upstream-test-secret-0001" }] });
      // Two providers listing the same model: a bare name is spread over both (catalog).
      await insertProvider(db, { name: "twin-a", baseUrl: upstream.url, models: ["twin-model"], keys: [{ name: "k", secret: "x" }] });
      await insertProvider(db, { name: "twin-b", baseUrl: upstream.url, models: ["twin-model"], keys: [{ name: "k", secret: "x" }] });
      keys.restricted = (await insertVirtualKey(db, { name: "restricted", allowedModels: ["other-*"], allowedProviders: ["*"] })).secret;
      keys.noProviders = (await insertVirtualKey(db, { name: "no-providers", allowedModels: ["*"], allowedProviders: [] })).secret;
      keys.revoked = (await insertVirtualKey(db, { name: "revoked", revokedAt: new Date(Date.now() - 1000) })).secret;
      keys.expired = (await insertVirtualKey(db, { name: "expired", expiresAt: new Date(Date.now() - 1000) })).secret;
    },
  });
});

afterAll(async () => {
  await h?.close();
});

interface ErrorResponse {
  status: number;
  requestId: string;
  headers: Headers;
  error: { message: string; type: string; param: string | null; code: string | null };
}

async function post(path: string, body: string | object, headers: Record<string, string> = { authorization: `Bearer ${h.virtualKey}` }): Promise<ErrorResponse> {
  const response = await fetch(`${h.gatewayUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const json = (await response.json()) as { error: ErrorResponse["error"] };
  // The OpenAI error shape, exactly: four fields, nothing else.
  expect(Object.keys(json)).toEqual(["error"]);
  expect(Object.keys(json.error).sort()).toEqual(["code", "message", "param", "type"]);
  return { status: response.status, requestId: response.headers.get("x-request-id") ?? "", headers: response.headers, error: json.error };
}

const chat = (model: string, extra: object = {}) => ({ model, messages: [{ role: "user", content: "hi" }], ...extra });

describe("request decoding", () => {
  it("rejects malformed JSON with 400", async () => {
    const r = await post("/v1/chat/completions", '{"model": "x", ');
    expect(r.status).toBe(400);
    expect(r.error.type).toBe("invalid_request_error");
    expect(r.error.code).toBe("invalid_json");
  });

  it.each([
    ["model", { messages: [{ role: "user", content: "hi" }] }],
    ["messages", { model: CATALOG_MODEL }],
  ])("rejects a body without %s with 400", async (param, body) => {
    const r = await post("/v1/chat/completions", body);
    expect(r.status).toBe(400);
    expect(r.error).toMatchObject({ type: "invalid_request_error", param });
  });

  it("rejects a body over the limit with 413 before reading it (content-length)", async () => {
    const r = await post("/v1/chat/completions", chat(CATALOG_MODEL, { padding: "x".repeat(MAX_BODY) }));
    expect(r.status).toBe(413);
    expect(r.error.code).toBe("request_too_large");
  });

  it("stops reading a chunked body once it passes the limit", async () => {
    const url = new URL(h.gatewayUrl);
    const result = await new Promise<{ status: number; body: string; sentBytes: number }>((resolve, reject) => {
      const req = http.request({ host: url.hostname, port: url.port, path: "/v1/chat/completions", method: "POST", headers: { authorization: `Bearer ${h.virtualKey}`, "transfer-encoding": "chunked" } });
      let sentBytes = 0;
      let stopped = false;
      const piece = Buffer.alloc(16 * 1024, 0x61);
      // Keeps sending (up to 8x the limit) until the gateway answers.
      const pump = () => {
        if (stopped || sentBytes >= MAX_BODY * 8) return;
        sentBytes += piece.length;
        req.write(piece, () => setImmediate(pump));
      };
      req.on("response", (res) => {
        stopped = true;
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body, sentBytes }));
      });
      req.on("error", (error) => (stopped ? undefined : reject(error)));
      pump();
    });
    expect(result.status).toBe(413);
    expect(JSON.parse(result.body).error.code).toBe("request_too_large");
    expect(result.sentBytes).toBeLessThan(MAX_BODY * 8);
  });
});

describe("authentication", () => {
  it("rejects a missing key with 401", async () => {
    const r = await post("/v1/chat/completions", chat(CATALOG_MODEL), {});
    expect(r.status).toBe(401);
    expect(r.error.code).toBe("missing_api_key");
  });

  it("rejects an unknown key with 401 invalid_api_key and logs the request", async () => {
    const r = await post("/v1/chat/completions", chat(CATALOG_MODEL), { authorization: "Bearer sk-sy-not-a-real-key" });
    expect(r.status).toBe(401);
    expect(r.error.code).toBe("invalid_api_key");
    const log = await waitFor(() => findLog(h.db, r.requestId), (row) => row !== undefined, { what: "401 log row" });
    // The key is checked before the body is read, so an unauthenticated request's model is unknown.
    expect(log).toMatchObject({ status: 401, provider: null, virtual_key_id: null, requested_model: null, error_source: "gateway", error_type: "invalid_request_error" });
  });

  it.each(["revoked", "expired"] as const)("rejects a %s key with 401", async (which) => {
    const r = await post("/v1/chat/completions", chat(CATALOG_MODEL), { authorization: `Bearer ${keys[which]}` });
    expect(r.status).toBe(401);
    expect(r.error.code).toBe("invalid_api_key");
  });

  it.each(["x-api-key", "api-key"])("accepts the key in %s", async (header) => {
    const response = await fetch(`${h.gatewayUrl}/v1/chat/completions`, { method: "POST", headers: { [header]: h.virtualKey }, body: JSON.stringify(chat(CATALOG_MODEL)) });
    expect(response.status).toBe(200);
  });
});

describe("model resolution and authorization", () => {
  it("answers 404 model_not_found for an unknown model and logs it", async () => {
    const r = await post("/v1/chat/completions", chat("no-such-model"));
    expect(r.status).toBe(404);
    expect(r.error).toMatchObject({ type: "invalid_request_error", code: "model_not_found", param: "model" });
    const log = await waitFor(() => findLog(h.db, r.requestId), (row) => row !== undefined, { what: "404 log row" });
    expect(log).toMatchObject({ status: 404, provider: null, virtual_key_name: "ci-bot", requested_model: "no-such-model" });
  });

  it("routes a bare model served by several providers to one of them (catalog)", async () => {
    const r = await post("/v1/chat/completions", chat("twin-model"));
    expect(["twin-a", "twin-b"]).toContain(r.headers.get("x-switchyard-provider"));
  });

  it("answers 403 when the key's model allow-list does not match", async () => {
    const r = await post("/v1/chat/completions", chat(CATALOG_MODEL), { authorization: `Bearer ${keys.restricted}` });
    expect(r.status).toBe(403);
    expect(r.error.type).toBe("permission_error");
  });

  it("answers 403 when the key allows no provider (deny by default)", async () => {
    const r = await post("/v1/chat/completions", chat(CATALOG_MODEL), { authorization: `Bearer ${keys.noProviders}` });
    expect(r.status).toBe(403);
    expect(r.error.message).toContain(`provider '${PROVIDER_NAME}'`);
  });
});

describe("upstream failures", () => {
  it("answers 502 saying the upstream provider failed when the connection is refused", async () => {
    const r = await post("/v1/chat/completions", chat("deadai/some-model"));
    expect(r.status).toBe(502);
    expect(r.error.message).toMatch(/upstream provider 'deadai' failed/);
    expect(r.error.message).toContain("ECONNREFUSED");
    const log = await waitFor(() => findLog(h.db, r.requestId), (row) => row !== undefined, { what: "502 log row" });
    expect(log).toMatchObject({ status: 502, provider: "deadai", error_source: "upstream" });
    // Retried with backoff up to the default policy's 4 attempts, all on the only target.
    expect(log?.attempts).toHaveLength(4);
    for (const attempt of log?.attempts ?? []) expect(attempt).toMatchObject({ provider: "deadai", key: "k", status: 502, errorType: "upstream_error" });
  });

  it("relays an upstream 429 with its status, type and code, marked as the provider's", async () => {
    const r = await post("/v1/chat/completions", chat(`ratelimited/${MOCK_MODELS.rateLimit}`));
    expect(r.status).toBe(429);
    expect(r.error).toMatchObject({ type: "requests", code: "rate_limit_exceeded" });
    expect(r.error.message).toMatch(/^Upstream provider 'ratelimited' returned HTTP 429: Rate limit reached/);
    expect(r.headers.get("x-switchyard-provider")).toBe("ratelimited");
  });

  it("relays an upstream 500", async () => {
    const r = await post("/v1/chat/completions", chat(`${PROVIDER_NAME}/${MOCK_MODELS.serverError}`));
    expect(r.status).toBe(500);
    expect(r.error.type).toBe("server_error");
    expect(r.error.message).toContain(`Upstream provider '${PROVIDER_NAME}'`);
  });

  it("relays the provider's own 400 for a field it does not know (body passed through)", async () => {
    const r = await post("/v1/chat/completions", chat(CATALOG_MODEL, { not_a_real_field: true }));
    expect(r.status).toBe(400);
    expect(r.error.message).toContain("Unrecognized request argument supplied: not_a_real_field");
    expect(r.error.message).toContain(`Upstream provider '${PROVIDER_NAME}'`);
  });
});

describe("provider configuration", () => {
  it("answers 503 provider_base_url_missing for a self-hosted type without base_url, through the passthrough", async () => {
    const r = await post("/v1/chat/completions", chat("selfhosted/llama"));
    expect(r.status).toBe(503);
    expect(r.error).toMatchObject({ type: "server_error", code: "provider_base_url_missing" });
    expect(r.error.message).toContain("Provider 'selfhosted' (type vllm) has no base_url");
  });

  it("answers the same for a translated request (Anthropic client), in the Anthropic error shape", async () => {
    const response = await fetch(`${h.gatewayUrl}/anthropic/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": h.virtualKey, "anthropic-version": "2023-06-01" },
      body: JSON.stringify({ model: "selfhosted/llama", max_tokens: 16, messages: [{ role: "user", content: "hi" }] }),
    });
    expect(response.status).toBe(503);
    const body = (await response.json()) as { type: string; error: { type: string; message: string } };
    expect(body.type).toBe("error");
    expect(body.error.message).toContain("Provider 'selfhosted' (type vllm) has no base_url");
  });
});

describe("routing and health", () => {
  it("answers unknown routes with 404 in the OpenAI shape", async () => {
    const r = await post("/v1/does-not-exist", {});
    expect(r.status).toBe(404);
    expect(r.error.code).toBe("unknown_url");
    expect(r.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("answers /health and /ready", async () => {
    const health = await fetch(`${h.gatewayUrl}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok", pid: expect.any(Number) });
    const ready = await fetch(`${h.gatewayUrl}/ready`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { status: string; snapshot: { version: number; loadedAt: string } };
    expect(body.status).toBe("ready");
    expect(body.snapshot.version).toBeGreaterThanOrEqual(1);
    expect(Number.isNaN(Date.parse(body.snapshot.loadedAt))).toBe(false);
  });
});
