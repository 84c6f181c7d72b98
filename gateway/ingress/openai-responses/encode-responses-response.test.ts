import { describe, expect, it } from "vitest";
import { GatewayError } from "../../errors";
import type { CanonicalResponse } from "../../formats/canonical";
import { decodeResponsesRequest } from "./decode-responses-request";
import { encodeResponsesResponse } from "./encode-responses-response";
import { encodeResponsesError, encodeResponsesStreamError } from "./responses-errors";

type Json = Record<string, unknown>;

const USAGE = { input: 120, output: 40, cacheRead: 100, cacheWrite: 0, reasoning: 12 };

function response(overrides: Partial<CanonicalResponse>): CanonicalResponse {
  return { id: "msg_01XFDUDYJgAACzvnptvVoYEL", model: "claude-sonnet-4-5", content: [{ type: "text", text: "Hi" }], stopReason: "end_turn", usage: USAGE, created: 1_756_315_696, ...overrides };
}

describe("encodeResponsesResponse", () => {
  it("answers a completed response with a message item and usage in Responses terms", () => {
    const body = encodeResponsesResponse(response({}), "gpt-5-codex");
    expect(body).toMatchObject({
      id: "resp_msg01XFDUDYJgAACzvnptvVoYEL",
      object: "response",
      created_at: 1_756_315_696,
      status: "completed",
      error: null,
      incomplete_details: null,
      model: "gpt-5-codex",
      output: [{ type: "message", role: "assistant", status: "completed", content: [{ type: "output_text", text: "Hi", annotations: [], logprobs: [] }] }],
      usage: { input_tokens: 120, input_tokens_details: { cached_tokens: 100, cache_write_tokens: 0 }, output_tokens: 40, output_tokens_details: { reasoning_tokens: 12 }, total_tokens: 160 },
    });
    expect((body.output as Json[])[0]!.id).toMatch(/^msg_[0-9a-f]{48}$/);
  });

  it("orders reasoning, text and function calls as items, and keeps text runs in one message", () => {
    const body = encodeResponsesResponse(
      response({
        content: [
          { type: "thinking", thinking: "Let me think.", signature: "EqQBCgIYAhIM" },
          { type: "text", text: "Part one. " },
          { type: "text", text: "Part two." },
          { type: "tool_use", id: "toolu_01A", name: "get_weather", input: { city: "Paris" } },
          { type: "tool_use", id: "toolu_01B", name: "get_time", input: {}, inputJson: "{bad" },
          { type: "redacted_thinking", data: "EmwKAhgB" },
        ],
        stopReason: "tool_use",
      }),
      "m",
    );
    const output = body.output as Json[];
    expect(output.map((item) => item.type)).toEqual(["reasoning", "message", "function_call", "function_call", "reasoning"]);
    expect(output[0]).toMatchObject({ type: "reasoning", summary: [{ type: "summary_text", text: "Let me think." }], encrypted_content: "EqQBCgIYAhIM" });
    expect(output[0]!.id).toMatch(/^rs_/);
    expect((output[1]!.content as Json[]).map((p) => p.text)).toEqual(["Part one. ", "Part two."]);
    expect(output[2]).toMatchObject({ type: "function_call", status: "completed", call_id: "toolu_01A", name: "get_weather", arguments: '{"city":"Paris"}' });
    expect(output[2]!.id).toMatch(/^fc_/);
    expect(output[3]).toMatchObject({ arguments: "{bad" });
    expect(output[4]).toMatchObject({ summary: [], encrypted_content: "sy-redacted:EmwKAhgB" });
    expect(body.status).toBe("completed");
  });

  it("says incomplete with max_output_tokens when the answer was cut, and marks the last item", () => {
    const body = encodeResponsesResponse(response({ stopReason: "max_tokens" }), "m");
    expect(body).toMatchObject({ status: "incomplete", incomplete_details: { reason: "max_output_tokens" } });
    expect((body.output as Json[])[0]!.status).toBe("incomplete");
    expect(encodeResponsesResponse(response({ stopReason: "content_filter" }), "m")).toMatchObject({ status: "incomplete", incomplete_details: { reason: "content_filter" } });
  });

  it("round-trips reasoning: an encoded item decodes to the same thinking and signature", () => {
    const thinking = { type: "thinking" as const, thinking: "Weighing options.", signature: "EqQBCkgIARABGAIiQLs0" };
    const output = encodeResponsesResponse(response({ content: [thinking, { type: "text", text: "Done." }] }), "m").output as Json[];
    const request = decodeResponsesRequest({ model: "m", input: [{ role: "user", content: "q" }, ...output, { role: "user", content: "next" }] });
    expect(request.messages[1]!.content).toEqual([thinking, { type: "text", text: "Done." }]);
    const redacted = encodeResponsesResponse(response({ content: [{ type: "redacted_thinking", data: "EmwKAhgB" }] }), "m").output as Json[];
    expect(decodeResponsesRequest({ model: "m", input: [{ role: "user", content: "q" }, ...redacted] }).messages[1]!.content).toEqual([{ type: "redacted_thinking", data: "EmwKAhgB" }]);
  });
});

describe("Responses errors", () => {
  it("renders gateway errors in OpenAI's shape and marks upstream ones as such", () => {
    const gateway = encodeResponsesError(new GatewayError({ status: 400, type: "invalid_request_error", code: "unknown_parameter", param: "bogus", message: "Unknown parameter: 'bogus'.", source: "gateway" }));
    expect(gateway).toEqual({
      status: 400,
      body: { error: { message: "Unknown parameter: 'bogus'.", type: "invalid_request_error", param: "bogus", code: "unknown_parameter" } },
      headers: { "x-switchyard-error-source": "gateway" },
    });
    const upstream = encodeResponsesError(new GatewayError({ status: 529, type: "overloaded_error", message: "Overloaded", source: "upstream", provider: "anthropic", retryable: true }));
    expect(upstream.status).toBe(529);
    expect(upstream.body).toEqual({ error: { message: "Overloaded (upstream: anthropic)", type: "overloaded_error", param: null, code: null } });
    expect(upstream.headers).toEqual({ "x-switchyard-error-source": "upstream" });
  });

  it("renders a stream error as an `error` event readable both flat (SDK types) and nested (live API)", () => {
    const [frame] = encodeResponsesStreamError(new GatewayError({ status: 502, type: "upstream_error", code: "upstream_bad_response", message: "Upstream provider 'x' returned an invalid response", source: "upstream", provider: "x" }));
    expect(frame!.event).toBe("error");
    expect(JSON.parse(frame!.data)).toEqual({
      type: "error",
      sequence_number: 0,
      code: "upstream_bad_response",
      message: "Upstream provider 'x' returned an invalid response",
      param: null,
      error: { type: "upstream_error", code: "upstream_bad_response", message: "Upstream provider 'x' returned an invalid response", param: null },
    });
  });
});
