// close() drains: it stops accepting, lets an in-flight stream finish, and writes its log.
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MOCK_MODELS } from "../testing/mock-openai-behaviours";
import { PROVIDER_NAME, findLog, startGatewayHarness, type GatewayHarness } from "./support/gateway-harness";

let h: GatewayHarness;

beforeAll(async () => {
  // A long flush interval proves close() flushes instead of relying on the timer.
  h = await startGatewayHarness({ gateway: { logFlushIntervalMs: 60_000 } });
});

afterAll(async () => {
  await h?.close();
});

describe("graceful shutdown", () => {
  it("finishes the in-flight stream, refuses new connections, and flushes logs", async () => {
    const client = new OpenAI({ baseURL: `${h.gatewayUrl}/v1`, apiKey: h.virtualKey, maxRetries: 0 });
    const { data: stream, response } = await client.chat.completions
      .create({ model: `${PROVIDER_NAME}/${MOCK_MODELS.slowStream}`, messages: [{ role: "user", content: "one two three four" }], stream: true })
      .withResponse();
    const requestId = response.headers.get("x-request-id") ?? "";

    const reading = (async () => {
      let content = "";
      for await (const chunk of stream) content += chunk.choices[0]?.delta.content ?? "";
      return content;
    })();
    const closing = h.gateway.close();

    await expect(fetch(`${h.gatewayUrl}/health`)).rejects.toThrow();
    expect(await reading).toBe("Echo: one two three four");
    await closing;

    const log = await findLog(h.db, requestId);
    expect(log).toMatchObject({ status: 200, is_stream: true });
  });
});
