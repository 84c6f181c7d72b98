import { describe, expect, it } from "vitest";
import { GatewayError } from "../../errors";
import type { CanonicalResponse, StopReason } from "../../formats/canonical";
import { openaiChatCodec } from "./openai-chat-codec";
import { decodeOpenAIChatRequest } from "./openai-chat-request";

type Json = Record<string, unknown>;

const USAGE = { input: 1_200, output: 300, cacheRead: 1_000, cacheWrite: 0, reasoning: 120 };

function response(content: CanonicalResponse["content"], stopReason: StopReason = "end_turn", extra: Partial<CanonicalResponse> = {}): CanonicalResponse {
  return { id: "msg_01XFDUDYJgAACzvnptvVoYEL", model: "claude-sonnet-4-20250514", content, stopReason, usage: USAGE, created: 1_750_000_000, ...extra };
}

const encode = (r: CanonicalResponse, model = "gpt-4o") => openaiChatCodec.encodeResponse(r, model) as Json;
const choice = (body: Json) => (body.choices as Json[])[0]!;

describe("openai chat response encoding", () => {
  it("writes a chat.completion as OpenAI does, with the client's model", () => {
    expect(encode(response([{ type: "text", text: "Hello!" }]))).toEqual({
      id: "chatcmpl-msg_01XFDUDYJgAACzvnptvVoYEL",
      object: "chat.completion",
      created: 1_750_000_000,
      model: "gpt-4o",
      choices: [{ index: 0, message: { role: "assistant", content: "Hello!", refusal: null, annotations: [] }, logprobs: null, finish_reason: "stop" }],
      usage: {
        prompt_tokens: 1_200,
        completion_tokens: 300,
        total_tokens: 1_500,
        prompt_tokens_details: { cached_tokens: 1_000, audio_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 120, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
      },
    });
  });

  it("keeps tool-call ids, writes arguments as JSON text (malformed ones verbatim) and content null", () => {
    const body = encode(
      response(
        [
          { type: "tool_use", id: "toolu_01A", name: "get_weather", input: { city: "Paris" } },
          { type: "tool_use", id: "call_9", name: "search", input: {}, inputJson: '{"q": "unterminated' },
        ],
        "tool_use",
      ),
    );
    expect(choice(body).finish_reason).toBe("tool_calls");
    expect(choice(body).message).toEqual({
      role: "assistant",
      content: null,
      refusal: null,
      annotations: [],
      tool_calls: [
        { id: "toolu_01A", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
        { id: "call_9", type: "function", function: { name: "search", arguments: '{"q": "unterminated' } },
      ],
    });
  });

  it("puts thinking in reasoning_content, and signed or redacted thinking also in thinking_blocks", () => {
    const plain = choice(encode(response([{ type: "thinking", thinking: "Let me think." }, { type: "text", text: "42" }]))).message as Json;
    expect(plain.reasoning_content).toBe("Let me think.");
    expect(plain.thinking_blocks).toBeUndefined();

    const signed = choice(
      encode(response([{ type: "thinking", thinking: "Step 1.", signature: "EqQBCkYIAR" }, { type: "redacted_thinking", data: "EmwKAhgB" }, { type: "text", text: "Done" }])),
    ).message as Json;
    expect(signed).toMatchObject({
      content: "Done",
      reasoning_content: "Step 1.",
      thinking_blocks: [{ type: "thinking", thinking: "Step 1.", signature: "EqQBCkYIAR" }, { type: "redacted_thinking", data: "EmwKAhgB" }],
    });
  });

  it("lets a client echo the message back and keep the signed thinking (the next turn of a tool loop)", () => {
    const message = choice(
      encode(response([{ type: "thinking", thinking: "Call the tool.", signature: "sig==" }, { type: "tool_use", id: "toolu_1", name: "f", input: { a: 1 } }], "tool_use")),
    ).message as Json;
    const next = decodeOpenAIChatRequest({
      model: "m",
      messages: [{ role: "user", content: "go" }, message, { role: "tool", tool_call_id: "toolu_1", content: "ok" }],
    });
    expect(next.messages[1]).toEqual({
      role: "assistant",
      content: [
        { type: "thinking", thinking: "Call the tool.", signature: "sig==" },
        { type: "tool_use", id: "toolu_1", name: "f", input: { a: 1 } },
      ],
    });
  });

  it("maps every stop reason", () => {
    const finish = (reason: StopReason) => choice(encode(response([{ type: "text", text: "x" }], reason))).finish_reason;
    expect(finish("end_turn")).toBe("stop");
    expect(finish("stop_sequence")).toBe("stop");
    expect(finish("pause_turn")).toBe("stop");
    expect(finish("max_tokens")).toBe("length");
    expect(finish("tool_use")).toBe("tool_calls");
    expect(finish("content_filter")).toBe("content_filter");
    expect(finish("refusal")).toBe("content_filter");
    // A provider that says "stop" after calling tools still ends in tool_calls.
    expect(choice(encode(response([{ type: "tool_use", id: "t", name: "f", input: {} }], "end_turn"))).finish_reason).toBe("tool_calls");
  });

  it("reports cache writes when the provider had them, and fills a missing id or timestamp", () => {
    const body = encode(response([{ type: "text", text: "" }], "max_tokens", { id: "", created: 0, usage: { ...USAGE, cacheWrite: 50 } }));
    expect(body.id).toMatch(/^chatcmpl-[0-9a-f]{24}$/);
    expect(body.created).toBeGreaterThan(1_700_000_000);
    expect((body.usage as Json).prompt_tokens_details).toEqual({ cached_tokens: 1_000, audio_tokens: 0, cache_write_tokens: 50 });
    expect(choice(body).message).toEqual({ role: "assistant", content: "", refusal: null, annotations: [] });
    expect(encode(response([], "end_turn", { id: "chatcmpl-abc" })).id).toBe("chatcmpl-abc");
  });
});

describe("openai chat error encoding", () => {
  it("renders gateway errors in OpenAI's shape with their status", () => {
    const error = new GatewayError({ status: 429, type: "rate_limit_error", code: "rate_limited", message: "Budget exceeded", source: "gateway" });
    expect(openaiChatCodec.encodeError(error)).toEqual({
      status: 429,
      body: { error: { message: "Budget exceeded", type: "rate_limit_error", param: null, code: "rate_limited" } },
      headers: { "x-switchyard-error-source": "gateway" },
    });
  });

  it("says when the provider produced the error", () => {
    const error = new GatewayError({ status: 400, type: "invalid_request_error", message: "anthropic: prompt is too long", source: "upstream", provider: "anthropic-prod" });
    expect(openaiChatCodec.encodeError(error)).toEqual({
      status: 400,
      body: { error: { message: "anthropic: prompt is too long (upstream: anthropic-prod)", type: "invalid_request_error", param: null, code: null } },
      headers: { "x-switchyard-error-source": "upstream" },
    });
  });
});
