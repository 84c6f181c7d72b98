import { describe, expect, it } from "vitest";
import { createTransformLog, type CanonicalRequest } from "../../formats/canonical";
import { decodeAnthropicRequest } from "../../ingress/anthropic-messages/anthropic-codec";
import { buildAnthropicBody, DEFAULT_MAX_TOKENS, MIN_THINKING_BUDGET } from "./anthropic-request";

function canonical(overrides: Partial<CanonicalRequest>): CanonicalRequest {
  return { model: "client-model", system: [], messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }], tools: [], stream: false, extensions: {}, ...overrides };
}

function build(request: CanonicalRequest) {
  const transforms = createTransformLog();
  const body = buildAnthropicBody(request, "claude-sonnet-4-5", transforms);
  return { body, changes: transforms.changes };
}

// Everything an Anthropic client may send that the gateway supports, in wire form.
const RICH_ANTHROPIC_BODY = {
  model: "claude-sonnet-4-5",
  max_tokens: 8192,
  system: [
    { type: "text", text: "You are a careful assistant." },
    { type: "text", text: "Project rules: be brief.", cache_control: { type: "ephemeral", ttl: "1h" } },
  ],
  messages: [
    {
      role: "user",
      content: [
        { type: "text", text: "What is in these pictures?" },
        { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } },
        { type: "image", source: { type: "url", url: "https://example.com/cat.jpg" }, cache_control: { type: "ephemeral" } },
      ],
    },
    {
      role: "assistant",
      content: [
        { type: "thinking", thinking: "Two images; I should look them up.", signature: "EqQBCgIYAhIMsig==" },
        { type: "redacted_thinking", data: "EmwKAhgBEgy3va3p" },
        { type: "text", text: "Let me look." },
        { type: "tool_use", id: "toolu_01A09q90qw90lq917835lq9", name: "lookup", input: { query: "cat", limit: 2 } },
      ],
    },
    {
      role: "user",
      content: [
        {
          type: "tool_result",
          tool_use_id: "toolu_01A09q90qw90lq917835lq9",
          is_error: true,
          content: [
            { type: "text", text: "quota exceeded" },
            { type: "image", source: { type: "base64", media_type: "image/jpeg", data: "/9j/4AAQ" } },
          ],
          cache_control: { type: "ephemeral" },
        },
        { type: "text", text: "Try again please." },
      ],
    },
  ],
  tools: [{ name: "lookup", description: "Search images", input_schema: { type: "object", properties: { query: { type: "string" } } }, cache_control: { type: "ephemeral" } }],
  tool_choice: { type: "auto", disable_parallel_tool_use: true },
  thinking: { type: "enabled", budget_tokens: 4096 },
  output_config: { effort: "high", format: { type: "json_schema", schema: { type: "object" } } },
  temperature: 1,
  top_p: 0.9,
  top_k: 40,
  stop_sequences: ["END"],
  metadata: { user_id: "user-42" },
  service_tier: "auto",
  stream: true,
};

describe("buildAnthropicBody: Anthropic client → Anthropic upstream is lossless", () => {
  it("rebuilds the client's body exactly (only the model changes), recording nothing", () => {
    const { body, changes } = build(decodeAnthropicRequest(structuredClone(RICH_ANTHROPIC_BODY)));
    expect(body).toEqual({ ...RICH_ANTHROPIC_BODY, model: "claude-sonnet-4-5" });
    expect(changes).toEqual([]);
  });

  it("keeps adaptive thinking with its display, disabled thinking, and a plain string system", () => {
    const adaptive = build(decodeAnthropicRequest({ model: "m", max_tokens: 100, system: "be brief", thinking: { type: "adaptive", display: "omitted" }, messages: [{ role: "user", content: "x" }] }));
    expect(adaptive.body).toMatchObject({ system: "be brief", thinking: { type: "adaptive", display: "omitted" } });
    const disabled = build(decodeAnthropicRequest({ model: "m", max_tokens: 100, thinking: { type: "disabled" }, output_config: { effort: "low" }, messages: [{ role: "user", content: "x" }] }));
    expect(disabled.body).toMatchObject({ thinking: { type: "disabled" }, output_config: { effort: "low" } });
    expect(disabled.changes).toEqual([]);
  });

  it("maps tool_choice any / tool / none", () => {
    const tools = [{ name: "t", parameters: { type: "object" } }];
    expect(build(canonical({ tools, toolChoice: { type: "any" } })).body.tool_choice).toEqual({ type: "any" });
    expect(build(canonical({ tools, toolChoice: { type: "tool", name: "t", disableParallel: true } })).body.tool_choice).toEqual({ type: "tool", name: "t", disable_parallel_tool_use: true });
    expect(build(canonical({ tools, toolChoice: { type: "none" } })).body.tool_choice).toEqual({ type: "none" });
  });
});

describe("buildAnthropicBody: what Anthropic needs that other families do not", () => {
  it("defaults max_tokens (required upstream) and records it", () => {
    const { body, changes } = build(canonical({}));
    expect(body.max_tokens).toBe(DEFAULT_MAX_TOKENS);
    expect(changes).toContainEqual(expect.objectContaining({ param: "max_tokens", action: "changed", to: DEFAULT_MAX_TOKENS }));
  });

  it("merges a mid-conversation system message into the user turn in place, and a leading one into system", () => {
    const { body, changes } = build(
      canonical({
        system: [{ type: "text", text: "top" }],
        messages: [
          { role: "system", content: [{ type: "text", text: "leading rule" }] },
          { role: "user", content: [{ type: "text", text: "first question" }] },
          { role: "assistant", content: [{ type: "text", text: "first answer" }] },
          { role: "system", content: [{ type: "text", text: "Reminder: stay on topic.", cacheControl: { type: "ephemeral" } }] },
          { role: "user", content: [{ type: "text", text: "second question" }] },
        ],
      }),
    );
    expect(body.system).toEqual([{ type: "text", text: "top" }, { type: "text", text: "leading rule" }]);
    expect(body.messages).toEqual([
      { role: "user", content: [{ type: "text", text: "first question" }] },
      { role: "assistant", content: [{ type: "text", text: "first answer" }] },
      { role: "user", content: [{ type: "text", text: "Reminder: stay on topic.", cache_control: { type: "ephemeral" } }, { type: "text", text: "second question" }] },
    ]);
    expect(changes).toEqual(expect.arrayContaining([
      expect.objectContaining({ param: "messages[0]", action: "merged", to: "system" }),
      expect.objectContaining({ param: "messages[3]", action: "merged", to: "user turn" }),
    ]));
  });

  it("merges adjacent turns of one role, tool results first in the user turn", () => {
    const { body } = build(
      canonical({
        messages: [
          { role: "user", content: [{ type: "text", text: "weather?" }] },
          { role: "assistant", content: [{ type: "tool_use", id: "call_1", name: "w", input: { city: "Paris" } }] },
          { role: "user", content: [{ type: "text", text: "also, hurry" }] },
          { role: "user", content: [{ type: "tool_result", toolUseId: "call_1", content: [{ type: "text", text: "sunny" }] }] },
        ],
      }),
    );
    expect(body.messages).toEqual([
      { role: "user", content: [{ type: "text", text: "weather?" }] },
      { role: "assistant", content: [{ type: "tool_use", id: "call_1", name: "w", input: { city: "Paris" } }] },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "call_1", content: [{ type: "text", text: "sunny" }] }, { type: "text", text: "also, hurry" }] },
    ]);
  });

  it("drops unsigned reasoning (another provider's) and turns left empty, recording both", () => {
    const { body, changes } = build(
      canonical({
        messages: [
          { role: "user", content: [{ type: "text", text: "q" }] },
          { role: "assistant", content: [{ type: "thinking", thinking: "deepseek reasoning" }] },
          { role: "user", content: [{ type: "text", text: "again" }] },
        ],
      }),
    );
    expect(body.messages).toEqual([{ role: "user", content: [{ type: "text", text: "q" }, { type: "text", text: "again" }] }]);
    expect(changes).toEqual(expect.arrayContaining([
      expect.objectContaining({ param: "messages[1].content[0]", action: "dropped" }),
      expect.objectContaining({ param: "messages[1]", action: "dropped" }),
    ]));
  });

  it("replays invalid tool arguments as an empty object, recording the change", () => {
    const { body, changes } = build(
      canonical({
        messages: [
          { role: "user", content: [{ type: "text", text: "q" }] },
          { role: "assistant", content: [{ type: "tool_use", id: "c", name: "t", input: {}, inputJson: '{"city": "Par' }] },
          { role: "user", content: [{ type: "tool_result", toolUseId: "c", content: [] }] },
        ],
      }),
    );
    expect((body.messages as Array<{ content: unknown[] }>)[1]!.content[0]).toEqual({ type: "tool_use", id: "c", name: "t", input: {} });
    expect((body.messages as Array<{ content: unknown[] }>)[2]!.content[0]).toEqual({ type: "tool_result", tool_use_id: "c" });
    expect(changes).toContainEqual(expect.objectContaining({ param: "messages[1].content[0].input", action: "changed", from: '{"city": "Par' }));
  });

  it("raises a thinking budget under 1024 and keeps it below max_tokens", () => {
    const low = build(canonical({ maxTokens: 4000, reasoning: { mode: "enabled", budgetTokens: 800 } }));
    expect(low.body).toMatchObject({ max_tokens: 4000, thinking: { type: "enabled", budget_tokens: MIN_THINKING_BUDGET } });
    expect(low.changes).toContainEqual(expect.objectContaining({ param: "thinking.budget_tokens", action: "changed", from: 800, to: 1024 }));

    const over = build(canonical({ maxTokens: 2000, reasoning: { mode: "enabled", budgetTokens: 5000 } }));
    expect(over.body).toMatchObject({ max_tokens: 2000, thinking: { budget_tokens: 1999 } });

    const tiny = build(canonical({ maxTokens: 256, reasoning: { mode: "enabled", budgetTokens: 2048 } }));
    expect(tiny.body).toMatchObject({ max_tokens: 2048 + 256, thinking: { budget_tokens: 2048 } });
    expect(tiny.changes).toContainEqual(expect.objectContaining({ param: "max_tokens", action: "changed", from: 256, to: 2304 }));
  });

  it("records OpenAI-only parameters and other families' extensions as dropped", () => {
    const { body, changes } = build(
      canonical({ seed: 7, presencePenalty: 0.5, frequencyPenalty: 0.2, responseFormat: { type: "json_object" }, extensions: { openai_chat: { n: 2, logprobs: true } } }),
    );
    for (const field of ["seed", "presence_penalty", "frequency_penalty", "n", "logprobs", "response_format", "output_config"]) expect(body).not.toHaveProperty(field);
    expect(changes.map((c) => `${c.param}:${c.action}`)).toEqual(expect.arrayContaining(["seed:dropped", "presence_penalty:dropped", "frequency_penalty:dropped", "n:dropped", "logprobs:dropped", "response_format:dropped"]));
  });

  it("sends a json_schema response format as output_config.format", () => {
    const { body, changes } = build(canonical({ responseFormat: { type: "json_schema", name: "weather", schema: { type: "object", properties: { t: { type: "number" } } }, strict: true } }));
    expect(body.output_config).toEqual({ format: { type: "json_schema", schema: { type: "object", properties: { t: { type: "number" } } } } });
    expect(changes).toContainEqual(expect.objectContaining({ param: "response_format", action: "renamed", to: "output_config.format" }));
  });

  it("maps efforts Anthropic does not know and drops image detail, message names and tool strictness is kept", () => {
    const { body, changes } = build(
      canonical({
        reasoning: { effort: "minimal" },
        tools: [{ name: "t", parameters: { type: "object" }, strict: true }],
        messages: [{ role: "user", name: "alice", content: [{ type: "image", source: { kind: "url", url: "https://x/y.png" }, detail: "high" }] }],
      }),
    );
    expect(body.output_config).toEqual({ effort: "low" });
    expect(body.tools).toEqual([{ name: "t", input_schema: { type: "object" }, strict: true }]);
    expect(body.messages).toEqual([{ role: "user", content: [{ type: "image", source: { type: "url", url: "https://x/y.png" } }] }]);
    expect(changes.map((c) => c.param)).toEqual(expect.arrayContaining(["output_config.effort", "messages[0].name", "messages[0].content[0].detail"]));
    expect(build(canonical({ reasoning: { effort: "none" } })).body).not.toHaveProperty("output_config");
  });

  it("drops tool_choice without tools (Anthropic rejects it)", () => {
    const { body, changes } = build(canonical({ toolChoice: { type: "auto" } }));
    expect(body).not.toHaveProperty("tool_choice");
    expect(changes).toContainEqual(expect.objectContaining({ param: "tool_choice", action: "dropped" }));
  });
});
