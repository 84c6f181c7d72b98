// A strict mock of the OpenAI Responses API (POST /v1/responses) for adapter integration tests
// and local runs. Strict on purpose (STYLE §12): Bearer key required (401 invalid_api_key for
// a wrong one), unknown fields rejected with the real error body, and answers — JSON or SSE
// in the real event order with sequence numbers — follow gateway/testing/mock-scenarios.ts.
//
// Reasoning (reasoning.effort other than "none") comes first as a reasoning item, like the
// real API: its summary only when `reasoning.summary` is set, its encrypted_content only when
// `include` has "reasoning.encrypted_content"; encrypted_content sent back must be one this
// server issued. max_output_tokens shorter than the answer truncates it (status incomplete).
//
//   tsx gateway/testing/mock-openai-responses-upstream.ts --port 9003
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { MOCK_MODELS } from "./mock-openai-behaviours";
import { validateResponsesRequest } from "./mock-openai-responses-validation";
import { argumentPieces, REASONING_TOKENS, scenarioOutcome, scenarioTokens, streamPiecesOf, type ScenarioOutcome } from "./mock-scenarios";

type Json = Record<string, unknown>;

/** Special models of this mock, besides the shared rate-limit / server-error ones of MOCK_MODELS. */
export const MOCK_RESPONSES_MODELS = {
  /** Streams the start of an answer, then `response.failed` (server_error). */
  streamFailed: "mock-responses-stream-failed",
  /** Streams the start of an answer, then an `error` event (the nested shape the live API sends). */
  streamError: "mock-responses-stream-error",
} as const;

export interface MockResponsesRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  /** Parsed JSON body (undefined when it did not parse). */
  readonly body: unknown;
}

export interface MockResponsesUpstream {
  /** Base URL ending in /v1. */
  readonly url: string;
  readonly port: number;
  readonly requests: MockResponsesRequest[];
  close(): Promise<void>;
}

export interface MockResponsesOptions {
  /** When set, any other Bearer key gets 401 invalid_api_key. */
  readonly apiKey?: string;
  readonly port?: number;
}

function errorBody(message: string, type: string, param: string | null = null, code: string | null = null): Json {
  return { error: { message, type, param, code } };
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { ...headers, "content-type": "application/json", "content-length": String(Buffer.byteLength(payload)) });
  res.end(payload);
}

const hex = (bytes: number) => randomBytes(bytes).toString("hex");

function textOfParts(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return (content as Json[]).filter((p) => p?.type === "input_text" || p?.type === "output_text").map((p) => String(p.text)).join(" ");
}

function outcomeFor(request: Json): ScenarioOutcome {
  const input = request.input;
  const items: Json[] = typeof input === "string" ? [{ type: "message", role: "user", content: input }] : (input as Json[]);
  const last = items[items.length - 1];
  const lastUser = [...items].reverse().find((item) => (item.type === undefined || item.type === "message") && item.role === "user");
  const tools = Array.isArray(request.tools) ? (request.tools as Json[]).filter((t) => t.type === "function").map((t) => String(t.name)) : [];
  const effort = (request.reasoning as Json | null | undefined)?.effort;
  return scenarioOutcome({
    lastUserText: textOfParts(lastUser?.content),
    toolResultText: last?.type === "function_call_output" ? textOfParts(last.output) : null,
    toolNames: tools,
    wantsReasoning: typeof effort === "string" && effort !== "none",
  });
}

/** The answer as output items, already cut to max_output_tokens, with its usage. */
interface Answer {
  readonly reasoning: { readonly id: string; readonly summary: string | null; readonly encrypted: string | null } | null;
  readonly message: { readonly id: string; readonly text: string } | null;
  readonly call: { readonly id: string; readonly callId: string; readonly name: string; readonly arguments: string } | null;
  readonly incomplete: boolean;
  readonly usage: Json;
}

function answerFor(request: Json, outcome: ScenarioOutcome, issue: () => string): Answer {
  const reasoningParams = (request.reasoning ?? {}) as Json;
  const include = Array.isArray(request.include) ? (request.include as unknown[]) : [];
  const reasoning = outcome.reasoning
    ? { id: `rs_${hex(24)}`, summary: reasoningParams.summary ? outcome.reasoning : null, encrypted: include.includes("reasoning.encrypted_content") ? issue() : null }
    : null;
  const reasoningTokens = reasoning ? REASONING_TOKENS : 0;
  const max = typeof request.max_output_tokens === "number" ? request.max_output_tokens : Number.POSITIVE_INFINITY;
  let incomplete = false;
  let message: Answer["message"] = null;
  let call: Answer["call"] = null;
  let outputTokens = reasoningTokens;
  if (outcome.kind === "text") {
    let text = outcome.text;
    const room = max - reasoningTokens;
    if (scenarioTokens(text) > room) {
      incomplete = true;
      text = text.split(/\s+/).slice(0, Math.max(room, 0)).join(" ");
    }
    outputTokens += scenarioTokens(text);
    message = { id: `msg_${hex(24)}`, text };
  } else {
    outputTokens += 8;
    call = { id: `fc_${hex(24)}`, callId: `call_${randomBytes(12).toString("base64url")}`, name: outcome.toolName, arguments: JSON.stringify(outcome.arguments) };
  }
  const inputTokens = scenarioTokens(JSON.stringify(request.input)) + (typeof request.instructions === "string" ? scenarioTokens(request.instructions) : 0);
  return {
    reasoning,
    message,
    call,
    incomplete,
    usage: {
      input_tokens: inputTokens,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: outputTokens,
      output_tokens_details: { reasoning_tokens: reasoningTokens },
      total_tokens: inputTokens + outputTokens,
    },
  };
}

function reasoningItem(answer: NonNullable<Answer["reasoning"]>): Json {
  return { id: answer.id, type: "reasoning", summary: answer.summary ? [{ type: "summary_text", text: answer.summary }] : [], ...(answer.encrypted ? { encrypted_content: answer.encrypted } : {}) };
}

function messageItem(message: NonNullable<Answer["message"]>, status: string, text = message.text): Json {
  return { id: message.id, type: "message", status, content: status === "in_progress" ? [] : [{ type: "output_text", annotations: [], logprobs: [], text }], role: "assistant" };
}

function callItem(call: NonNullable<Answer["call"]>, status: string): Json {
  return { id: call.id, type: "function_call", status, arguments: status === "in_progress" ? "" : call.arguments, call_id: call.callId, name: call.name };
}

function outputOf(answer: Answer): Json[] {
  return [
    ...(answer.reasoning ? [reasoningItem(answer.reasoning)] : []),
    ...(answer.message ? [messageItem(answer.message, answer.incomplete ? "incomplete" : "completed")] : []),
    ...(answer.call ? [callItem(answer.call, "completed")] : []),
  ];
}

/** The response object with the request's parameters echoed, as the real API does. */
function responseObject(request: Json, id: string, createdAt: number, status: string, output: Json[], usage: Json | null, extra: Json = {}): Json {
  const reasoning = (request.reasoning ?? null) as Json | null;
  return {
    id,
    object: "response",
    created_at: createdAt,
    status,
    background: false,
    error: null,
    incomplete_details: null,
    instructions: request.instructions ?? null,
    max_output_tokens: request.max_output_tokens ?? null,
    max_tool_calls: request.max_tool_calls ?? null,
    model: request.model,
    output,
    parallel_tool_calls: request.parallel_tool_calls ?? true,
    previous_response_id: null,
    prompt_cache_key: request.prompt_cache_key ?? null,
    reasoning: { effort: reasoning?.effort ?? null, summary: reasoning?.summary ?? null },
    safety_identifier: request.safety_identifier ?? null,
    service_tier: "default",
    store: request.store ?? true,
    temperature: request.temperature ?? 1,
    text: { format: (request.text as Json | undefined)?.format ?? { type: "text" }, verbosity: "medium" },
    tool_choice: request.tool_choice ?? "auto",
    tools: request.tools ?? [],
    top_logprobs: 0,
    top_p: request.top_p ?? 1,
    truncation: "disabled",
    usage,
    user: request.user ?? null,
    metadata: request.metadata ?? {},
    ...extra,
  };
}

function terminalFields(answer: Answer): Json {
  return answer.incomplete ? { incomplete_details: { reason: "max_output_tokens" } } : { completed_at: Math.floor(Date.now() / 1000) };
}

async function streamAnswer(res: http.ServerResponse, request: Json, answer: Answer, model: string): Promise<void> {
  const id = `resp_${hex(24)}`;
  const createdAt = Math.floor(Date.now() / 1000);
  let sequence = 0;
  const obfuscate = ((request.stream_options ?? {}) as Json).include_obfuscation !== false;
  const event = (type: string, data: Json) => {
    res.write(`event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence++, ...data })}\n\n`);
  };
  // The real API pads deltas with random `obfuscation` text unless asked not to.
  const delta = (data: Json): Json => (obfuscate ? { ...data, obfuscation: randomBytes(6).toString("base64url") } : data);
  res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" });
  event("response.created", { response: responseObject(request, id, createdAt, "in_progress", [], null) });
  event("response.in_progress", { response: responseObject(request, id, createdAt, "in_progress", [], null) });
  let outputIndex = 0;
  if (answer.reasoning) {
    const r = answer.reasoning;
    const at = outputIndex++;
    event("response.output_item.added", { output_index: at, item: { id: r.id, type: "reasoning", summary: [] } });
    if (r.summary) {
      event("response.reasoning_summary_part.added", { item_id: r.id, output_index: at, summary_index: 0, part: { type: "summary_text", text: "" } });
      for (const piece of streamPiecesOf(r.summary)) event("response.reasoning_summary_text.delta", delta({ item_id: r.id, output_index: at, summary_index: 0, delta: piece }));
      event("response.reasoning_summary_text.done", { item_id: r.id, output_index: at, summary_index: 0, text: r.summary });
      event("response.reasoning_summary_part.done", { item_id: r.id, output_index: at, summary_index: 0, part: { type: "summary_text", text: r.summary } });
    }
    event("response.output_item.done", { output_index: at, item: reasoningItem(r) });
  }
  if (answer.message) {
    const m = answer.message;
    const at = outputIndex++;
    const failing = model === MOCK_RESPONSES_MODELS.streamFailed || model === MOCK_RESPONSES_MODELS.streamError;
    event("response.output_item.added", { output_index: at, item: messageItem(m, "in_progress") });
    event("response.content_part.added", { item_id: m.id, output_index: at, content_index: 0, part: { type: "output_text", annotations: [], logprobs: [], text: "" } });
    const pieces = streamPiecesOf(m.text);
    for (const piece of failing ? pieces.slice(0, 1) : pieces) event("response.output_text.delta", delta({ item_id: m.id, output_index: at, content_index: 0, delta: piece, logprobs: [] }));
    if (model === MOCK_RESPONSES_MODELS.streamFailed) {
      const error = { code: "server_error", message: "The server had an error processing your request. Sorry about that!" };
      event("response.failed", { response: responseObject(request, id, createdAt, "failed", [], null, { error }) });
      res.end();
      return;
    }
    if (model === MOCK_RESPONSES_MODELS.streamError) {
      event("error", { error: { type: "server_error", code: "server_error", message: "The server had an error processing your request.", param: null } });
      res.end();
      return;
    }
    event("response.output_text.done", { item_id: m.id, output_index: at, content_index: 0, text: m.text, logprobs: [] });
    event("response.content_part.done", { item_id: m.id, output_index: at, content_index: 0, part: { type: "output_text", annotations: [], logprobs: [], text: m.text } });
    event("response.output_item.done", { output_index: at, item: messageItem(m, answer.incomplete ? "incomplete" : "completed") });
  }
  if (answer.call) {
    const c = answer.call;
    const at = outputIndex++;
    event("response.output_item.added", { output_index: at, item: callItem(c, "in_progress") });
    for (const piece of argumentPieces(JSON.parse(c.arguments) as Json)) event("response.function_call_arguments.delta", delta({ item_id: c.id, output_index: at, delta: piece }));
    event("response.function_call_arguments.done", { item_id: c.id, output_index: at, name: c.name, arguments: c.arguments });
    event("response.output_item.done", { output_index: at, item: callItem(c, "completed") });
  }
  const status = answer.incomplete ? "incomplete" : "completed";
  event(`response.${status}`, { response: responseObject(request, id, createdAt, status, outputOf(answer), answer.usage, terminalFields(answer)) });
  res.end();
}

function bearerKey(req: http.IncomingMessage): string | null {
  const match = /^Bearer\s+(\S.*)$/i.exec(req.headers.authorization ?? "");
  return match?.[1]?.trim() ?? null;
}

export async function startMockOpenAIResponsesUpstream(opts: MockResponsesOptions = {}): Promise<MockResponsesUpstream> {
  const requests: MockResponsesRequest[] = [];
  // encrypted_content values this server handed out: only those verify when sent back.
  const issued = new Set<string>();
  const issue = () => {
    const value = `gAAAA${randomBytes(48).toString("base64url")}`;
    issued.add(value);
    return value;
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer): Promise<void> => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    let body: unknown;
    try {
      body = JSON.parse(raw.toString("utf8"));
    } catch {
      body = undefined;
    }
    requests.push({ method: req.method ?? "GET", path, headers: req.headers, body });
    if (req.method !== "POST" || path !== "/v1/responses") return send(res, 404, errorBody(`Invalid URL (${req.method} ${path})`, "invalid_request_error"));
    const key = bearerKey(req);
    if (!key) {
      return send(res, 401, errorBody("You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).", "invalid_request_error"));
    }
    if (opts.apiKey !== undefined && key !== opts.apiKey) {
      return send(res, 401, errorBody(`Incorrect API key provided: ${key.slice(0, 3)}***${key.slice(-4)}. You can find your API key at https://platform.openai.com/account/api-keys.`, "invalid_request_error", null, "invalid_api_key"));
    }
    if (body === undefined) {
      return send(res, 400, errorBody("We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly.)", "invalid_request_error"));
    }
    const failure = validateResponsesRequest(body, (value) => issued.has(value));
    if (failure) return send(res, failure.status, errorBody(failure.message, "invalid_request_error", failure.param, failure.code));
    const request = body as Json;
    const model = String(request.model);
    if (model === MOCK_MODELS.rateLimit) {
      return send(res, 429, errorBody(`Rate limit reached for ${model} in organization org-mock on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s.`, "requests", null, "rate_limit_exceeded"), {
        "retry-after": "20",
      });
    }
    if (model === MOCK_MODELS.serverError) return send(res, 500, errorBody("The server had an error while processing your request. Sorry about that!", "server_error"));
    const answer = answerFor(request, outcomeFor(request), issue);
    if (request.stream === true) return streamAnswer(res, request, answer, model);
    const status = answer.incomplete ? "incomplete" : "completed";
    send(res, 200, responseObject(request, `resp_${hex(24)}`, Math.floor(Date.now() / 1000), status, outputOf(answer), answer.usage, terminalFields(answer)));
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      handle(req, res, Buffer.concat(chunks)).catch((error: unknown) => {
        if (!res.headersSent) send(res, 500, errorBody(`mock upstream bug: ${String(error)}`, "server_error"));
        else res.destroy();
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const isScript = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isScript) {
  const i = process.argv.indexOf("--port");
  const mock = await startMockOpenAIResponsesUpstream({ port: i > 0 ? Number(process.argv[i + 1]) : 9003 });
  console.log(`mock OpenAI Responses upstream on ${mock.url}`);
}
