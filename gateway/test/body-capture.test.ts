// Optional body capture through the real handlers (issue 6 §1): off unless asked for, on per
// request header, per key setting and per provider; stored redacted and capped in
// request_log_bodies, apart from the list columns; on both the OpenAI chat and the Anthropic
// Messages routes, streams included.
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CATALOG_MODEL, findLog, startGatewayHarness, type GatewayHarness } from "./support/gateway-harness";
import { notifyAndWaitForReload } from "./support/config-reload";
import { waitFor } from "./support/wait-for";

const MAX_BYTES = 4096;
const LEAKED_PROVIDER_KEY = "sk-proj-abcdefghijklmnopqrstuvwx";

let h: GatewayHarness;
let client: OpenAI;

beforeAll(async () => {
  h = await startGatewayHarness({
    gateway: { bodyCapture: { maxBytes: MAX_BYTES, extraPatterns: [/acct-\d{6}/g], defaultOn: false } },
  });
  client = new OpenAI({ baseURL: `${h.gatewayUrl}/v1`, apiKey: h.virtualKey, maxRetries: 0 });
});

afterAll(async () => {
  await h?.close();
});

interface BodyRow {
  request_body: string | null;
  response_body: string | null;
  truncated: boolean;
}

async function bodiesOf(requestId: string): Promise<BodyRow | undefined> {
  // The log row and its bodies are written in one batch: wait for the row, then read the bodies.
  await waitFor(() => findLog(h.db, requestId), (row) => row !== undefined, { what: `request_logs row ${requestId}` });
  const result = await h.db.query<BodyRow>(`SELECT request_body, response_body, truncated FROM request_log_bodies WHERE log_id = $1`, [requestId]);
  return result.rows[0];
}

async function chat(content: string, headers: Record<string, string> = {}): Promise<string> {
  const { response } = await client.chat.completions.create({ model: CATALOG_MODEL, messages: [{ role: "user", content }] }, { headers }).withResponse();
  return response.headers.get("x-request-id") ?? "";
}

describe("body capture", () => {
  it("stores nothing by default", async () => {
    const requestId = await chat("no capture please");
    expect(await bodiesOf(requestId)).toBeUndefined();
  });

  it("stores redacted request and response bodies when the request header asks", async () => {
    const requestId = await chat(`my key is ${LEAKED_PROVIDER_KEY} and my account acct-123456`, { "x-switchyard-capture-bodies": "true" });
    const row = await bodiesOf(requestId);
    expect(row).toBeDefined();
    expect(row!.request_body).toContain("[REDACTED]");
    expect(row!.request_body).not.toContain(LEAKED_PROVIDER_KEY);
    expect(row!.request_body).not.toContain("acct-123456");
    expect(row!.request_body).toContain("my key is");
    // The mock echoes the prompt: the response is redacted too.
    expect(JSON.parse(row!.response_body!).object).toBe("chat.completion");
    expect(row!.response_body).not.toContain(LEAKED_PROVIDER_KEY);
    expect(row!.truncated).toBe(false);
    // The list columns never hold the secret either.
    const log = await findLog(h.db, requestId);
    expect(JSON.stringify(log)).not.toContain(LEAKED_PROVIDER_KEY);
  });

  it("captures a stream as the SSE the client received", async () => {
    const stream = await client.chat.completions.create({ model: CATALOG_MODEL, messages: [{ role: "user", content: "stream me" }], stream: true }, { headers: { "x-switchyard-capture-bodies": "true" } }).withResponse();
    for await (const _chunk of stream.data) {
      // drain
    }
    const row = await bodiesOf(stream.response.headers.get("x-request-id") ?? "");
    expect(row?.response_body).toContain("data: ");
    expect(row?.response_body).toContain("[DONE]");
  });

  it("caps each body and marks the row truncated", async () => {
    const requestId = await chat("x".repeat(MAX_BYTES * 3), { "x-switchyard-capture-bodies": "true" });
    const row = await bodiesOf(requestId);
    expect(row!.truncated).toBe(true);
    expect(Buffer.byteLength(row!.request_body!)).toBeLessThanOrEqual(MAX_BYTES + 64);
  });

  it("follows the key setting, and the header still wins over it", async () => {
    await h.db.query(`UPDATE virtual_keys SET settings = jsonb_set(settings, '{capture_bodies}', 'true') WHERE id = $1`, [h.virtualKeyId]);
    await notifyAndWaitForReload(h.db, h.gatewayUrl);
    const onByKey = await chat("captured by the key setting");
    expect((await bodiesOf(onByKey))?.request_body).toContain("captured by the key setting");
    const offByHeader = await chat("header says no", { "x-switchyard-capture-bodies": "false" });
    expect(await bodiesOf(offByHeader)).toBeUndefined();
    await h.db.query(`UPDATE virtual_keys SET settings = settings - 'capture_bodies' WHERE id = $1`, [h.virtualKeyId]);
    await notifyAndWaitForReload(h.db, h.gatewayUrl);
  });

  it("captures on the Anthropic Messages route (translated handler)", async () => {
    const response = await fetch(`${h.gatewayUrl}/anthropic/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": h.virtualKey, "anthropic-version": "2023-06-01", "x-switchyard-capture-bodies": "true" },
      body: JSON.stringify({ model: CATALOG_MODEL, max_tokens: 64, messages: [{ role: "user", content: "hello from anthropic" }] }),
    });
    expect(response.status).toBe(200);
    const row = await bodiesOf(response.headers.get("x-request-id") ?? "");
    expect(JSON.parse(row!.request_body!).messages[0].content).toBe("hello from anthropic");
    expect(JSON.parse(row!.response_body!).type).toBe("message");
  });
});
