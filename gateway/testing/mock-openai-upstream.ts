// A strict mock of the OpenAI Chat Completions API for integration tests, `npm run bench`
// and the dashboard's Playwright test. Strict on purpose (STYLE §12): it wants a Bearer
// key, rejects unknown fields, and answers with the real response and stream shapes.
//
//   tsx gateway/testing/mock-openai-upstream.ts --port 9001
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { MOCK_MODELS, type MockBehaviourModel, promptTokens, countTokens, lastUserText, replyFor, streamPieces, type ChatMessageLike } from "./mock-openai-behaviours";
import { validateChatRequest } from "./mock-openai-validation";
import { argumentPieces, REASONING_TOKENS, scenarioOutcome, type ScenarioOutcome } from "./mock-scenarios";

export interface MockUpstreamRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON body (undefined when it did not parse). */
  body: unknown;
  /** True when the client closed the connection before the response ended. */
  closedEarly: boolean;
}

export interface MockUpstreamOptions {
  port?: number;
  host?: string;
  /** When set, any other Bearer key gets 401 invalid_api_key (like a wrong real key). */
  apiKey?: string;
  /** Delay between chunks of `mock-slow-stream` (default 200 ms). */
  slowChunkDelayMs?: number;
  /**
   * Fault injection by request number (1-based, valid chat requests only): return a special
   * model's behaviour to apply it whatever model was asked for (e.g. every 10th request →
   * 500), or null to answer normally. Lets one instance play a flaky provider.
   */
  faultFor?: (requestNumber: number) => MockBehaviourModel | null;
}

export interface MockUpstream {
  /** Base URL ending in /v1, e.g. http://127.0.0.1:9001/v1 */
  url: string;
  port: number;
  requests: MockUpstreamRequest[];
  close(): Promise<void>;
}

type OpenAIErrorBody = { error: { message: string; type: string; param: string | null; code: string | null } };

function errorBody(message: string, type: string, param: string | null = null, code: string | null = null): OpenAIErrorBody {
  return { error: { message, type, param, code } };
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { ...headers, "content-type": "application/json", "content-length": String(Buffer.byteLength(payload)) });
  res.end(payload);
}

function completionId(): string {
  return `chatcmpl-${randomBytes(15).toString("base64url")}`;
}

interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number; audio_tokens: number };
  completion_tokens_details: { reasoning_tokens: number; audio_tokens: number; accepted_prediction_tokens: number; rejected_prediction_tokens: number };
}

/**
 * The shared script (mock-scenarios.ts) in OpenAI chat terms: a `tool` message last → its
 * result echoed; declared tools + "use the tool" → a call. OpenAI's chat API never returns
 * reasoning text, so a `reasoning_effort` only shows as reasoning tokens in usage.
 */
function chatScenario(request: Record<string, unknown>, messages: readonly ChatMessageLike[]): ScenarioOutcome {
  const last = messages[messages.length - 1] as (ChatMessageLike & { tool_call_id?: unknown }) | undefined;
  const tools = Array.isArray(request.tools) ? (request.tools as Array<{ function?: { name?: unknown } }>) : [];
  return scenarioOutcome({
    lastUserText: lastUserText(messages),
    toolResultText: last?.role === "tool" ? textOfContent(last.content) : null,
    toolNames: tools.map((t) => String(t.function?.name ?? "")),
    wantsReasoning: false,
  });
}

function textOfContent(content: unknown): string {
  if (typeof content === "string") return content;
  return Array.isArray(content) ? content.map((p) => (typeof (p as { text?: unknown })?.text === "string" ? (p as { text: string }).text : "")).join(" ") : "";
}

function wantsReasoning(request: Record<string, unknown>): boolean {
  return typeof request.reasoning_effort === "string" && request.reasoning_effort !== "none";
}

function toolCallId(): string {
  return `call_${randomBytes(12).toString("base64url").replace(/[-_]/g, "x")}`;
}

function usageFor(model: string, messages: readonly ChatMessageLike[], reply: string, n: number, reasoningRequested = false): Usage {
  const prompt = promptTokens(messages);
  const special = model === MOCK_MODELS.reasoningCached;
  const reasoning = special ? 7 : reasoningRequested ? REASONING_TOKENS : 0;
  const completion = countTokens(reply) * n + reasoning;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: special ? Math.floor(prompt / 2) : 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: reasoning, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function readJson(req: http.IncomingMessage): Promise<{ ok: true; value: unknown } | { ok: false }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString("utf8")) };
  } catch {
    return { ok: false };
  }
}

function bearerKey(req: http.IncomingMessage): string | null {
  const match = /^Bearer\s+(\S.*)$/i.exec(req.headers.authorization ?? "");
  return match?.[1]?.trim() ?? null;
}

async function streamCompletion(
  res: http.ServerResponse,
  record: MockUpstreamRequest,
  request: Record<string, unknown>,
  messages: ChatMessageLike[],
  reply: string,
  n: number,
  chunkDelayMs: number,
  outcome: ScenarioOutcome,
): Promise<void> {
  const model = request.model as string;
  const includeUsage = (request.stream_options as { include_usage?: unknown } | null | undefined)?.include_usage === true;
  const base = { id: completionId(), object: "chat.completion.chunk", created: Math.floor(Date.now() / 1000), model, service_tier: "default", system_fingerprint: "fp_mock" };
  // With include_usage the real API puts `"usage": null` on every chunk but the last.
  const usageField = includeUsage ? { usage: null } : {};
  const send = (choices: unknown[], extra: Record<string, unknown> = usageField) => {
    res.write(`data: ${JSON.stringify({ ...base, choices, ...extra })}\n\n`);
  };
  const indexes = Array.from({ length: n }, (_, i) => i);

  res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", connection: "keep-alive" });
  if (outcome.kind === "tool_call") {
    // OpenAI's order: role chunk (content null), the call's id + name with empty arguments, then argument pieces.
    send([{ index: 0, delta: { role: "assistant", content: null, refusal: null }, logprobs: null, finish_reason: null }]);
    send([{ index: 0, delta: { tool_calls: [{ index: 0, id: toolCallId(), type: "function", function: { name: outcome.toolName, arguments: "" } }] }, logprobs: null, finish_reason: null }]);
    for (const piece of argumentPieces(outcome.arguments)) send([{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: piece } }] }, logprobs: null, finish_reason: null }]);
    send([{ index: 0, delta: {}, logprobs: null, finish_reason: "tool_calls" }]);
    if (includeUsage) send([], { usage: usageFor(model, messages, JSON.stringify(outcome.arguments), 1, wantsReasoning(request)) });
    res.end("data: [DONE]\n\n");
    return;
  }
  send(indexes.map((index) => ({ index, delta: { role: "assistant", content: "", refusal: null }, logprobs: null, finish_reason: null })));
  for (const piece of streamPieces(reply)) {
    if (chunkDelayMs > 0) await delay(chunkDelayMs);
    if (record.closedEarly) return;
    send(indexes.map((index) => ({ index, delta: { content: piece }, logprobs: null, finish_reason: null })));
  }
  send(indexes.map((index) => ({ index, delta: {}, logprobs: null, finish_reason: "stop" })));
  if (includeUsage) send([], { usage: usageFor(model, messages, reply, n, wantsReasoning(request)) });
  res.end("data: [DONE]\n\n");
}

async function handleChatCompletions(req: http.IncomingMessage, res: http.ServerResponse, record: MockUpstreamRequest, opts: MockUpstreamOptions, chatCount: { value: number }): Promise<void> {
  const presented = bearerKey(req);
  if (!presented) {
    return sendJson(res, 401, errorBody("You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).", "invalid_request_error"));
  }
  if (opts.apiKey !== undefined && presented !== opts.apiKey) {
    return sendJson(res, 401, errorBody("Incorrect API key provided.", "invalid_request_error", null, "invalid_api_key"));
  }
  const parsed = await readJson(req);
  if (!parsed.ok) {
    return sendJson(res, 400, errorBody("We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly.)", "invalid_request_error"));
  }
  record.body = parsed.value;
  const invalid = validateChatRequest(parsed.value);
  if (invalid) return sendJson(res, 400, errorBody(invalid.message, "invalid_request_error", invalid.param, invalid.code));

  const request = parsed.value as Record<string, unknown>;
  const requestedModel = request.model as string;
  chatCount.value += 1;
  const model: string = opts.faultFor?.(chatCount.value) ?? requestedModel;
  if (model === MOCK_MODELS.hang) return;
  if (model === MOCK_MODELS.resetBeforeFirstByte) {
    res.socket?.destroy();
    return;
  }
  if (model === MOCK_MODELS.malformedJson) {
    res.writeHead(200, { "content-type": "application/json" });
    res.end('{"id": "chatcmpl-broken", "choices": [');
    return;
  }
  if (model === MOCK_MODELS.unprocessable) {
    return sendJson(res, 422, { detail: [{ type: "extra_forbidden", loc: ["body", "some_field"], msg: "Extra inputs are not permitted" }] });
  }
  if (model === MOCK_MODELS.resetAfterFirstByte) {
    res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" });
    const base = { id: completionId(), object: "chat.completion.chunk", created: Math.floor(Date.now() / 1000), model: requestedModel, system_fingerprint: "fp_mock" };
    res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { role: "assistant", content: "Partial" }, logprobs: null, finish_reason: null }] })}\n\n`);
    // Give the first chunk time to leave before the reset, like a real mid-stream crash.
    await delay(20);
    res.socket?.destroy();
    return;
  }
  if (model === MOCK_MODELS.rateLimit) {
    return sendJson(
      res,
      429,
      errorBody(`Rate limit reached for ${model} in organization org-mock on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s.`, "requests", null, "rate_limit_exceeded"),
      { "retry-after": "20", "x-ratelimit-limit-requests": "3", "x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "20s" },
    );
  }
  if (model === MOCK_MODELS.serverError) {
    return sendJson(res, 500, errorBody("The server had an error while processing your request. Sorry about that!", "server_error"));
  }

  const messages = request.messages as ChatMessageLike[];
  const outcome = chatScenario(request, messages);
  const reply = outcome.kind === "text" ? outcome.text : replyFor(messages);
  const n = typeof request.n === "number" ? request.n : 1;
  if (request.stream === true) {
    const chunkDelay = model === MOCK_MODELS.slowStream ? opts.slowChunkDelayMs ?? 200 : 0;
    return streamCompletion(res, record, request, messages, reply, n, chunkDelay, outcome);
  }
  if (outcome.kind === "tool_call") {
    const args = JSON.stringify(outcome.arguments);
    return sendJson(res, 200, {
      id: completionId(),
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model,
      choices: [{ index: 0, message: { role: "assistant", content: null, tool_calls: [{ id: toolCallId(), type: "function", function: { name: outcome.toolName, arguments: args } }], refusal: null, annotations: [] }, logprobs: null, finish_reason: "tool_calls" }],
      usage: usageFor(model, messages, args, 1, wantsReasoning(request)),
      service_tier: "default",
      system_fingerprint: "fp_mock",
    });
  }
  sendJson(res, 200, {
    id: completionId(),
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model,
    choices: Array.from({ length: n }, (_, index) => ({
      index,
      message: { role: "assistant", content: reply, refusal: null, annotations: [] },
      logprobs: null,
      finish_reason: "stop",
    })),
    usage: usageFor(model, messages, reply, n, wantsReasoning(request)),
    service_tier: "default",
    system_fingerprint: "fp_mock",
  });
}

export async function startMockOpenAIUpstream(opts: MockUpstreamOptions = {}): Promise<MockUpstream> {
  const requests: MockUpstreamRequest[] = [];
  const chatCount = { value: 0 };
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const record: MockUpstreamRequest = { method: req.method ?? "GET", path, headers: req.headers, body: undefined, closedEarly: false };
    requests.push(record);
    res.once("close", () => {
      if (!res.writableFinished) record.closedEarly = true;
    });
    const route = `${req.method} ${path}`;
    const work =
      route === "POST /v1/chat/completions"
        ? handleChatCompletions(req, res, record, opts, chatCount)
        : Promise.resolve(sendJson(res, 404, errorBody(`Invalid URL (${req.method} ${path})`, "invalid_request_error")));
    work.catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, errorBody(`mock upstream bug: ${String(error)}`, "server_error"));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = opts.host && opts.host !== "0.0.0.0" && opts.host !== "::" ? opts.host : "127.0.0.1";
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}/v1`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function portFromArgs(argv: readonly string[]): number {
  const index = argv.indexOf("--port");
  const raw = index >= 0 ? argv[index + 1] : process.env.MOCK_OPENAI_PORT;
  const port = raw === undefined ? 9001 : Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --port ${raw}`);
  return port;
}

const isScript = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isScript) {
  const mock = await startMockOpenAIUpstream({ port: portFromArgs(process.argv), host: process.env.MOCK_OPENAI_HOST });
  console.log(`mock openai upstream listening on ${mock.url}`);
  const stop = () => void mock.close().then(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
