// Anthropic Messages clients through the gateway to OpenAI-wire providers (issue 3, PRODUCT
// S1): the real @anthropic-ai/sdk (create and the .stream() helper) against the strict
// Mistral mock — text, a two-turn tool call, thinking on with Claude Code's default effort —
// and against the strict OpenAI mock; plus bad input in Anthropic's error shape.
import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MOCK_TOOL_ARGUMENTS, REASONING_TOKENS } from "../testing/mock-scenarios";
import { startMockMistralUpstream, type MockMistralUpstream } from "../testing/mock-mistral-upstream";
import { CATALOG_MODEL, findLog, PROVIDER_NAME, startGatewayHarness, type GatewayHarness } from "./support/gateway-harness";
import { insertRoutingRule } from "./support/routing-seed";
import { insertProvider } from "./support/seed";
import { waitFor } from "./support/wait-for";

const MISTRAL_SECRET = "mistral-upstream-secret-0001";
const CLAUDE_MODEL = "claude-sonnet-4-5-20250929";
let h: GatewayHarness;
let mistral: MockMistralUpstream;
let client: Anthropic;

const WEATHER_TOOL = { name: "get_weather", description: "Weather for a city", input_schema: { type: "object" as const, properties: { city: { type: "string" } }, required: ["city"] } };

beforeAll(async () => {
  mistral = await startMockMistralUpstream({ apiKey: MISTRAL_SECRET });
  h = await startGatewayHarness({
    seed: async (db) => {
      await insertProvider(db, { name: "mistral", type: "mistral", baseUrl: mistral.url, models: ["devstral-2512"], keys: [{ name: "main", secret: MISTRAL_SECRET }] });
      // PRODUCT S1: Claude models are served by Mistral's devstral.
      await insertRoutingRule(db, { name: "claude-to-mistral", condition: 'model.startsWith("claude-")', targets: [{ provider: "mistral", model: "devstral-2512" }] });
    },
  });
  client = new Anthropic({ baseURL: `${h.gatewayUrl}/anthropic`, apiKey: h.virtualKey, maxRetries: 0 });
}, 60_000);

afterAll(async () => {
  await h?.close();
  await mistral?.close();
});

function lastMistralBody(): Record<string, unknown> {
  return mistral.requests[mistral.requests.length - 1]!.body as Record<string, unknown>;
}

describe("Anthropic Messages → Mistral (strict mock)", () => {
  it("answers text, with usage, and logs the request as anthropic_messages", async () => {
    const { data: message, response } = await client.messages.create({ model: CLAUDE_MODEL, max_tokens: 256, messages: [{ role: "user", content: "hello there" }] }).withResponse();
    expect(message.type).toBe("message");
    expect(message.id).toMatch(/^msg_/);
    expect(message.model).toBe(CLAUDE_MODEL);
    expect(message.content).toEqual([{ type: "text", text: "Echo: hello there" }]);
    expect(message.stop_reason).toBe("end_turn");
    expect(message.usage.input_tokens).toBeGreaterThan(0);
    expect(message.usage.output_tokens).toBe(3);
    expect(lastMistralBody()).toMatchObject({ model: "devstral-2512", max_tokens: 256 });
    const requestId = response.headers.get("x-request-id")!;
    const log = await waitFor(() => findLog(h.db, requestId), (row) => row !== undefined, { what: "log row" });
    expect(log).toMatchObject({ status: 200, provider: "mistral", model: "devstral-2512", client_api: "anthropic_messages", request_type: "messages" });
  });

  it("completes a two-turn tool call, mapping tool-call ids both ways", async () => {
    const first = await client.messages.create({ model: CLAUDE_MODEL, max_tokens: 256, tools: [WEATHER_TOOL], messages: [{ role: "user", content: "Please use the tool for Paris" }] });
    expect(first.stop_reason).toBe("tool_use");
    const call = first.content.find((b) => b.type === "tool_use");
    expect(call).toMatchObject({ type: "tool_use", name: "get_weather", input: MOCK_TOOL_ARGUMENTS });
    // Claude-style ids (toolu_…) are not what Mistral accepts: the gateway rewrites them.
    const clientId = "toolu_01A09q90qw90lq917835lq9";
    const second = await client.messages.create({
      model: CLAUDE_MODEL,
      max_tokens: 256,
      tools: [WEATHER_TOOL],
      messages: [
        { role: "user", content: "Please use the tool for Paris" },
        { role: "assistant", content: [{ type: "tool_use", id: clientId, name: "get_weather", input: MOCK_TOOL_ARGUMENTS }] },
        { role: "user", content: [{ type: "tool_result", tool_use_id: clientId, content: "sunny, 21°C" }] },
      ],
    });
    expect(second.content).toEqual([{ type: "text", text: "Tool result: sunny, 21°C" }]);
    const sent = lastMistralBody().messages as Array<Record<string, unknown>>;
    const upstreamId = (sent[1]!.tool_calls as Array<{ id: string }>)[0]!.id;
    expect(upstreamId).toMatch(/^[A-Za-z0-9]{9}$/);
    expect(sent[2]).toMatchObject({ role: "tool", tool_call_id: upstreamId });
  });

  it("streams thinking on with default effort (Claude Code's request), recording what changed", async () => {
    const stream = client.messages.stream({
      model: CLAUDE_MODEL,
      max_tokens: 1024,
      thinking: { type: "enabled", budget_tokens: 800 },
      // What Claude Code adds on every turn; Mistral knows neither field.
      output_config: { effort: "medium" },
      messages: [{ role: "user", content: "think about it" }],
    } as Parameters<typeof client.messages.stream>[0]);
    const events: string[] = [];
    stream.on("streamEvent", (event) => events.push(event.type));
    const final = await stream.finalMessage();
    expect(final.content[0]).toMatchObject({ type: "thinking", thinking: "Thinking about: think about it" });
    expect(final.content[1]).toEqual({ type: "text", text: "Echo: think about it" });
    expect(final.stop_reason).toBe("end_turn");
    expect(final.usage.output_tokens).toBe(4 + REASONING_TOKENS);
    expect(events[0]).toBe("message_start");
    expect(events.slice(-2)).toEqual(["message_delta", "message_stop"]);
    const body = lastMistralBody();
    expect(body.reasoning_effort).toBe("high");
    expect(body).not.toHaveProperty("stream_options");
    expect(body).not.toHaveProperty("max_completion_tokens");

    const requestId = (await stream.withResponse()).response.headers.get("x-request-id")!;
    const log = await waitFor(() => findLog(h.db, requestId), (row) => row !== undefined, { what: "log row" });
    const changes = (log as unknown as { param_transformations: Array<{ param: string; action: string; to?: unknown }> }).param_transformations;
    expect(changes).toEqual(expect.arrayContaining([
      expect.objectContaining({ param: "reasoning_effort", action: "changed", to: "high" }),
      expect.objectContaining({ param: "stream_options", action: "dropped" }),
      expect.objectContaining({ param: "max_tokens", action: "renamed" }),
    ]));
    expect(log).toMatchObject({ is_stream: true, request_type: "messages_stream", output_tokens: 4 + REASONING_TOKENS });
  });

  it("streams a tool call through the .stream() helper with its arguments intact", async () => {
    const stream = client.messages.stream({ model: CLAUDE_MODEL, max_tokens: 256, tools: [WEATHER_TOOL], messages: [{ role: "user", content: "use the tool now" }] });
    const final = await stream.finalMessage();
    expect(final.stop_reason).toBe("tool_use");
    expect(final.content.find((b) => b.type === "tool_use")).toMatchObject({ name: "get_weather", input: MOCK_TOOL_ARGUMENTS });
  });
});

describe("Anthropic Messages → OpenAI (strict mock)", () => {
  it("answers JSON and streams through the OpenAI chat wire format", async () => {
    const message = await client.messages.create({ model: `${PROVIDER_NAME}/${CATALOG_MODEL}`, max_tokens: 64, system: "be brief", messages: [{ role: "user", content: "one two" }] });
    expect(message.content[0]).toMatchObject({ type: "text" });
    expect((message.content[0] as { text: string }).text).toContain("one two");
    const sent = h.upstream.requests[h.upstream.requests.length - 1]!.body as Record<string, unknown>;
    expect(sent).toMatchObject({ model: CATALOG_MODEL, max_completion_tokens: 64, messages: [{ role: "system", content: "be brief" }, { role: "user", content: "one two" }] });

    const text = await client.messages.stream({ model: `${PROVIDER_NAME}/${CATALOG_MODEL}`, max_tokens: 64, messages: [{ role: "user", content: "three four" }] }).finalText();
    expect(text).toContain("three four");
  });
});

describe("Anthropic surface: bad input, models, count_tokens", () => {
  it("answers malformed bodies with 400 in Anthropic's error shape", async () => {
    const post = (body: string) => fetch(`${h.gatewayUrl}/anthropic/v1/messages`, { method: "POST", headers: { "x-api-key": h.virtualKey, "content-type": "application/json", "anthropic-version": "2023-06-01" }, body });
    for (const [body, fragment] of [
      ["{not json", "JSON"],
      [JSON.stringify({ model: CLAUDE_MODEL, messages: [{ role: "user", content: "x" }] }), "max_tokens"],
      [JSON.stringify({ model: CLAUDE_MODEL, max_tokens: 5, messages: [{ role: "robot", content: "x" }] }), "messages.0.role"],
      [JSON.stringify({ model: CLAUDE_MODEL, max_tokens: 5, messages: [{ role: "user", content: "x" }], bogus: 1 }), "bogus"],
    ] as const) {
      const response = await post(body);
      expect(response.status).toBe(400);
      const json = (await response.json()) as { type: string; error: { type: string; message: string } };
      expect(json.type).toBe("error");
      expect(json.error.type).toBe("invalid_request_error");
      expect(json.error.message).toContain(fragment);
    }
    const unauthorized = await fetch(`${h.gatewayUrl}/anthropic/v1/messages`, { method: "POST", headers: { "x-api-key": "sk-sy-wrong", "content-type": "application/json" }, body: "{}" });
    expect(unauthorized.status).toBe(401);
    expect(((await unauthorized.json()) as { error: { type: string } }).error.type).toBe("authentication_error");
  });

  it("names the provider and request type when the provider is restricted to other request types", async () => {
    // Every provider type has an adapter now: what a provider cannot serve is what its
    // `request_types` leaves out.
    await h.db.query(`UPDATE providers SET request_types = '{chat,chat_stream}' WHERE name = 'mistral'`);
    await h.db.query(`NOTIFY config_changed`);
    try {
      await waitFor(
        async () => (await fetch(`${h.gatewayUrl}/anthropic/v1/messages`, { method: "POST", headers: { "x-api-key": h.virtualKey, "content-type": "application/json" }, body: JSON.stringify({ model: CLAUDE_MODEL, max_tokens: 5, messages: [{ role: "user", content: "x" }] }) }).then((r) => r.json())) as { error?: { message: string } },
        (body) => body.error?.message.includes("not messages") ?? false,
        { what: "unsupported provider error" },
      ).then((body) => {
        expect(body.error!.message).toContain("'mistral'");
        expect(body.error!.message).toContain("not messages");
      });
    } finally {
      await h.db.query(`UPDATE providers SET request_types = '{}' WHERE name = 'mistral'`);
      await h.db.query(`NOTIFY config_changed`);
    }
  });

  it("lists the key's models, counts tokens and answers HEAD /anthropic", async () => {
    const models = await client.models.list();
    const ids = models.data.map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining(["mistral/devstral-2512", `${PROVIDER_NAME}/${CATALOG_MODEL}`]));
    const count = await client.messages.countTokens({ model: CLAUDE_MODEL, messages: [{ role: "user", content: "count these four words" }] });
    expect(count.input_tokens).toBeGreaterThan(0);
    const head = await fetch(`${h.gatewayUrl}/anthropic`, { method: "HEAD" });
    expect(head.status).toBe(200);
  });
});
