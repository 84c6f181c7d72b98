// A webhook receiver for the alert tests: a real HTTP server on an ephemeral port that
// checks every delivery's signature with the same helper receivers are told to use, and
// answers with scripted statuses (e.g. 500, 500, then 200) to exercise retries.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { AlertWebhookPayload } from "../../lib/alerts/payload";
import { verifyAlertSignature, type VerifyAlertResult } from "../../lib/alerts/signature";

export interface ReceivedDelivery {
  headers: http.IncomingHttpHeaders;
  body: string;
  payload: AlertWebhookPayload;
  verification: VerifyAlertResult;
  status: number;
}

export interface TestWebhookServer {
  url: string;
  received: ReceivedDelivery[];
  /** Statuses for the next requests, in order; 200 once they run out. */
  respondWith(statuses: number[]): void;
  close(): Promise<void>;
}

export async function startTestWebhookServer(secret: string): Promise<TestWebhookServer> {
  const received: ReceivedDelivery[] = [];
  let script: number[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const status = script.shift() ?? 200;
      received.push({
        headers: req.headers,
        body,
        payload: JSON.parse(body) as AlertWebhookPayload,
        verification: verifyAlertSignature(secret, req.headers, body, 300),
        status,
      });
      res.writeHead(status, { "content-type": "text/plain" }).end(status === 200 ? "ok" : "nope");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/switchyard`,
    received,
    respondWith(statuses) {
      script = [...statuses];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A URL nothing listens on: a port the OS just handed out and that was closed again. */
export async function unreachableUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/hooks`;
}

/** Polls until `check` passes or `timeoutMs` runs out (then throws its last error). */
export async function waitFor<T>(check: () => T | Promise<T>, timeoutMs = 10_000, intervalMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
