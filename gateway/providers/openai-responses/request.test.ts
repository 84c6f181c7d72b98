import { describe, expect, it } from "vitest";
import { decodeAnthropicRequest } from "../../ingress/anthropic-messages/anthropic-codec";
import { decodeResponsesRequest } from "../../ingress/openai-responses/decode-responses-request";
import { createTransformLog, type CanonicalRequest } from "../../formats/canonical";
import { buildResponsesBody, MIN_OUTPUT_TOKENS } from "./request";

type Json = Record<string, unknown>;

function canonical(overrides: Partial<CanonicalRequest>): CanonicalRequest {
  return { model: "client-model", system: [], messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }], tools: [], stream: false, extensions: {}, ...overrides };
}

function build(request: CanonicalRequest) {
  const transforms = createTransformLog();
  const body = buildResponsesBody(request, "gpt-5", transforms);
  return { body, changes: transforms.changes };
}

describe("buildResponsesBody", () => {
  it("builds a minimal request: model, input, store false, nothing invented", () => {
    expect(build(canonical({})).body).toEqual({ model: "gpt-5", input: [{ type: "message", role: "user", content: [{ type: "input_text", text: "hi" }] }], store: false });
  });

  it("translates an Anthropic conversation: system → instructions, tool turns → items, thinking → reasoning", () => {
    const request = decodeAnthropicRequest({
      model: "claude",
      max_tokens: 4096,
      system: [{ type: "text", text: "Be careful." }, { type: "text", text: "Be brief.", cache_control: { type: "ephemeral" } }],
      messages: [
        { role: "user", content: [{ type: "text", text: "Weather?" }, { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBO" } }] },
        {
          role: "assistant",
          content: [
            { type: "thinking", thinking: "Use the tool.", signature: "gAAAAABenc" },
            { type: "thinking", thinking: "unsigned" },
            { type: "text", text: "Checking." },
            { type: "tool_use", id: "toolu_01A", name: "get_weather", input: { city: "Paris" } },
          ],
        },
        {
          role: "user",
          content: [
            { type: "tool_result", tool_use_id: "toolu_01A", is_error: true, content: "timeout" },
            { type: "text", text: "Try again." },
          ],
        },
      ],
      tools: [{ name: "get_weather", description: "Weather", input_schema: { type: "object", properties: { city: { type: "string" } } } }],
      tool_choice: { type: "any", disable_parallel_tool_use: true },
      thinking: { type: "enabled", budget_tokens: 8000 },
      stop_sequences: ["END"],
      top_k: 5,
      stream: true,
    });
    const { body, changes } = build(request);
    expect(body).toEqual({
      model: "gpt-5",
      instructions: "Be careful.\n\nBe brief.",
      input: [
        { type: "message", role: "user", content: [{ type: "input_text", text: "Weather?" }, { type: "input_image", image_url: "data:image/png;base64,iVBO", detail: "auto" }] },
        { type: "reasoning", id: expect.stringMatching(/^rs_[0-9a-f]{48}$/), summary: [{ type: "summary_text", text: "Use the tool." }], encrypted_content: "gAAAAABenc" },
        { type: "message", role: "assistant", content: "Checking." },
        { type: "function_call", call_id: "toolu_01A", name: "get_weather", arguments: '{"city":"Paris"}' },
        { type: "function_call_output", call_id: "toolu_01A", output: "Error: timeout" },
        { type: "message", role: "user", content: [{ type: "input_text", text: "Try again." }] },
      ],
      stream: true,
      max_output_tokens: 4096,
      tools: [{ type: "function", name: "get_weather", description: "Weather", parameters: { type: "object", properties: { city: { type: "string" } } }, strict: false }],
      tool_choice: "required",
      parallel_tool_calls: false,
      reasoning: { effort: "medium", summary: "auto" },
      store: false,
      include: ["reasoning.encrypted_content"],
    });
    expect(changes.map((c) => `${c.param}:${c.action}`)).toEqual([
      "messages[1].content.thinking:dropped",
      "messages[2].content.tool_result.is_error:changed",
      "thinking:changed",
      "top_k:dropped",
      "stop:dropped",
      "cache_control:dropped",
    ]);
  });

  it("gives tool results with images an item list, and keeps invalid JSON arguments verbatim", () => {
    const { body } = build(
      canonical({
        messages: [
          { role: "user", content: [{ type: "text", text: "shoot" }] },
          { role: "assistant", content: [{ type: "tool_use", id: "c1", name: "shot", input: {}, inputJson: "{bad" }] },
          { role: "user", content: [{ type: "tool_result", toolUseId: "c1", content: [{ type: "text", text: "here" }, { type: "image", source: { kind: "url", url: "https://x/y.png" }, detail: "low" }] }] },
        ],
      }),
    );
    expect((body.input as Json[]).slice(1)).toEqual([
      { type: "function_call", call_id: "c1", name: "shot", arguments: "{bad" },
      { type: "function_call_output", call_id: "c1", output: [{ type: "input_text", text: "here" }, { type: "input_image", image_url: "https://x/y.png", detail: "low" }] },
    ]);
  });

  it("raises max tokens to the API minimum, maps formats and choices, and keeps mid-conversation system turns", () => {
    const { body, changes } = build(
      canonical({
        maxTokens: 1,
        messages: [
          { role: "user", content: [{ type: "text", text: "a" }] },
          { role: "system", content: [{ type: "text", text: "now terse" }] },
          { role: "user", content: [{ type: "text", text: "b" }], name: "bob" },
        ],
        responseFormat: { type: "json_schema", name: "out", schema: { type: "object" }, strict: true },
        tools: [{ name: "t", parameters: { type: "object" }, strict: true }],
        toolChoice: { type: "tool", name: "t" },
        temperature: 0.3,
        topP: 0.5,
        user: "u1",
        seed: 7,
      }),
    );
    expect(body).toMatchObject({
      max_output_tokens: MIN_OUTPUT_TOKENS,
      text: { format: { type: "json_schema", name: "out", schema: { type: "object" }, strict: true } },
      tools: [{ type: "function", name: "t", parameters: { type: "object" }, strict: true }],
      tool_choice: { type: "function", name: "t" },
      temperature: 0.3,
      top_p: 0.5,
      user: "u1",
    });
    expect((body.input as Json[])[1]).toEqual({ type: "message", role: "system", content: [{ type: "input_text", text: "now terse" }] });
    expect(changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ param: "max_tokens", action: "changed", from: 1, to: MIN_OUTPUT_TOKENS }),
        expect.objectContaining({ param: "messages[2].name", action: "dropped" }),
        expect.objectContaining({ param: "seed", action: "dropped" }),
      ]),
    );
  });

  it("restores a Responses client's own parameters and hosted tools, and records other families' as dropped", () => {
    const request = decodeResponsesRequest({
      model: "gpt-5",
      input: "hi",
      store: true,
      include: ["message.output_text.logprobs"],
      prompt_cache_key: "k",
      text: { verbosity: "low" },
      reasoning: { effort: "low", context: "all_turns" },
      tools: [{ type: "function", name: "f", parameters: { type: "object" } }, { type: "web_search" }],
      tool_choice: { type: "allowed_tools", mode: "auto", tools: [{ type: "function", name: "f" }] },
    });
    const { body, changes } = build(request);
    expect(body).toMatchObject({
      store: true,
      include: ["message.output_text.logprobs"],
      prompt_cache_key: "k",
      text: { verbosity: "low" },
      reasoning: { effort: "low", context: "all_turns" },
      tools: [{ type: "function", name: "f", strict: false }, { type: "web_search" }],
      tool_choice: { type: "allowed_tools", mode: "auto" },
    });
    expect(changes).toEqual([]);

    const anthropic = build(canonical({ extensions: { anthropic_messages: { service_tier: "auto" } } }));
    expect(anthropic.body).not.toHaveProperty("service_tier");
    expect(anthropic.changes).toEqual([expect.objectContaining({ param: "service_tier", action: "dropped" })]);
  });

  it("asks for encrypted reasoning only when reasoning is on and nothing is stored", () => {
    expect(build(canonical({ reasoning: { effort: "high" } })).body).toMatchObject({ reasoning: { effort: "high" }, include: ["reasoning.encrypted_content"] });
    expect(build(canonical({ reasoning: { effort: "none" } })).body).not.toHaveProperty("include");
    expect(build(canonical({ reasoning: { mode: "disabled" } })).body).not.toHaveProperty("reasoning");
    expect(build(canonical({ reasoning: { mode: "adaptive", display: "omitted" } })).body).toMatchObject({ reasoning: { effort: "medium" } });
    expect(build(canonical({ reasoning: { mode: "adaptive", display: "omitted" } })).body.reasoning).not.toHaveProperty("summary");
  });
});
