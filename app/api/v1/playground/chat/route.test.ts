// POST /api/v1/playground/chat against a stand-in gateway (a local HTTP server speaking the
// gateway's wire format, trailers included): the relay must stream, pass the x-switchyard-*
// headers, append the cost trailer as an event, forward the pasted key, and refuse politely.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { POST } from "./route";

let session: { user: { id: string; email: string; name: string | null; role: string } } | null = null;
vi.mock("next-auth", async (original) => ({ ...(await original<object>()), getServerSession: async () => session }));

const saved = { gatewayUrl: process.env.GATEWAY_URL };
let gateway: http.Server;
const seen: { authorization?: string; body: string }[] = [];
let release: (() => void) | null = null;

beforeAll(async () => {
  gateway = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      seen.push({ authorization: req.headers.authorization, body });
      const parsed = JSON.parse(body) as { model: string; stream?: boolean };
      if (req.headers.authorization !== "Bearer sk-sy-good") {
        res.writeHead(401, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { type: "invalid_api_key", message: "Unknown virtual key" } }));
        return;
      }
      if (!parsed.stream) {
        res.writeHead(200, { "content-type": "application/json", "x-switchyard-provider": "mock", "x-switchyard-cost-usd": "0.5", "set-cookie": "leak=1" });
        res.end(JSON.stringify({ choices: [{ message: { role: "assistant", content: "hi" } }] }));
        return;
      }
      res.writeHead(200, { "content-type": "text/event-stream", "x-switchyard-provider": "mock", "x-switchyard-model": parsed.model, "x-switchyard-attempts": "2", trailer: "x-switchyard-cost-usd" });
      res.write(`data: ${JSON.stringify({ choices: [{ delta: { content: "first" } }] })}\n\n`);
      // The rest waits until the test has read the first event: proof the relay streams.
      release = () => {
        res.write(`data: ${JSON.stringify({ choices: [{ delta: { content: " second" } }] })}\n\ndata: [DONE]\n\n`);
        res.addTrailers({ "x-switchyard-cost-usd": "0.000123" });
        res.end();
      };
    });
  });
  await new Promise<void>((resolve) => gateway.listen(0, "127.0.0.1", resolve));
  process.env.GATEWAY_URL = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
  session = { user: { id: "u1", email: "dev@example.com", name: null, role: "member" } };
});

afterAll(async () => {
  if (saved.gatewayUrl === undefined) delete process.env.GATEWAY_URL;
  else process.env.GATEWAY_URL = saved.gatewayUrl;
  await new Promise((resolve) => gateway.close(resolve));
});

function chat(body: unknown, key: string | null = "sk-sy-good"): Promise<Response> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (key !== null) headers["x-switchyard-virtual-key"] = key;
  return POST(new Request("http://localhost/api/v1/playground/chat", { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) }));
}

async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, needle: string, deadlineMs = 5000): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  const deadline = Date.now() + deadlineMs;
  while (!text.includes(needle)) {
    if (Date.now() > deadline) throw new Error(`no ${needle} within ${deadlineMs} ms; got ${text}`);
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  return text;
}

describe("POST /api/v1/playground/chat", () => {
  it("streams the answer as it arrives, with the gateway's headers and the cost trailer as a last event", async () => {
    const response = await chat({ model: "mock/gpt", stream: true, messages: [{ role: "user", content: "hello" }] });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    expect(response.headers.get("x-switchyard-provider")).toBe("mock");
    expect(response.headers.get("x-switchyard-model")).toBe("mock/gpt");
    expect(response.headers.get("x-switchyard-attempts")).toBe("2");
    const reader = response.body!.getReader();
    const first = await readUntil(reader, "first");
    expect(first).not.toContain("second");
    release!();
    const rest = await readUntil(reader, "switchyard-trailers");
    expect(rest).toContain(" second");
    expect(rest).toContain('event: switchyard-trailers\ndata: {"x-switchyard-cost-usd":"0.000123"}');
    expect(seen.at(-1)!.authorization).toBe("Bearer sk-sy-good");
    expect(JSON.parse(seen.at(-1)!.body)).toMatchObject({ model: "mock/gpt", messages: [{ content: "hello" }] });
  });

  it("passes JSON answers and gateway errors through, without cookies", async () => {
    const ok = await chat({ model: "mock/gpt", messages: [] });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("x-switchyard-cost-usd")).toBe("0.5");
    expect(ok.headers.get("set-cookie")).toBeNull();
    expect(await ok.json()).toMatchObject({ choices: [{ message: { content: "hi" } }] });
    const refused = await chat({ model: "mock/gpt", messages: [] }, "sk-sy-wrong");
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: { message: "Unknown virtual key" } });
  });

  it("answers 400 for a missing key or a body that is no JSON object, before calling the gateway", async () => {
    const before = seen.length;
    for (const [body, key, path] of [[{ model: "m" }, null, "key"], [{ model: "m" }, "has space", "key"], ["{not json", "sk-sy-good", "(root)"], [[1, 2], "sk-sy-good", "(root)"]] as const) {
      const response = await chat(body, key);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { issues: { path: string }[] } }).error.issues[0]!.path).toBe(path);
    }
    expect(seen.length).toBe(before);
  });

  it("answers 502 when the gateway is down, and 401 / 403 without the right session", async () => {
    const url = process.env.GATEWAY_URL;
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    process.env.GATEWAY_URL = `http://127.0.0.1:${port}`;
    try {
      const down = await chat({ model: "m", messages: [] });
      expect(down.status).toBe(502);
      expect(await down.json()).toMatchObject({ error: { code: "gateway_unreachable" } });
    } finally {
      process.env.GATEWAY_URL = url;
    }
    const saved = session;
    try {
      session = null;
      expect((await chat({ model: "m" })).status).toBe(401);
      session = { user: { id: "v1", email: "viewer@example.com", name: null, role: "viewer" } };
      expect((await chat({ model: "m" })).status).toBe(403);
    } finally {
      session = saved;
    }
  });
});
