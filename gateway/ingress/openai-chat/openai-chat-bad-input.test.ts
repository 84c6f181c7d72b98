import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GatewayError } from "../../errors";
import { openaiChatCodec } from "./openai-chat-codec";

const user = { role: "user", content: "hi" };
const base = { model: "m", messages: [user] };
const withMessages = (...messages: unknown[]) => ({ model: "m", messages });
const tool = { type: "function", function: { name: "f", parameters: { type: "object" } } };

/** [what, body, the parameter the 400 must name] */
const CASES: Array<[string, Record<string, unknown>, string]> = [
  ["unknown top-level field", { ...base, temprature: 1 }, "temprature"],
  ["missing model", { messages: [user] }, "model"],
  ["empty model", { ...base, model: "  " }, "model"],
  ["model not a string", { ...base, model: 4 }, "model"],
  ["missing messages", { model: "m" }, "messages"],
  ["messages not an array", { model: "m", messages: "hi" }, "messages"],
  ["empty messages", { model: "m", messages: [] }, "messages"],
  ["message not an object", withMessages("hi"), "messages[0]"],
  ["message without role", withMessages({ content: "hi" }), "messages[0].role"],
  ["unknown role", withMessages({ role: "bot", content: "hi" }), "messages[0].role"],
  ["role not a string", withMessages({ role: 1, content: "hi" }), "messages[0].role"],
  ["unknown message field", withMessages({ role: "user", content: "hi", foo: 1 }), "messages[0].foo"],
  ["user content missing", withMessages({ role: "user" }), "messages[0].content"],
  ["user content a number", withMessages({ role: "user", content: 5 }), "messages[0].content"],
  ["user content empty array", withMessages({ role: "user", content: [] }), "messages[0].content"],
  ["part without type", withMessages({ role: "user", content: [{ text: "x" }] }), "messages[0].content[0].type"],
  ["unknown part type", withMessages({ role: "user", content: [{ type: "video", video: {} }] }), "messages[0].content[0].type"],
  ["text part without text", withMessages({ role: "user", content: [{ type: "text" }] }), "messages[0].content[0].text"],
  ["text part with a number", withMessages({ role: "user", content: [{ type: "text", text: 3 }] }), "messages[0].content[0].text"],
  ["unknown part field", withMessages({ role: "user", content: [{ type: "text", text: "x", bold: true }] }), "messages[0].content[0].bold"],
  ["image without url", withMessages({ role: "user", content: [{ type: "image_url", image_url: {} }] }), "messages[0].content[0].image_url.url"],
  ["image_url a string", withMessages({ role: "user", content: [{ type: "image_url", image_url: "https://x" }] }), "messages[0].content[0].image_url"],
  ["bad image detail", withMessages({ role: "user", content: [{ type: "image_url", image_url: { url: "https://x", detail: "max" } }] }), "messages[0].content[0].image_url.detail"],
  ["input_audio part", withMessages({ role: "user", content: [{ type: "input_audio", input_audio: { data: "AAA", format: "wav" } }] }), "messages[0].content[0].type"],
  ["file part", withMessages({ role: "user", content: [{ type: "file", file: { file_id: "f" } }] }), "messages[0].content[0].type"],
  ["bad cache_control", withMessages({ role: "user", content: [{ type: "text", text: "x", cache_control: { type: "forever" } }] }), "messages[0].content[0].cache_control"],
  ["system image part", withMessages({ role: "system", content: [{ type: "image_url", image_url: { url: "https://x" } }] }), "messages[0].content[0].type"],
  ["system content null", withMessages({ role: "system", content: null }), "messages[0].content"],
  ["tool message without tool_call_id", withMessages(user, { role: "tool", content: "r" }), "messages[1].tool_call_id"],
  ["tool message with numeric tool_call_id", withMessages(user, { role: "tool", tool_call_id: 3, content: "r" }), "messages[1].tool_call_id"],
  ["tool message without content", withMessages(user, { role: "tool", tool_call_id: "a" }), "messages[1].content"],
  ["function message without a function_call before it", withMessages(user, { role: "function", name: "f", content: "r" }), "messages[1].role"],
  ["function message without name", withMessages(user, { role: "function", content: "r" }), "messages[1].name"],
  ["assistant with neither content nor tool_calls", withMessages(user, { role: "assistant", content: null }), "messages[1].content"],
  ["assistant content a number", withMessages(user, { role: "assistant", content: 1 }), "messages[1].content"],
  ["assistant refusal a number", withMessages(user, { role: "assistant", content: "x", refusal: 1 }), "messages[1].refusal"],
  ["assistant annotations an object", withMessages(user, { role: "assistant", content: "x", annotations: {} }), "messages[1].annotations"],
  ["assistant audio reference", withMessages(user, { role: "assistant", content: "x", audio: { id: "audio_1" } }), "messages[1].audio"],
  ["tool_calls not an array", withMessages(user, { role: "assistant", tool_calls: {} }), "messages[1].tool_calls"],
  ["tool call without id", withMessages(user, { role: "assistant", tool_calls: [{ type: "function", function: { name: "f", arguments: "{}" } }] }), "messages[1].tool_calls[0].id"],
  ["tool call without function", withMessages(user, { role: "assistant", tool_calls: [{ id: "a", type: "function" }] }), "messages[1].tool_calls[0].function"],
  ["tool call without name", withMessages(user, { role: "assistant", tool_calls: [{ id: "a", type: "function", function: { arguments: "{}" } }] }), "messages[1].tool_calls[0].function.name"],
  ["tool call arguments as an object", withMessages(user, { role: "assistant", tool_calls: [{ id: "a", type: "function", function: { name: "f", arguments: {} } }] }), "messages[1].tool_calls[0].function.arguments"],
  ["custom tool call", withMessages(user, { role: "assistant", tool_calls: [{ id: "a", type: "custom", custom: { name: "f", input: "x" } }] }), "messages[1].tool_calls[0].type"],
  ["thinking_blocks with a bad type", withMessages(user, { role: "assistant", content: "x", thinking_blocks: [{ type: "summary" }] }), "messages[1].thinking_blocks[0].type"],
  ["reasoning_content a number", withMessages(user, { role: "assistant", content: "x", reasoning_content: 1 }), "messages[1].reasoning_content"],
  ["tools not an array", { ...base, tools: tool }, "tools"],
  ["tool without type", { ...base, tools: [{ function: { name: "f" } }] }, "tools[0].type"],
  ["custom tool", { ...base, tools: [{ type: "custom", custom: { name: "f" } }] }, "tools[0].type"],
  ["tool without function", { ...base, tools: [{ type: "function" }] }, "tools[0].function"],
  ["tool without name", { ...base, tools: [{ type: "function", function: { parameters: {} } }] }, "tools[0].function.name"],
  ["tool parameters a string", { ...base, tools: [{ type: "function", function: { name: "f", parameters: "{}" } }] }, "tools[0].function.parameters"],
  ["tool strict a string", { ...base, tools: [{ type: "function", function: { name: "f", strict: "yes" } }] }, "tools[0].function.strict"],
  ["unknown tool field", { ...base, tools: [{ type: "function", function: { name: "f", examples: [] } }] }, "tools[0].function.examples"],
  ["bad tool_choice string", { ...base, tools: [tool], tool_choice: "always" }, "tool_choice"],
  ["tool_choice function without name", { ...base, tools: [tool], tool_choice: { type: "function", function: {} } }, "tool_choice.function.name"],
  ["allowed_tools tool_choice", { ...base, tools: [tool], tool_choice: { type: "allowed_tools", allowed_tools: { mode: "auto", tools: [] } } }, "tool_choice.type"],
  ["parallel_tool_calls a string", { ...base, tools: [tool], parallel_tool_calls: "no" }, "parallel_tool_calls"],
  ["max_tokens zero", { ...base, max_tokens: 0 }, "max_tokens"],
  ["max_tokens fractional", { ...base, max_tokens: 1.5 }, "max_tokens"],
  ["max_completion_tokens a string", { ...base, max_completion_tokens: "100" }, "max_completion_tokens"],
  ["max_tokens and max_completion_tokens differ", { ...base, max_tokens: 10, max_completion_tokens: 20 }, "max_tokens"],
  ["temperature a string", { ...base, temperature: "hot" }, "temperature"],
  ["temperature above 2", { ...base, temperature: 2.5 }, "temperature"],
  ["top_p above 1", { ...base, top_p: 1.5 }, "top_p"],
  ["presence_penalty below -2", { ...base, presence_penalty: -3 }, "presence_penalty"],
  ["frequency_penalty a boolean", { ...base, frequency_penalty: true }, "frequency_penalty"],
  ["seed fractional", { ...base, seed: 1.5 }, "seed"],
  ["stop a number", { ...base, stop: 5 }, "stop"],
  ["stop with a number inside", { ...base, stop: ["a", 5] }, "stop"],
  ["n above 1", { ...base, n: 2 }, "n"],
  ["n zero", { ...base, n: 0 }, "n"],
  ["stream a string", { ...base, stream: "true" }, "stream"],
  ["stream_options without stream", { ...base, stream_options: { include_usage: true } }, "stream_options"],
  ["stream_options unknown key", { ...base, stream: true, stream_options: { include_cost: true } }, "stream_options.include_cost"],
  ["stream_options include_usage a string", { ...base, stream: true, stream_options: { include_usage: "yes" } }, "stream_options.include_usage"],
  ["user a number", { ...base, user: 42 }, "user"],
  ["unknown reasoning_effort", { ...base, reasoning_effort: "extreme" }, "reasoning_effort"],
  ["response_format a string", { ...base, response_format: "json" }, "response_format"],
  ["unknown response_format type", { ...base, response_format: { type: "yaml" } }, "response_format.type"],
  ["json_schema without name", { ...base, response_format: { type: "json_schema", json_schema: { schema: {} } } }, "response_format.json_schema.name"],
  ["json_schema missing", { ...base, response_format: { type: "json_schema" } }, "response_format.json_schema"],
  ["json_schema schema a string", { ...base, response_format: { type: "json_schema", json_schema: { name: "a", schema: "{}" } } }, "response_format.json_schema.schema"],
  ["deprecated functions", { ...base, functions: [{ name: "f" }] }, "functions"],
  ["deprecated function_call", { ...base, function_call: "auto" }, "function_call"],
  ["logprobs a string", { ...base, logprobs: "yes" }, "logprobs"],
  ["top_logprobs fractional", { ...base, top_logprobs: 1.5 }, "top_logprobs"],
  ["metadata an array", { ...base, metadata: [] }, "metadata"],
  ["modalities a string", { ...base, modalities: "text" }, "modalities"],
];

function decodeError(body: Record<string, unknown>): GatewayError {
  try {
    openaiChatCodec.decodeRequest(body, {});
  } catch (error) {
    return error as GatewayError;
  }
  throw new Error("expected the body to be rejected");
}

describe("openai chat decoding: malformed bodies", () => {
  it.each(CASES)("%s → 400 naming the parameter", (_what, body, param) => {
    const error = decodeError(body);
    expect(error).toBeInstanceOf(GatewayError);
    expect({ status: error.status, type: error.type, param: error.param }).toEqual({ status: 400, type: "invalid_request_error", param });
    expect(error.message).toContain(param);
    // And the client sees OpenAI's error object with that param.
    const encoded = openaiChatCodec.encodeError(error);
    expect(encoded.status).toBe(400);
    expect(encoded.body).toEqual({ error: { message: error.message, type: "invalid_request_error", param, code: error.code } });
  });

  it("never throws anything but a GatewayError, whatever the JSON", () => {
    const json = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: "small" }, fc.constant(null), fc.boolean(), fc.integer(), fc.double(), fc.string(), fc.array(tie("value"), { maxLength: 3 }), fc.dictionary(fc.constantFrom("role", "content", "type", "text", "tool_call_id", "tool_calls", "function", "name", "arguments", "id", "image_url", "url"), tie("value"), { maxKeys: 4 })),
    })).value;
    const message = fc.record({ role: fc.constantFrom("system", "developer", "user", "assistant", "tool", "function", "other"), content: json }, { requiredKeys: ["role"] });
    const body = fc.record(
      {
        model: fc.oneof(fc.constant("m"), json),
        messages: fc.oneof(fc.array(fc.oneof(message, json), { maxLength: 4 }), json),
        tools: json,
        tool_choice: json,
        stop: json,
        response_format: json,
        stream: json,
        stream_options: json,
        max_tokens: json,
      },
      { requiredKeys: ["model", "messages"] },
    );
    fc.assert(
      fc.property(body, (b) => {
        try {
          openaiChatCodec.decodeRequest(b as Record<string, unknown>, {});
        } catch (error) {
          if (!(error instanceof GatewayError) || error.status !== 400) throw error;
        }
      }),
      { numRuns: 2_000 },
    );
  });
});
