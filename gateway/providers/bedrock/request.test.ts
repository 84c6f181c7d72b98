import { describe, expect, it } from "vitest";
import { createTransformLog, type CanonicalRequest } from "../../formats/canonical";
import expectedClaudeBody from "./__fixtures__/converse-request-claude-thinking-tools.json";
import { buildConverseBody } from "./request";

const CLAUDE = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
const WEATHER = { name: "get_weather", description: "Weather for a city", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } };

function base(overrides: Partial<CanonicalRequest> = {}): CanonicalRequest {
  return { model: "claude-sonnet-4-5", system: [], messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }], tools: [], stream: false, extensions: {}, ...overrides };
}

/** What a Claude Code turn looks like after the Anthropic ingress decoded it. */
const claudeCodeTurn: CanonicalRequest = {
  model: "claude-sonnet-4-5",
  system: [{ type: "text", text: "You are a weather bot.", cacheControl: { type: "ephemeral" } }],
  messages: [
    { role: "user", content: [{ type: "text", text: "What is the weather in Paris?", cacheControl: { type: "ephemeral", ttl: "1h" } }] },
    {
      role: "assistant",
      content: [
        { type: "thinking", thinking: "The user wants the weather.", signature: "EqQBCkYIARgCIkDsig==" },
        { type: "redacted_thinking", data: "EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP" },
        { type: "text", text: "Let me check." },
        { type: "tool_use", id: "toolu_01A09q90qw90lq917835lq9", name: "get_weather", input: { city: "Paris" } },
      ],
    },
    { role: "system", content: [{ type: "text", text: "Answer in French." }] },
    { role: "user", content: [{ type: "tool_result", toolUseId: "toolu_01A09q90qw90lq917835lq9", content: [{ type: "text", text: "service down" }], isError: true }] },
    {
      role: "user",
      content: [
        { type: "text", text: "Try again, and look at this." },
        { type: "image", source: { kind: "url", url: "data:image/png;base64,iVBORw0KGgo=" } },
        { type: "text", text: "" },
      ],
    },
    { role: "user", content: [{ type: "text", text: "Be brief." }] },
  ],
  tools: [{ ...WEATHER, cacheControl: { type: "ephemeral" } }],
  toolChoice: { type: "auto" },
  maxTokens: 4096,
  temperature: 1,
  topK: 40,
  stop: ["###"],
  seed: 7,
  reasoning: { mode: "enabled", budgetTokens: 2048, effort: "medium" },
  stream: false,
  extensions: { anthropic_messages: { service_tier: "auto" } },
};

describe("buildConverseBody", () => {
  it("maps a Claude Code turn losslessly onto the recorded Converse body, recording every change", () => {
    const transforms = createTransformLog();
    const body = buildConverseBody(claudeCodeTurn, CLAUDE, transforms);
    expect(body).toEqual(expectedClaudeBody);
    expect(transforms.changes.map((c) => [c.param, c.action])).toEqual([
      ["messages[0].content[0].cache_control.ttl", "dropped"],
      ["messages[2]", "merged"],
      ["messages[4].content[2]", "dropped"],
      ["messages[4]", "merged"],
      ["messages[5]", "merged"],
      ["thinking", "renamed"],
      ["output_config.effort", "dropped"],
      ["top_k", "renamed"],
      ["seed", "dropped"],
      ["service_tier", "dropped"],
    ]);
    expect(transforms.changes.find((c) => c.param === "messages[2]")).toMatchObject({ to: "system", reason: expect.stringContaining("top level") });
    expect(transforms.changes.find((c) => c.param === "top_k")).toMatchObject({ to: "additionalModelRequestFields.top_k" });
  });

  it("keeps thinking config out of non-Claude models, and maps it to reasoningConfig for Nova", () => {
    const request = base({ reasoning: { mode: "enabled", budgetTokens: 20_000 }, topK: 5 });
    const llama = createTransformLog();
    expect(buildConverseBody(request, "meta.llama3-70b-instruct-v1:0", llama).additionalModelRequestFields).toEqual({ top_k: 5 });
    expect(llama.changes).toEqual(expect.arrayContaining([expect.objectContaining({ param: "thinking", action: "dropped" })]));

    const nova = createTransformLog();
    expect(buildConverseBody(request, "us.amazon.nova-2-lite-v1:0", nova).additionalModelRequestFields).toEqual({
      reasoningConfig: { type: "enabled", maxReasoningEffort: "high" },
      inferenceConfig: { topK: 5 },
    });
    expect(nova.changes.map((c) => c.param)).toEqual(["thinking", "top_k"]);
  });

  it("passes adaptive thinking to Claude and omits disabled thinking without a change", () => {
    const adaptive = buildConverseBody(base({ reasoning: { mode: "adaptive" } }), "anthropic.claude-opus-4-6-v1", createTransformLog());
    expect(adaptive.additionalModelRequestFields).toEqual({ thinking: { type: "adaptive" } });
    const log = createTransformLog();
    const off = buildConverseBody(base({ reasoning: { mode: "disabled" } }), CLAUDE, log);
    expect(off).not.toHaveProperty("additionalModelRequestFields");
    expect(log.changes).toEqual([]);
  });

  it("turns an OpenAI client's effort into a Claude budget below maxTokens, and drops unsigned thinking", () => {
    const transforms = createTransformLog();
    const body = buildConverseBody(
      base({
        maxTokens: 2048,
        reasoning: { effort: "high" },
        tools: [WEATHER],
        messages: [
          { role: "user", content: [{ type: "text", text: "use the tool" }] },
          // What an OpenAI chat client echoes back: reasoning text, no signature.
          { role: "assistant", content: [{ type: "thinking", thinking: "hmm" }, { type: "tool_use", id: "call_1", name: "get_weather", input: {} }] },
          { role: "user", content: [{ type: "tool_result", toolUseId: "call_1", content: [{ type: "text", text: "sunny" }] }] },
        ],
      }),
      CLAUDE,
      transforms,
    );
    expect(body.messages[1]!.content).toEqual([{ toolUse: { toolUseId: "call_1", name: "get_weather", input: {} } }]);
    // Claude would answer 400 to thinking on with an unsigned last tool turn: thinking is off for it.
    expect(body).not.toHaveProperty("additionalModelRequestFields");
    expect(body.inferenceConfig).toEqual({ maxTokens: 2048 });
    expect(transforms.changes).toEqual(expect.arrayContaining([
      expect.objectContaining({ param: "messages[1].content[0]", action: "dropped" }),
      expect.objectContaining({ param: "thinking", action: "dropped", reason: expect.stringContaining("no signed thinking") }),
    ]));

    const first = buildConverseBody(base({ maxTokens: 2048, reasoning: { effort: "high" } }), CLAUDE, createTransformLog());
    expect(first.additionalModelRequestFields).toEqual({ thinking: { type: "enabled", budget_tokens: 2047 } });
  });

  it("maps tool choice: any, a named tool, and none (tools omitted when the history has no calls)", () => {
    const withTools = (toolChoice: CanonicalRequest["toolChoice"]) => base({ tools: [WEATHER], ...(toolChoice ? { toolChoice } : {}) });
    expect(buildConverseBody(withTools({ type: "any" }), CLAUDE, createTransformLog()).toolConfig?.toolChoice).toEqual({ any: {} });
    expect(buildConverseBody(withTools({ type: "tool", name: "get_weather" }), CLAUDE, createTransformLog()).toolConfig?.toolChoice).toEqual({ tool: { name: "get_weather" } });
    const none = createTransformLog();
    expect(buildConverseBody(withTools({ type: "none" }), CLAUDE, none)).not.toHaveProperty("toolConfig");
    expect(none.changes[0]).toMatchObject({ param: "tool_choice", action: "changed", from: "none" });
    const parallel = createTransformLog();
    buildConverseBody(withTools({ type: "auto", disableParallel: true }), CLAUDE, parallel);
    expect(parallel.changes.map((c) => c.param)).toEqual(["tool_choice.disable_parallel_tool_use"]);
  });

  it("declares tools from the history when the client sent tool calls but no tools", () => {
    const transforms = createTransformLog();
    const body = buildConverseBody(
      base({
        messages: [
          { role: "user", content: [{ type: "text", text: "go" }] },
          { role: "assistant", content: [{ type: "tool_use", id: "t1", name: "Read", input: { file_path: "a" } }] },
          { role: "user", content: [{ type: "tool_result", toolUseId: "t1", content: [] }] },
        ],
      }),
      CLAUDE,
      transforms,
    );
    expect(body.toolConfig).toEqual({ tools: [{ toolSpec: { name: "Read", inputSchema: { json: { type: "object" } } } }] });
    expect(body.messages[2]!.content).toEqual([{ toolResult: { toolUseId: "t1", content: [] } }]);
    expect(transforms.changes).toEqual([expect.objectContaining({ param: "tools", action: "changed", to: ["Read"] })]);
  });

  it("drops what Converse cannot take: URL images, unknown image types, penalties, user, response format", () => {
    const transforms = createTransformLog();
    const body = buildConverseBody(
      base({
        messages: [{ role: "user", content: [{ type: "text", text: "see" }, { type: "image", source: { kind: "url", url: "https://example.com/cat.png" } }, { type: "image", source: { kind: "base64", mediaType: "image/bmp", data: "Qk0=" } }, { type: "image", source: { kind: "base64", mediaType: "image/jpg", data: "/9j/" }, detail: "high" }] }],
        presencePenalty: 0.5,
        frequencyPenalty: 0.2,
        user: "u-1",
        responseFormat: { type: "json_object" },
      }),
      "mistral.mistral-large-2407-v1:0",
      transforms,
    );
    expect(body.messages[0]!.content).toEqual([{ text: "see" }, { image: { format: "jpeg", source: { bytes: "/9j/" } } }]);
    expect(transforms.changes.map((c) => c.param)).toEqual([
      "messages[0].content[1]",
      "messages[0].content[2]",
      "messages[0].content[3].detail",
      "presence_penalty",
      "frequency_penalty",
      "user",
      "response_format",
    ]);
  });

  it("asks for the matched stop sequence only from Claude models", () => {
    expect(buildConverseBody(base({ stop: ["END"] }), "amazon.nova-pro-v1:0", createTransformLog())).not.toHaveProperty("additionalModelResponseFieldPaths");
    expect(buildConverseBody(base({ stop: ["END"] }), "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-7-sonnet-20250219-v1:0", createTransformLog()).additionalModelResponseFieldPaths).toEqual(["/stop_sequence"]);
  });
});
