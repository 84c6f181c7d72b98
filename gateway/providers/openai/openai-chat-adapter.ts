// Provider adapter for the OpenAI Chat Completions wire format (PRODUCT §3.1), shared by every
// OpenAI-compatible provider type through `createOpenAIChatAdapter` (DESIGN: a factory for the
// OpenAI-compatible ones). Providers with stricter dialects (Mistral) pass a `dialect` that
// rewrites the body; everything changed or dropped is recorded in the TransformLog.
import { GatewayError, gatewayErrors } from "../../errors";
import type {
  CanonicalMessage,
  CanonicalRequest,
  CanonicalResponse,
  CanonicalStreamEvent,
  CanonicalUsage,
  ContentBlock,
  StopReason,
  TransformLog,
} from "../../formats/canonical";
import { createSseDecoder, SSE_DONE } from "../../transport/sse";
import type { ProviderAdapter, StreamDecoder, UpstreamHttpRequest, UpstreamTarget } from "../types";

type Json = Record<string, unknown>;

/** Hooks for OpenAI-compatible providers whose API differs from OpenAI's. */
export interface OpenAIChatDialect {
  /** Rewrites the finished body (rename / drop fields the provider rejects), recording each change. */
  adjustBody?(body: Json, request: CanonicalRequest, transforms: TransformLog): void;
  /** Default base URL when the provider has none configured. */
  readonly defaultBaseUrl?: string;
  /** URL, auth headers and body `model` for providers not at `{base}/chat/completions` with a Bearer key (Azure). */
  endpoint?(target: UpstreamTarget): OpenAIChatEndpoint;
  /** Stream chunks that carry only provider metadata and must not start the message (Azure's content-filter preamble). */
  ignoreChunk?(chunk: Json): boolean;
}

export interface OpenAIChatEndpoint {
  readonly url: URL;
  /** Replace the default `authorization: Bearer` header. */
  readonly authHeaders: Readonly<Record<string, string>>;
  readonly model: string;
}

export interface OpenAIChatAdapterOptions {
  readonly id: string;
  /** null: the type has no public endpoint, a provider without base_url is a configuration error. */
  readonly defaultBaseUrl: string | null;
  readonly dialect?: OpenAIChatDialect;
}

function joinUrl(base: string, path: string): URL {
  return new URL(`${base.replace(/\/+$/, "")}${path}`);
}

function textOf(blocks: readonly ContentBlock[]): string {
  return blocks.map((b) => (b.type === "text" ? b.text : "")).join("");
}

function imagePart(block: Extract<ContentBlock, { type: "image" }>): Json {
  const url = block.source.kind === "url" ? block.source.url : `data:${block.source.mediaType};base64,${block.source.data}`;
  return { type: "image_url", image_url: { url, ...(block.detail ? { detail: block.detail } : {}) } };
}

/** One canonical turn → one or more OpenAI messages (tool results become `tool` messages). */
function toOpenAIMessages(message: CanonicalMessage, index: number, transforms: TransformLog, mapId: (id: string) => string): Json[] {
  const out: Json[] = [];
  if (message.role === "system") {
    out.push({ role: "system", content: textOf(message.content) });
    return out;
  }
  if (message.role === "assistant") {
    const text = textOf(message.content);
    const toolCalls = message.content.flatMap((b) =>
      b.type === "tool_use" ? [{ id: mapId(b.id), type: "function", function: { name: b.name, arguments: b.inputJson ?? JSON.stringify(b.input ?? {}) } }] : [],
    );
    if (message.content.some((b) => b.type === "thinking" || b.type === "redacted_thinking")) {
      transforms.record({ param: `messages[${index}].content.thinking`, action: "dropped", reason: "the OpenAI chat format has no thinking blocks in requests" });
    }
    out.push({ role: "assistant", content: text === "" && toolCalls.length > 0 ? null : text, ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) });
    return out;
  }
  // user: tool results first (they answer the previous assistant turn), then the rest.
  const rest: Json[] = [];
  for (const block of message.content) {
    if (block.type === "tool_result") {
      const content = textOf(block.content);
      out.push({ role: "tool", tool_call_id: mapId(block.toolUseId), content: block.isError ? `Error: ${content}` : content });
      if (block.content.some((b) => b.type === "image")) transforms.record({ param: `messages[${index}].tool_result.image`, action: "dropped", reason: "OpenAI tool messages carry text only" });
    } else if (block.type === "text") rest.push({ type: "text", text: block.text });
    else if (block.type === "image") rest.push(imagePart(block));
  }
  if (rest.length > 0) {
    const onlyText = rest.every((p) => p.type === "text");
    out.push({ role: "user", content: onlyText ? rest.map((p) => p.text as string).join("\n") : rest, ...(message.name ? { name: message.name } : {}) });
  }
  return out;
}

/** Anthropic-style thinking / effort → OpenAI reasoning_effort. */
function reasoningEffort(request: CanonicalRequest): string | undefined {
  const r = request.reasoning;
  if (!r) return undefined;
  if (r.effort) return r.effort === "max" || r.effort === "xhigh" ? "high" : r.effort;
  if (r.mode === "disabled") return undefined;
  if (r.mode === "enabled" && r.budgetTokens !== undefined) return r.budgetTokens >= 16_000 ? "high" : r.budgetTokens >= 4_000 ? "medium" : "low";
  if (r.mode === "adaptive" || r.mode === "enabled") return "medium";
  return undefined;
}

export function buildOpenAIChatBody(request: CanonicalRequest, model: string, transforms: TransformLog, mapId: (id: string) => string): Json {
  const messages: Json[] = [];
  if (request.system.length > 0) messages.push({ role: "system", content: request.system.map((b) => b.text).join("\n\n") });
  request.messages.forEach((m, i) => messages.push(...toOpenAIMessages(m, i, transforms, mapId)));
  const body: Json = { model, messages };
  if (request.stream) {
    body.stream = true;
    // Without it OpenAI sends no usage on streams, and the request could not be billed.
    body.stream_options = { include_usage: true };
  }
  if (request.maxTokens !== undefined) body.max_completion_tokens = request.maxTokens;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.topK !== undefined) transforms.record({ param: "top_k", action: "dropped", from: request.topK, reason: "OpenAI chat has no top_k" });
  if (request.stop && request.stop.length > 0) body.stop = [...request.stop];
  if (request.seed !== undefined) body.seed = request.seed;
  if (request.presencePenalty !== undefined) body.presence_penalty = request.presencePenalty;
  if (request.frequencyPenalty !== undefined) body.frequency_penalty = request.frequencyPenalty;
  if (request.user !== undefined) body.user = request.user;
  if (request.tools.length > 0) {
    body.tools = request.tools.map((t) => ({
      type: "function",
      function: { name: t.name, ...(t.description ? { description: t.description } : {}), parameters: t.parameters, ...(t.strict !== undefined ? { strict: t.strict } : {}) },
    }));
  }
  const choice = request.toolChoice;
  if (choice) {
    body.tool_choice = choice.type === "auto" ? "auto" : choice.type === "any" ? "required" : choice.type === "none" ? "none" : { type: "function", function: { name: choice.name } };
    if (choice.type !== "none" && choice.disableParallel && request.tools.length > 0) body.parallel_tool_calls = false;
  }
  const effort = reasoningEffort(request);
  if (effort !== undefined) {
    body.reasoning_effort = effort;
    if (request.reasoning?.mode) transforms.record({ param: "thinking", action: "changed", from: request.reasoning.mode, to: `reasoning_effort=${effort}`, reason: "OpenAI chat expresses thinking as reasoning_effort" });
  }
  if (request.responseFormat) {
    const f = request.responseFormat;
    body.response_format = f.type === "json_schema" ? { type: "json_schema", json_schema: { name: f.name, schema: f.schema, ...(f.strict !== undefined ? { strict: f.strict } : {}) } } : { type: f.type };
  }
  for (const [api, fields] of Object.entries(request.extensions)) {
    for (const [param, value] of Object.entries(fields ?? {})) transforms.record({ param, action: "dropped", from: value, reason: `no OpenAI chat equivalent (${api} parameter)` });
  }
  const hasCacheControl = request.system.some((b) => b.cacheControl) || request.messages.some((m) => m.content.some((b) => "cacheControl" in b && b.cacheControl)) || request.tools.some((t) => t.cacheControl);
  if (hasCacheControl) transforms.record({ param: "cache_control", action: "dropped", reason: "OpenAI caches prompts automatically; no cache_control field" });
  return body;
}

function stopReasonOf(finish: unknown): StopReason {
  switch (finish) {
    case "length":
      return "max_tokens";
    case "tool_calls":
    case "function_call":
      return "tool_use";
    case "content_filter":
      return "content_filter";
    default:
      return "end_turn";
  }
}

function usageOf(raw: unknown): CanonicalUsage | null {
  if (raw === null || typeof raw !== "object") return null;
  const u = raw as Json;
  const details = (u.prompt_tokens_details ?? {}) as Json;
  const completion = (u.completion_tokens_details ?? {}) as Json;
  const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : 0);
  return { input: num(u.prompt_tokens), output: num(u.completion_tokens), cacheRead: num(details.cached_tokens), cacheWrite: 0, reasoning: num(completion.reasoning_tokens) };
}

/**
 * Message content as text and reasoning. OpenAI sends a string; Mistral's reasoning models
 * send parts: {type:"text"} and {type:"thinking", thinking:[{type:"text"}]}.
 */
function contentParts(content: unknown): { text: string; thinking: string } {
  if (typeof content === "string") return { text: content, thinking: "" };
  let text = "";
  let thinking = "";
  if (Array.isArray(content)) {
    for (const part of content as Json[]) {
      if (part?.type === "text" && typeof part.text === "string") text += part.text;
      else if (part?.type === "thinking") {
        const inner = part.thinking;
        if (typeof inner === "string") thinking += inner;
        else if (Array.isArray(inner)) for (const t of inner as Json[]) if (typeof t?.text === "string") thinking += t.text;
      }
    }
  }
  return { text, thinking };
}

function parseArguments(text: string): { input: unknown; inputJson?: string } {
  if (text.trim() === "") return { input: {} };
  try {
    return { input: JSON.parse(text) };
  } catch {
    return { input: {}, inputJson: text };
  }
}

export function createOpenAIChatAdapter(options: OpenAIChatAdapterOptions): ProviderAdapter {
  const dialect = options.dialect ?? {};
  // Client ids go upstream as they are; a dialect that must rewrite them does it in adjustBody.
  const toUpstreamId = (id: string) => id;
  const fromUpstreamId = (id: string) => id;

  return {
    id: options.id,
    wireApi: "openai_chat",

    buildRequest(request: CanonicalRequest, target: UpstreamTarget, transforms: TransformLog): UpstreamHttpRequest {
      const endpoint = dialect.endpoint?.(target);
      const body = buildOpenAIChatBody(request, endpoint?.model ?? target.model, transforms, toUpstreamId);
      dialect.adjustBody?.(body, request, transforms);
      const base = target.provider.baseUrl ?? dialect.defaultBaseUrl ?? options.defaultBaseUrl;
      if (!endpoint && !base) throw gatewayErrors.providerBaseUrlMissing(target.provider.name, options.id);
      return {
        url: endpoint?.url ?? joinUrl(base as string, "/chat/completions"),
        method: "POST",
        headers: { ...target.provider.headers, "content-type": "application/json", ...(endpoint?.authHeaders ?? { authorization: `Bearer ${target.key.secret}` }) },
        body: JSON.stringify(body),
      };
    },

    parseResponse(body: unknown): CanonicalResponse {
      const b = body as Json;
      const choice = Array.isArray(b?.choices) ? (b.choices[0] as Json | undefined) : undefined;
      const message = choice?.message as Json | undefined;
      if (!message) throw gatewayErrors.upstreamBadResponse(options.id, "no choices[0].message in the response");
      const content: ContentBlock[] = [];
      const parts = contentParts(message.content);
      const reasoning = (typeof message.reasoning_content === "string" ? message.reasoning_content : typeof message.reasoning === "string" ? message.reasoning : "") + parts.thinking;
      if (reasoning !== "") content.push({ type: "thinking", thinking: reasoning });
      if (parts.text !== "") content.push({ type: "text", text: parts.text });
      for (const call of Array.isArray(message.tool_calls) ? (message.tool_calls as Json[]) : []) {
        const fn = (call.function ?? {}) as Json;
        content.push({ type: "tool_use", id: fromUpstreamId(String(call.id ?? "")), name: String(fn.name ?? ""), ...parseArguments(String(fn.arguments ?? "")) });
      }
      return {
        id: String(b.id ?? ""),
        model: String(b.model ?? ""),
        content,
        stopReason: stopReasonOf(choice?.finish_reason),
        usage: usageOf(b.usage) ?? { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 },
        created: typeof b.created === "number" ? b.created : Math.floor(Date.now() / 1000),
      };
    },

    createStreamDecoder(): StreamDecoder {
      const sse = createSseDecoder();
      let started = false;
      let nextIndex = 0;
      let open: { kind: "text" | "thinking" | "tool"; index: number; toolIndex?: number } | null = null;
      let finish: StopReason | null = null;
      let stopped = false;
      // OpenAI numbers tool calls by their own index; a new one closes the previous block.
      const openBlock = (out: CanonicalStreamEvent[], kind: "text" | "thinking" | "tool", start: CanonicalStreamEvent & { type: "block_start" } | null, toolIndex?: number) => {
        if (open) out.push({ type: "block_stop", index: open.index });
        open = { kind, index: nextIndex++, ...(toolIndex === undefined ? {} : { toolIndex }) };
        if (start) out.push({ ...start, index: open.index });
      };
      const handle = (data: string, out: CanonicalStreamEvent[]) => {
        if (data === SSE_DONE) return;
        let chunk: Json;
        try {
          chunk = JSON.parse(data) as Json;
        } catch {
          out.push({ type: "error", error: gatewayErrors.upstreamBadResponse(options.id, "a stream event is not JSON") });
          return;
        }
        if (chunk.error) {
          const e = chunk.error as Json;
          out.push({ type: "error", error: new GatewayError({ status: 502, type: String(e.type ?? "server_error"), message: String(e.message ?? "upstream error in stream"), source: "upstream", provider: options.id, retryable: true }) });
          return;
        }
        if (dialect.ignoreChunk?.(chunk)) return;
        if (!started) {
          started = true;
          out.push({ type: "message_start", id: String(chunk.id ?? ""), model: String(chunk.model ?? ""), created: typeof chunk.created === "number" ? chunk.created : Math.floor(Date.now() / 1000) });
        }
        const choice = Array.isArray(chunk.choices) ? (chunk.choices[0] as Json | undefined) : undefined;
        const delta = (choice?.delta ?? {}) as Json;
        const parts = contentParts(delta.content);
        const reasoning = (typeof delta.reasoning_content === "string" ? delta.reasoning_content : typeof delta.reasoning === "string" ? delta.reasoning : "") + parts.thinking;
        if (reasoning !== "") {
          if (open?.kind !== "thinking") openBlock(out, "thinking", { type: "block_start", index: 0, block: { type: "thinking" } });
          out.push({ type: "thinking_delta", index: open!.index, thinking: reasoning });
        }
        if (parts.text !== "") {
          if (open?.kind !== "text") openBlock(out, "text", { type: "block_start", index: 0, block: { type: "text" } });
          out.push({ type: "text_delta", index: open!.index, text: parts.text });
        }
        for (const call of Array.isArray(delta.tool_calls) ? (delta.tool_calls as Json[]) : []) {
          const toolIndex = typeof call.index === "number" ? call.index : 0;
          const fn = (call.function ?? {}) as Json;
          if (open?.kind !== "tool" || open.toolIndex !== toolIndex) {
            openBlock(out, "tool", { type: "block_start", index: 0, block: { type: "tool_use", id: fromUpstreamId(String(call.id ?? "")), name: String(fn.name ?? "") } }, toolIndex);
          }
          if (typeof fn.arguments === "string" && fn.arguments !== "") out.push({ type: "tool_args_delta", index: open!.index, partialJson: fn.arguments });
        }
        if (choice?.finish_reason) finish = stopReasonOf(choice.finish_reason);
        const usage = usageOf(chunk.usage);
        if (usage) out.push({ type: "usage", usage });
      };
      const close = (out: CanonicalStreamEvent[]) => {
        if (stopped || !started) return;
        if (open) out.push({ type: "block_stop", index: open.index });
        open = null;
        stopped = true;
        out.push({ type: "message_stop", stopReason: finish ?? "end_turn" });
      };
      return {
        push(bytes) {
          const out: CanonicalStreamEvent[] = [];
          for (const event of sse.push(bytes)) {
            if (event.data === SSE_DONE) close(out);
            else handle(event.data, out);
          }
          return out;
        },
        end() {
          const out: CanonicalStreamEvent[] = [];
          for (const event of sse.end()) handle(event.data, out);
          // No [DONE]: a provider that ends with finish_reason + usage but no sentinel still closes cleanly;
          // one that was cut before any finish_reason is an error the encoder turns into the client's error event.
          if (!stopped && started && finish === null) out.push({ type: "error", error: gatewayErrors.upstreamBadResponse(options.id, "the stream ended before its last event") });
          else close(out);
          return out;
        },
      };
    },

    parseError(status: number, bodyText: string, retryAfterSeconds: number | null): GatewayError {
      let message = bodyText.slice(0, 2_000) || `HTTP ${status}`;
      let type = status === 429 ? "rate_limit_error" : status >= 500 ? "server_error" : status === 401 ? "authentication_error" : "invalid_request_error";
      let code: string | null = null;
      try {
        const parsed = JSON.parse(bodyText) as Json;
        const e = (parsed.error ?? parsed) as Json;
        if (typeof e.message === "string") message = e.message;
        else if (typeof parsed.detail === "string") message = parsed.detail;
        else if (Array.isArray(parsed.detail)) message = JSON.stringify(parsed.detail);
        if (typeof e.type === "string") type = e.type;
        if (typeof e.code === "string") code = e.code;
      } catch {
        // Not JSON: keep the text.
      }
      return new GatewayError({
        status,
        type,
        code,
        message: `${options.id}: ${message}`,
        source: "upstream",
        provider: options.id,
        retryable: status === 429 || status >= 500 || status === 408,
        retryAfterSeconds,
      });
    },
  };
}
