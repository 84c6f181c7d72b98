// One driver per client API for the conformance matrix (conformance-matrix.test.ts). Each
// drives the gateway through the REAL client library of its API (the `openai` SDK for chat and
// Responses, `@anthropic-ai/sdk` for Messages; Gemini has no SDK among our dependencies, so its
// driver speaks the documented wire format with fetch), streaming through the SDKs' own
// `.stream()` helpers, and reduces the answer to the same outcome shape. The second turn of a
// tool call echoes the first answer back exactly as the client library returned it (thinking
// blocks with signatures, reasoning items, `refusal: null`, thought signatures): that is what
// real agents do, and where translation usually breaks.
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import type { ClientApi } from "../../formats/canonical";

export const WEATHER_TOOL = {
  name: "get_weather",
  description: "Weather for a city",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
} as const;
export const TOOL_RESULT = "sunny, 21C";

export interface ToolCallOutcome {
  readonly id: string;
  readonly name: string;
  readonly args: unknown;
}

export interface ClientOutcome {
  readonly text: string;
  /** Reasoning text the client API can show (thinking blocks, summaries, thought parts). */
  readonly reasoning: string;
  readonly toolCalls: readonly ToolCallOutcome[];
  /** Normalized: "end" (a final answer), "tool" (tool calls to run), "max_tokens". */
  readonly stop: "end" | "tool" | "max_tokens" | string;
  readonly usage: { readonly input: number; readonly output: number; readonly reasoning: number | null };
  /** Next turn: the answer echoed back plus the tool result (only after a tool call). */
  readonly continueWithToolResult: (result: string) => Promise<ClientOutcome>;
}

export interface TurnOptions {
  readonly model: string;
  readonly stream: boolean;
  readonly prompt: string;
  readonly withTool: boolean;
  readonly withReasoning: boolean;
}

export interface ClientDriver {
  readonly api: ClientApi;
  start(options: TurnOptions): Promise<ClientOutcome>;
}

type Json = Record<string, unknown>;

// ── OpenAI Chat Completions ─────────────────────────────────────────────────────────────
export function openAIChatDriver(gatewayUrl: string, apiKey: string): ClientDriver {
  const client = new OpenAI({ baseURL: `${gatewayUrl}/v1`, apiKey, maxRetries: 0 });
  const run = async (options: TurnOptions, messages: OpenAI.Chat.ChatCompletionMessageParam[]): Promise<ClientOutcome> => {
    const params = {
      model: options.model,
      messages,
      max_completion_tokens: 2048,
      ...(options.withTool ? { tools: [{ type: "function" as const, function: { ...WEATHER_TOOL } }] } : {}),
      ...(options.withReasoning ? { reasoning_effort: "high" as const } : {}),
    };
    // The SDK's stream helper accumulates the fields it knows; `reasoning_content` (the de-facto
    // field for reasoning text on chat) is gathered from the chunks, as clients that show it do.
    let streamedReasoning = "";
    let completion: OpenAI.Chat.ChatCompletion;
    if (options.stream) {
      const runner = client.chat.completions.stream({ ...params, stream: true, stream_options: { include_usage: true } });
      runner.on("chunk", (chunk) => {
        streamedReasoning += String((chunk.choices[0]?.delta as Json | undefined)?.reasoning_content ?? "");
      });
      completion = await runner.finalChatCompletion();
    } else {
      completion = await client.chat.completions.create(params);
    }
    const choice = completion.choices[0]!;
    // `parsed` is the stream helper's own addition (structured outputs), not an API field.
    const { parsed: _parsed, ...message } = choice.message as OpenAI.Chat.ChatCompletionMessage & { parsed?: unknown };
    const toolCalls = (message.tool_calls ?? []).flatMap((call) => (call.type === "function" ? [{ id: call.id, name: call.function.name, args: JSON.parse(call.function.arguments || "{}") as unknown }] : []));
    return {
      text: message.content ?? "",
      reasoning: options.stream ? streamedReasoning : String((message as unknown as Json).reasoning_content ?? ""),
      toolCalls,
      stop: choice.finish_reason === "tool_calls" ? "tool" : choice.finish_reason === "stop" ? "end" : choice.finish_reason === "length" ? "max_tokens" : String(choice.finish_reason),
      usage: { input: completion.usage?.prompt_tokens ?? 0, output: completion.usage?.completion_tokens ?? 0, reasoning: completion.usage?.completion_tokens_details?.reasoning_tokens ?? null },
      // The SDK's message as returned (refusal: null, annotations: []), as agents send it back.
      continueWithToolResult: (result) =>
        run(options, [...messages, message as OpenAI.Chat.ChatCompletionMessageParam, ...toolCalls.map((call) => ({ role: "tool" as const, tool_call_id: call.id, content: result }))]),
    };
  };
  return { api: "openai_chat", start: (options) => run(options, [{ role: "user", content: options.prompt }]) };
}

// ── OpenAI Responses ────────────────────────────────────────────────────────────────────
/** The stream helper adds `parsed_arguments` / `parsed` (its structured-output parsing); they are not API fields. */
function withoutParsedFields(response: OpenAI.Responses.Response): OpenAI.Responses.Response {
  const output = response.output.map((item) => {
    const { parsed_arguments: _args, ...rest } = item as typeof item & { parsed_arguments?: unknown };
    if (rest.type !== "message") return rest;
    return { ...rest, content: rest.content.map((part) => { const { parsed: _p, ...clean } = part as typeof part & { parsed?: unknown }; return clean; }) };
  });
  return { ...response, output } as OpenAI.Responses.Response;
}

export function openAIResponsesDriver(gatewayUrl: string, apiKey: string): ClientDriver {
  const client = new OpenAI({ baseURL: `${gatewayUrl}/v1`, apiKey, maxRetries: 0 });
  const run = async (options: TurnOptions, input: OpenAI.Responses.ResponseInputItem[]): Promise<ClientOutcome> => {
    const params = {
      model: options.model,
      input,
      max_output_tokens: 2048,
      store: false,
      ...(options.withTool ? { tools: [{ type: "function" as const, ...WEATHER_TOOL, strict: false }] } : {}),
      ...(options.withReasoning ? { reasoning: { effort: "high" as const, summary: "auto" as const }, include: ["reasoning.encrypted_content" as const] } : {}),
    };
    const response = options.stream ? withoutParsedFields(await client.responses.stream(params).finalResponse()) : await client.responses.create(params);
    const calls = (response.output as OpenAI.Responses.ResponseOutputItem[]).filter((item) => item.type === "function_call") as OpenAI.Responses.ResponseFunctionToolCall[];
    const reasoning = response.output.flatMap((item) => (item.type === "reasoning" ? item.summary.map((s) => s.text) : [])).join("");
    return {
      text: response.output_text,
      reasoning,
      toolCalls: calls.map((call) => ({ id: call.call_id, name: call.name, args: JSON.parse(call.arguments || "{}") as unknown })),
      stop: response.status === "incomplete" ? "max_tokens" : calls.length > 0 ? "tool" : response.status === "completed" ? "end" : String(response.status),
      usage: { input: response.usage?.input_tokens ?? 0, output: response.usage?.output_tokens ?? 0, reasoning: response.usage?.output_tokens_details?.reasoning_tokens ?? null },
      // Codex CLI's way: every output item (reasoning with encrypted_content, calls) goes back as input.
      continueWithToolResult: (result) =>
        run(options, [...input, ...(response.output as OpenAI.Responses.ResponseInputItem[]), ...calls.map((call) => ({ type: "function_call_output" as const, call_id: call.call_id, output: result }))]),
    };
  };
  return { api: "openai_responses", start: (options) => run(options, [{ role: "user", content: options.prompt }]) };
}

// ── Anthropic Messages ──────────────────────────────────────────────────────────────────
export function anthropicDriver(gatewayUrl: string, apiKey: string): ClientDriver {
  const client = new Anthropic({ baseURL: `${gatewayUrl}/anthropic`, apiKey, maxRetries: 0 });
  const run = async (options: TurnOptions, messages: Anthropic.MessageParam[]): Promise<ClientOutcome> => {
    const params = {
      model: options.model,
      max_tokens: 2048,
      messages,
      ...(options.withTool ? { tools: [{ name: WEATHER_TOOL.name, description: WEATHER_TOOL.description, input_schema: WEATHER_TOOL.parameters as unknown as Anthropic.Tool.InputSchema }] } : {}),
      ...(options.withReasoning ? { thinking: { type: "enabled" as const, budget_tokens: 1024 } } : {}),
    };
    const message = options.stream ? await client.messages.stream(params).finalMessage() : await client.messages.create(params);
    const calls = message.content.filter((b): b is Anthropic.ToolUseBlock => b.type === "tool_use");
    return {
      text: message.content.map((b) => (b.type === "text" ? b.text : "")).join(""),
      reasoning: message.content.map((b) => (b.type === "thinking" ? b.thinking : "")).join(""),
      toolCalls: calls.map((b) => ({ id: b.id, name: b.name, args: b.input })),
      stop: message.stop_reason === "tool_use" ? "tool" : message.stop_reason === "end_turn" ? "end" : String(message.stop_reason),
      usage: { input: message.usage.input_tokens + (message.usage.cache_read_input_tokens ?? 0) + (message.usage.cache_creation_input_tokens ?? 0), output: message.usage.output_tokens, reasoning: null },
      // Claude Code's way: the whole assistant content (thinking + signature included) goes back.
      continueWithToolResult: (result) =>
        run(options, [...messages, { role: "assistant", content: message.content as Anthropic.ContentBlockParam[] }, { role: "user", content: calls.map((b) => ({ type: "tool_result" as const, tool_use_id: b.id, content: result })) }]),
    };
  };
  return { api: "anthropic_messages", start: (options) => run(options, [{ role: "user", content: options.prompt }]) };
}

// ── Gemini generateContent ──────────────────────────────────────────────────────────────
interface GeminiPart {
  text?: string;
  thought?: boolean;
  thoughtSignature?: string;
  functionCall?: { name: string; args?: unknown; id?: string };
}
interface GeminiResponse {
  candidates?: Array<{ content?: { role?: string; parts?: GeminiPart[] }; finishReason?: string }>;
  usageMetadata?: { promptTokenCount?: number; candidatesTokenCount?: number; thoughtsTokenCount?: number };
  error?: { code: number; message: string; status: string };
}

export class GeminiClientError extends Error {
  constructor(readonly status: number, readonly body: unknown) {
    super(`Gemini API error ${status}: ${JSON.stringify(body)}`);
  }
}

async function geminiCall(gatewayUrl: string, apiKey: string, model: string, stream: boolean, body: Json): Promise<GeminiResponse[]> {
  const method = stream ? "streamGenerateContent?alt=sse" : "generateContent";
  const response = await fetch(`${gatewayUrl}/genai/v1beta/models/${encodeURIComponent(model)}:${method}`, {
    method: "POST",
    headers: { "x-goog-api-key": apiKey, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new GeminiClientError(response.status, JSON.parse(text) as unknown);
  if (!stream) return [JSON.parse(text) as GeminiResponse];
  // alt=sse: `data: <GenerateContentResponse>` frames, no event names, no terminator.
  const chunks = text
    .split(/\r?\n\r?\n/)
    .map((frame) => frame.split(/\r?\n/).filter((line) => line.startsWith("data:")).map((line) => line.slice(5).trimStart()).join("\n"))
    .filter((data) => data !== "")
    .map((data) => JSON.parse(data) as GeminiResponse);
  const failed = chunks.find((chunk) => chunk.error);
  if (failed) throw new GeminiClientError(failed.error!.code, failed);
  return chunks;
}

export function geminiDriver(gatewayUrl: string, apiKey: string): ClientDriver {
  const run = async (options: TurnOptions, contents: Json[]): Promise<ClientOutcome> => {
    const body: Json = {
      contents,
      generationConfig: { maxOutputTokens: 2048, ...(options.withReasoning ? { thinkingConfig: { includeThoughts: true, thinkingBudget: 1024 } } : {}) },
      ...(options.withTool ? { tools: [{ functionDeclarations: [{ name: WEATHER_TOOL.name, description: WEATHER_TOOL.description, parameters: WEATHER_TOOL.parameters }] }] } : {}),
    };
    const chunks = await geminiCall(gatewayUrl, apiKey, options.model, options.stream, body);
    // A client SDK merges stream chunks the same way: parts appended in order, last usage wins.
    const parts: GeminiPart[] = chunks.flatMap((chunk) => chunk.candidates?.[0]?.content?.parts ?? []);
    const finish = [...chunks].reverse().find((chunk) => chunk.candidates?.[0]?.finishReason)?.candidates?.[0]?.finishReason;
    const usage = [...chunks].reverse().find((chunk) => chunk.usageMetadata)?.usageMetadata ?? {};
    const calls = parts.filter((p) => p.functionCall);
    return {
      text: parts.filter((p) => !p.thought && typeof p.text === "string").map((p) => p.text).join(""),
      reasoning: parts.filter((p) => p.thought && typeof p.text === "string").map((p) => p.text).join(""),
      toolCalls: calls.map((p, i) => ({ id: p.functionCall!.id ?? `gemini-call-${i}`, name: p.functionCall!.name, args: p.functionCall!.args ?? {} })),
      stop: finish === "MAX_TOKENS" ? "max_tokens" : calls.length > 0 ? "tool" : finish === "STOP" ? "end" : String(finish),
      usage: { input: usage.promptTokenCount ?? 0, output: (usage.candidatesTokenCount ?? 0) + (usage.thoughtsTokenCount ?? 0), reasoning: usage.thoughtsTokenCount ?? null },
      // The model turn as received (thought signatures included), then the function responses.
      continueWithToolResult: (result) =>
        run(options, [
          ...contents,
          { role: "model", parts },
          { role: "user", parts: calls.map((p) => ({ functionResponse: { name: p.functionCall!.name, ...(p.functionCall!.id ? { id: p.functionCall!.id } : {}), response: { result } } })) },
        ]),
    };
  };
  return { api: "gemini", start: (options) => run(options, [{ role: "user", parts: [{ text: options.prompt }] }]) };
}
