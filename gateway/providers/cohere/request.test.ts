import { describe, expect, it } from "vitest";
import type { ProviderConfig } from "../../config/snapshot";
import { createTransformLog, type CanonicalRequest } from "../../formats/canonical";
import expectedBody from "./__fixtures__/chat-request-reasoning-tools.json";
import { cohereAdapter, cohereChatUrl } from "./adapter";
import { buildCohereChatBody } from "./request";

const REASONING_MODEL = "command-a-reasoning-08-2025";
const WEATHER = { name: "get_weather", description: "Weather for a city", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } };

function base(overrides: Partial<CanonicalRequest> = {}): CanonicalRequest {
  return { model: "m", system: [], messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }], tools: [], stream: false, extensions: {}, ...overrides };
}

const claudeStyleTurn: CanonicalRequest = {
  model: "claude-sonnet-4-5",
  system: [{ type: "text", text: "You are a weather bot." }, { type: "text", text: "Be brief.", cacheControl: { type: "ephemeral" } }],
  messages: [
    { role: "user", content: [{ type: "text", text: "What is the weather in Paris?" }] },
    {
      role: "assistant",
      content: [
        { type: "thinking", thinking: "The user wants the weather.", signature: "EqQBCkYIARgCIkDsig==" },
        { type: "redacted_thinking", data: "EmwKAhgBEgy3va3pzix" },
        { type: "text", text: "I will check the weather." },
        { type: "tool_use", id: "toolu_01A09q90qw90lq917835lq9", name: "get_weather", input: { city: "Paris" } },
      ],
    },
    { role: "user", content: [{ type: "tool_result", toolUseId: "toolu_01A09q90qw90lq917835lq9", content: [{ type: "text", text: "service down" }], isError: true }] },
    { role: "user", content: [{ type: "text", text: "Look at this." }, { type: "image", source: { kind: "base64", mediaType: "image/png", data: "iVBORw0KGgo=" } }] },
    { role: "system", content: [{ type: "text", text: "Answer in French." }] },
  ],
  tools: [WEATHER],
  toolChoice: { type: "tool", name: "get_weather" },
  maxTokens: 4096,
  temperature: 0.7,
  topP: 1,
  topK: 40,
  stop: ["###"],
  seed: 7,
  reasoning: { mode: "enabled", budgetTokens: 2048, effort: "high" },
  user: "u-1",
  stream: true,
  extensions: { anthropic_messages: { service_tier: "auto" } },
};

describe("buildCohereChatBody", () => {
  it("maps a Claude-style tool turn with thinking onto the recorded v2 chat body, recording every change", () => {
    const transforms = createTransformLog();
    expect(buildCohereChatBody(claudeStyleTurn, REASONING_MODEL, transforms)).toEqual(expectedBody);
    expect(transforms.changes.map((c) => [c.param, c.action])).toEqual([
      ["messages[1].content[0].signature", "dropped"],
      ["messages[1].content[1]", "dropped"],
      ["messages[2].content[0].is_error", "changed"],
      ["top_p", "changed"],
      ["tool_choice", "changed"],
      ["output_config.effort", "dropped"],
      ["thinking.budget_tokens", "renamed"],
      ["user", "dropped"],
      ["cache_control", "dropped"],
      ["service_tier", "dropped"],
    ]);
    expect(transforms.changes.find((c) => c.param === "top_p")).toMatchObject({ from: 1, to: 0.99 });
  });

  it("sends thinking only to reasoning models, and disabled thinking as such", () => {
    const log = createTransformLog();
    expect(buildCohereChatBody(base({ reasoning: { mode: "enabled", budgetTokens: 1000 } }), "command-a-03-2025", log)).not.toHaveProperty("thinking");
    expect(log.changes).toEqual([expect.objectContaining({ param: "thinking", action: "dropped" })]);
    expect(buildCohereChatBody(base({ reasoning: { mode: "disabled" } }), REASONING_MODEL, createTransformLog()).thinking).toEqual({ type: "disabled" });
    expect(buildCohereChatBody(base({ reasoning: { mode: "adaptive" } }), REASONING_MODEL, createTransformLog()).thinking).toEqual({ type: "enabled" });
    expect(buildCohereChatBody(base({ reasoning: { effort: "none" } }), REASONING_MODEL, createTransformLog()).thinking).toEqual({ type: "disabled" });
  });

  it("maps tool choice, strict tools, response formats and the text of an assistant turn without tools", () => {
    expect(buildCohereChatBody(base({ tools: [WEATHER], toolChoice: { type: "any" } }), "m", createTransformLog()).tool_choice).toBe("REQUIRED");
    expect(buildCohereChatBody(base({ tools: [WEATHER], toolChoice: { type: "none" } }), "m", createTransformLog()).tool_choice).toBe("NONE");
    expect(buildCohereChatBody(base({ tools: [WEATHER], toolChoice: { type: "auto" } }), "m", createTransformLog())).not.toHaveProperty("tool_choice");
    expect(buildCohereChatBody(base({ tools: [{ ...WEATHER, strict: true }] }), "m", createTransformLog()).strict_tools).toBe(true);
    expect(buildCohereChatBody(base({ responseFormat: { type: "json_schema", name: "w", schema: { type: "object" } } }), "m", createTransformLog()).response_format).toEqual({ type: "json_object", json_schema: { type: "object" } });
    const body = buildCohereChatBody(base({ messages: [{ role: "user", content: [{ type: "text", text: "a" }] }, { role: "assistant", content: [{ type: "text", text: "b" }] }] }), "m", createTransformLog());
    expect(body.messages[1]).toEqual({ role: "assistant", content: [{ type: "text", text: "b" }] });
  });
});

describe("cohereAdapter.buildRequest", () => {
  it("posts to {base}/v2/chat with the key as a bearer token", () => {
    const provider = { baseUrl: null, headers: { "x-client-name": "switchyard" } } as unknown as ProviderConfig;
    const built = cohereAdapter.buildRequest(base({ stream: true }), { provider, key: { id: "k", name: "main", secret: "co-key", weight: 1, models: [] }, model: "command-a-03-2025", now: new Date(0) }, createTransformLog());
    expect(built.url.href).toBe("https://api.cohere.com/v2/chat");
    expect(built.headers).toMatchObject({ authorization: "Bearer co-key", "content-type": "application/json", accept: "text/event-stream", "x-client-name": "switchyard" });
    expect(JSON.parse(built.body!)).toEqual({ model: "command-a-03-2025", messages: [{ role: "user", content: "hi" }], stream: true });
    expect(cohereChatUrl("http://127.0.0.1:9/v2/").href).toBe("http://127.0.0.1:9/v2/chat");
    expect(cohereChatUrl("https://proxy.example/cohere").href).toBe("https://proxy.example/cohere/v2/chat");
  });
});
