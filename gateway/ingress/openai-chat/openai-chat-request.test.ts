import { describe, expect, it } from "vitest";
import type { CanonicalRequest } from "../../formats/canonical";
import { openaiChatCodec } from "./openai-chat-codec";
import { includeUsageRequested } from "./openai-chat-request";

const decode = (body: Record<string, unknown>): CanonicalRequest => openaiChatCodec.decodeRequest(body, {});

describe("openai chat decoding: parameters", () => {
  it("maps every canonical parameter", () => {
    const request = decode({
      model: " claude-sonnet-4 ",
      messages: [{ role: "user", content: "hi" }],
      max_completion_tokens: 512,
      temperature: 0.3,
      top_p: 0.9,
      stop: ["END", "STOP"],
      seed: 7,
      presence_penalty: 0.5,
      frequency_penalty: -0.5,
      reasoning_effort: "high",
      response_format: { type: "json_schema", json_schema: { name: "answer", description: "the answer", schema: { type: "object" }, strict: true } },
      stream: true,
      stream_options: { include_usage: true },
      user: "user-42",
      n: 1,
    });
    expect(request).toEqual({
      model: "claude-sonnet-4",
      system: [],
      messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
      tools: [],
      maxTokens: 512,
      temperature: 0.3,
      topP: 0.9,
      stop: ["END", "STOP"],
      seed: 7,
      presencePenalty: 0.5,
      frequencyPenalty: -0.5,
      reasoning: { effort: "high" },
      responseFormat: { type: "json_schema", name: "answer", description: "the answer", schema: { type: "object" }, strict: true },
      stream: true,
      user: "user-42",
      streamUsage: true,
      extensions: {},
    });
    expect(includeUsageRequested(request)).toBe(true);
  });

  it("takes max_tokens, a single stop string, json_object and text formats", () => {
    const request = decode({ model: "m", messages: [{ role: "user", content: "x" }], max_tokens: 100, stop: "\n\n", response_format: { type: "json_object" } });
    expect(request.maxTokens).toBe(100);
    expect(request.stop).toEqual(["\n\n"]);
    expect(request.responseFormat).toEqual({ type: "json_object" });
    expect(decode({ model: "m", messages: [{ role: "user", content: "x" }], response_format: { type: "text" } }).responseFormat).toEqual({ type: "text" });
    // Equal limits in both fields are one limit.
    expect(decode({ model: "m", messages: [{ role: "user", content: "x" }], max_tokens: 9, max_completion_tokens: 9 }).maxTokens).toBe(9);
  });

  it("treats null as not sent, as OpenAI does", () => {
    const request = decode({ model: "m", messages: [{ role: "user", content: "x" }], temperature: null, stop: null, tools: null, tool_choice: null, n: null, seed: null, logprobs: null, stream: null, stream_options: null, reasoning_effort: null });
    expect(request).toEqual({ model: "m", system: [], messages: [{ role: "user", content: [{ type: "text", text: "x" }] }], tools: [], stream: false, extensions: {} });
    expect(includeUsageRequested(request)).toBe(false);
  });

  it("keeps OpenAI-only parameters in extensions so adapters can record them as dropped", () => {
    const extras = {
      logprobs: true,
      top_logprobs: 3,
      logit_bias: { "50256": -100 },
      metadata: { run: "a" },
      store: false,
      service_tier: "flex",
      prediction: { type: "content", content: "x" },
      modalities: ["text"],
      audio: { voice: "alloy", format: "mp3" },
      web_search_options: { search_context_size: "low" },
      verbosity: "low",
      prompt_cache_key: "k",
      prompt_cache_retention: "24h",
      safety_identifier: "sid",
    };
    expect(decode({ model: "m", messages: [{ role: "user", content: "x" }], ...extras }).extensions).toEqual({ openai_chat: extras });
  });

  it("maps tools, strict and every tool_choice", () => {
    const tools = [
      { type: "function", function: { name: "get_weather", description: "Weather", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] }, strict: true } },
      { type: "function", function: { name: "now" } },
    ];
    const base = { model: "m", messages: [{ role: "user", content: "x" }], tools };
    const request = decode({ ...base, tool_choice: "auto" });
    expect(request.tools).toEqual([
      { name: "get_weather", description: "Weather", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] }, strict: true },
      // No parameters on OpenAI means none; other families need a schema.
      { name: "now", parameters: { type: "object", properties: {} } },
    ]);
    expect(request.toolChoice).toEqual({ type: "auto" });
    expect(decode({ ...base, tool_choice: "none" }).toolChoice).toEqual({ type: "none" });
    expect(decode({ ...base, tool_choice: "required" }).toolChoice).toEqual({ type: "any" });
    expect(decode({ ...base, tool_choice: { type: "function", function: { name: "now" } } }).toolChoice).toEqual({ type: "tool", name: "now" });
    expect(decode({ ...base, tool_choice: "required", parallel_tool_calls: false }).toolChoice).toEqual({ type: "any", disableParallel: true });
    expect(decode({ ...base, parallel_tool_calls: false }).toolChoice).toEqual({ type: "auto", disableParallel: true });
    expect(decode({ ...base, parallel_tool_calls: true }).toolChoice).toBeUndefined();
    // Without tools there is nothing to run in parallel.
    expect(decode({ model: "m", messages: [{ role: "user", content: "x" }], parallel_tool_calls: false }).toolChoice).toBeUndefined();
  });

  it("accepts every reasoning_effort OpenAI knows", () => {
    for (const effort of ["none", "minimal", "low", "medium", "high", "xhigh", "max"]) {
      expect(decode({ model: "m", messages: [{ role: "user", content: "x" }], reasoning_effort: effort }).reasoning).toEqual({ effort });
    }
  });
});

describe("openai chat decoding: messages", () => {
  it("puts leading system and developer messages in the system prompt and keeps later ones in place", () => {
    const request = decode({
      model: "m",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "developer", content: [{ type: "text", text: "Use metric units." }] },
        { role: "user", content: "Weather?" },
        { role: "assistant", content: "Sunny." },
        { role: "system", content: "The user is now in Oslo.", name: "env" },
        { role: "user", content: "And now?" },
      ],
    });
    expect(request.system).toEqual([{ type: "text", text: "Be brief." }, { type: "text", text: "Use metric units." }]);
    expect(request.messages).toEqual([
      { role: "user", content: [{ type: "text", text: "Weather?" }] },
      { role: "assistant", content: [{ type: "text", text: "Sunny." }] },
      { role: "system", content: [{ type: "text", text: "The user is now in Oslo." }], name: "env" },
      { role: "user", content: [{ type: "text", text: "And now?" }] },
    ]);
  });

  it("maps user parts: text, image URLs, data URLs with detail, names and cache marks", () => {
    const request = decode({
      model: "m",
      messages: [
        {
          role: "user",
          name: "alice",
          content: [
            { type: "text", text: "What is this?", cache_control: { type: "ephemeral", ttl: "1h" } },
            { type: "image_url", image_url: { url: "https://example.com/cat.png", detail: "low" } },
            { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" }, prompt_cache_breakpoint: { mode: "explicit" } },
          ],
        },
      ],
    });
    expect(request.messages).toEqual([
      {
        role: "user",
        name: "alice",
        content: [
          { type: "text", text: "What is this?", cacheControl: { type: "ephemeral", ttl: "1h" } },
          { type: "image", source: { kind: "url", url: "https://example.com/cat.png" }, detail: "low" },
          { type: "image", source: { kind: "base64", mediaType: "image/png", data: "iVBORw0KGgo=" }, cacheControl: { type: "ephemeral" } },
        ],
      },
    ]);
  });

  it("accepts an assistant message as the OpenAI SDK echoes it (refusal: null, annotations: [], audio: null) and ignores those fields", () => {
    const request = decode({
      model: "m",
      messages: [
        { role: "user", content: "Weather in Paris and Oslo?" },
        {
          role: "assistant",
          content: null,
          refusal: null,
          annotations: [],
          audio: null,
          tool_calls: [
            { id: "call_abc", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
            { id: "toolu_01XYZ", type: "function", function: { name: "get_weather", arguments: '{"city": "Oslo"' } },
          ],
        },
        { role: "tool", tool_call_id: "call_abc", content: "18C" },
        { role: "tool", tool_call_id: "toolu_01XYZ", content: [{ type: "text", text: "9C" }, { type: "text", text: " rain" }] },
        { role: "assistant", content: "Paris 18C, Oslo 9C.", refusal: null, annotations: [] },
        { role: "user", content: "Thanks" },
      ],
    });
    expect(request.messages).toEqual([
      { role: "user", content: [{ type: "text", text: "Weather in Paris and Oslo?" }] },
      {
        role: "assistant",
        content: [
          { type: "tool_use", id: "call_abc", name: "get_weather", input: { city: "Paris" } },
          // Malformed arguments are kept verbatim rather than replaced.
          { type: "tool_use", id: "toolu_01XYZ", name: "get_weather", input: {}, inputJson: '{"city": "Oslo"' },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", toolUseId: "call_abc", content: [{ type: "text", text: "18C" }] },
          { type: "tool_result", toolUseId: "toolu_01XYZ", content: [{ type: "text", text: "9C" }, { type: "text", text: " rain" }] },
        ],
      },
      { role: "assistant", content: [{ type: "text", text: "Paris 18C, Oslo 9C." }] },
      { role: "user", content: [{ type: "text", text: "Thanks" }] },
    ]);
  });

  it("starts a new user turn for tool results separated by another message", () => {
    const request = decode({
      model: "m",
      messages: [
        { role: "user", content: "go" },
        { role: "assistant", content: "", tool_calls: [{ id: "a", type: "function", function: { name: "f", arguments: "" } }] },
        { role: "tool", tool_call_id: "a", content: "1" },
        { role: "assistant", content: "again", tool_calls: [{ id: "b", type: "function", function: { name: "f", arguments: "{}" } }] },
        { role: "tool", tool_call_id: "b", content: "2" },
      ],
    });
    expect(request.messages.map((m) => [m.role, m.content.map((b) => b.type)])).toEqual([
      ["user", ["text"]],
      ["assistant", ["tool_use"]],
      ["user", ["tool_result"]],
      ["assistant", ["text", "tool_use"]],
      ["user", ["tool_result"]],
    ]);
    expect(request.messages[1]!.content[0]).toEqual({ type: "tool_use", id: "a", name: "f", input: {} });
  });

  it("keeps a refusal the assistant gave as its text, and an empty answer as empty text", () => {
    const request = decode({
      model: "m",
      messages: [
        { role: "user", content: "x" },
        { role: "assistant", content: null, refusal: "I can't help with that." },
        { role: "user", content: "y" },
        { role: "assistant", content: [{ type: "refusal", refusal: "No." }] },
        { role: "user", content: "z" },
        { role: "assistant", content: "" },
      ],
    });
    expect(request.messages[1]).toEqual({ role: "assistant", content: [{ type: "text", text: "I can't help with that." }] });
    expect(request.messages[3]).toEqual({ role: "assistant", content: [{ type: "text", text: "No." }] });
    expect(request.messages[5]).toEqual({ role: "assistant", content: [{ type: "text", text: "" }] });
  });

  it("turns echoed reasoning back into thinking blocks, signatures included", () => {
    const request = decode({
      model: "m",
      messages: [
        { role: "user", content: "x" },
        { role: "assistant", content: "A", reasoning_content: "plain reasoning" },
        { role: "user", content: "y" },
        {
          role: "assistant",
          content: "B",
          reasoning_content: "ignored when blocks are present",
          thinking_blocks: [{ type: "thinking", thinking: "signed", signature: "sig==" }, { type: "redacted_thinking", data: "opaque" }],
        },
      ],
    });
    expect(request.messages[1]!.content).toEqual([{ type: "thinking", thinking: "plain reasoning" }, { type: "text", text: "A" }]);
    expect(request.messages[3]!.content).toEqual([{ type: "thinking", thinking: "signed", signature: "sig==" }, { type: "redacted_thinking", data: "opaque" }, { type: "text", text: "B" }]);
  });

  it("pairs legacy function messages with the assistant function_call before them", () => {
    const request = decode({
      model: "m",
      messages: [
        { role: "user", content: "x" },
        { role: "assistant", content: null, function_call: { name: "lookup", arguments: '{"q":1}' } },
        { role: "function", name: "lookup", content: "found" },
      ],
    });
    expect(request.messages[1]!.content).toEqual([{ type: "tool_use", id: "call_legacy_1", name: "lookup", input: { q: 1 } }]);
    expect(request.messages[2]!.content).toEqual([{ type: "tool_result", toolUseId: "call_legacy_1", content: [{ type: "text", text: "found" }] }]);
  });
});
