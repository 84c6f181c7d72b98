// A client that disconnects mid-stream: the gateway cancels the upstream request,
// keeps running, and logs the request as closed by the client (499).
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MOCK_MODELS } from "../testing/mock-openai-behaviours";
import { PROVIDER_NAME, findLog, startGatewayHarness, type GatewayHarness } from "./support/gateway-harness";
import { waitFor } from "./support/wait-for";

let h: GatewayHarness;

beforeAll(async () => {
  h = await startGatewayHarness();
});

afterAll(async () => {
  await h?.close();
});

describe("client abort during a stream", () => {
  it("aborts the upstream request and logs status 499", async () => {
    const client = new OpenAI({ baseURL: `${h.gatewayUrl}/v1`, apiKey: h.virtualKey, maxRetries: 0 });
    const controller = new AbortController();
    const upstreamCountBefore = h.upstream.requests.length;
    // The slow model sends one word every 100 ms; the message is long enough to take seconds.
    const words = Array.from({ length: 40 }, (_, i) => `w${i}`).join(" ");
    const { data: stream, response } = await client.chat.completions
      .create({ model: `${PROVIDER_NAME}/${MOCK_MODELS.slowStream}`, messages: [{ role: "user", content: words }], stream: true }, { signal: controller.signal })
      .withResponse();
    const requestId = response.headers.get("x-request-id") ?? "";

    let received = "";
    // The SDK ends iteration quietly when its own signal aborts the stream.
    for await (const chunk of stream) {
      received += chunk.choices[0]?.delta.content ?? "";
      if (received.includes("w1")) controller.abort();
    }
    expect(received).toContain("w1");
    expect(received).not.toContain("w39");

    const upstreamRequest = h.upstream.requests[upstreamCountBefore];
    expect(upstreamRequest).toBeDefined();
    await waitFor(async () => upstreamRequest!.closedEarly, (closed) => closed, { what: "upstream request to be cancelled" });

    const log = await waitFor(() => findLog(h.db, requestId), (row) => row !== undefined, { what: "aborted request log row" });
    expect(log).toMatchObject({ status: 499, provider: PROVIDER_NAME, is_stream: true, error_type: "client_closed_request" });
    // Time to first token is known even though the stream never completed.
    expect(log?.ttft_ms).not.toBeNull();
    expect(log!.ttft_ms!).toBeLessThanOrEqual(log!.latency_ms);

    // The gateway is still healthy and serves the next request.
    const next = await client.chat.completions.create({ model: `${PROVIDER_NAME}/${MOCK_MODELS.slowStream}`, messages: [{ role: "user", content: "after" }] });
    expect(next.choices[0]?.message.content).toBe("Echo: after");
  });
});
