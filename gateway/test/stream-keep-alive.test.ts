// Keep-alive on silent streams (PRODUCT §3.5, issue 3): while the upstream is silent between
// chunks, the gateway writes `: keep-alive` SSE comments — between events only, never inside
// one — on the passthrough relay and on translated streams, and the real SDKs still read the
// whole answer. The interval is shortened for the test (default 15 s).
import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MOCK_MODELS } from "../testing/mock-openai-behaviours";
import { KEEP_ALIVE_COMMENT } from "../transport/sse-keep-alive";
import { PROVIDER_NAME, startGatewayHarness, type GatewayHarness } from "./support/gateway-harness";

let h: GatewayHarness;

beforeAll(async () => {
  // The mock's slow stream waits 100 ms between words; 30 ms of silence earns a comment.
  h = await startGatewayHarness({ gateway: { sseKeepAliveMs: 30 } });
}, 60_000);

afterAll(async () => {
  await h?.close();
});

/** Every SSE event of a raw body, comments included, split at blank lines. */
function events(raw: string): string[] {
  return raw.split("\n\n").filter((e) => e !== "");
}

describe("keep-alive comments on silent streams", () => {
  it("passthrough (OpenAI chat): comments between chunks, every data event intact", async () => {
    const response = await fetch(`${h.gatewayUrl}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${h.virtualKey}`, "content-type": "application/json" },
      body: JSON.stringify({ model: `${PROVIDER_NAME}/${MOCK_MODELS.slowStream}`, messages: [{ role: "user", content: "one two three" }], stream: true }),
    });
    const raw = await response.text();
    const all = events(raw);
    expect(all.filter((e) => `${e}\n\n` === KEEP_ALIVE_COMMENT).length).toBeGreaterThan(0);
    // Nothing else was touched: every other event is a data line the client can parse.
    for (const event of all.filter((e) => `${e}\n\n` !== KEEP_ALIVE_COMMENT)) expect(event).toMatch(/^data: /);
    const text = all.filter((e) => e.startsWith("data: {")).map((e) => (JSON.parse(e.slice(6)) as { choices: Array<{ delta: { content?: string } }> }).choices[0]?.delta.content ?? "").join("");
    expect(text).toBe("Echo: one two three");
  });

  it("translated (Anthropic client → OpenAI chat provider): comments between events, the SDK's .stream() reads the whole message", async () => {
    const client = new Anthropic({ baseURL: `${h.gatewayUrl}/anthropic`, apiKey: h.virtualKey, maxRetries: 0 });
    const stream = client.messages.stream({ model: `${PROVIDER_NAME}/${MOCK_MODELS.slowStream}`, max_tokens: 64, messages: [{ role: "user", content: "one two three" }] });
    const message = await stream.finalMessage();
    expect(message.content).toEqual([{ type: "text", text: "Echo: one two three" }]);

    const raw = await fetch(`${h.gatewayUrl}/anthropic/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": h.virtualKey, "content-type": "application/json", "anthropic-version": "2023-06-01" },
      body: JSON.stringify({ model: `${PROVIDER_NAME}/${MOCK_MODELS.slowStream}`, max_tokens: 64, stream: true, messages: [{ role: "user", content: "one two three" }] }),
    }).then((r) => r.text());
    const all = events(raw);
    expect(all.filter((e) => `${e}\n\n` === KEEP_ALIVE_COMMENT).length).toBeGreaterThan(0);
    for (const event of all.filter((e) => `${e}\n\n` !== KEEP_ALIVE_COMMENT)) expect(event).toMatch(/^event: [a-z_]+\ndata: /);
  });
});
