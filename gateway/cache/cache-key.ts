// What identifies a cached answer. The exact key hashes everything that can change the
// answer; the semantic layer embeds the conversation text and matches only within a
// "scope" that hashes everything else (model, tools, sampling, format), so a paraphrase
// may hit but a different temperature or tool list never does.
import { createHash } from "node:crypto";
import { canonicalJson } from "./canonical-json";

/**
 * Body fields that never change the answer. Everything else is in the key — a deny-list on
 * purpose: an unknown parameter that does change the output (a new sampling option) must
 * not replay another request's answer. `stream` is keyed separately (replay formats differ).
 */
const NOT_IN_KEY = new Set(["stream", "user", "metadata", "store", "safety_identifier", "prompt_cache_key", "service_tier"]);

export interface CacheKeyInput {
  /** The client API ("openai_chat", "anthropic_messages", ...): entries replay only to the same API. */
  readonly clientApi: string;
  readonly namespace: string;
  readonly stream: boolean;
  /** The parsed client body. */
  readonly body: Readonly<Record<string, unknown>>;
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

export function normalizedRequest(body: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(body)) {
    if (!NOT_IN_KEY.has(name)) out[name] = value;
  }
  return out;
}

/** Exact-layer key (also the exact entry's id): sha256 of the canonical key material. */
export function exactCacheKey(input: CacheKeyInput): string {
  return sha256(canonicalJson({ v: 1, api: input.clientApi, ns: input.namespace, stream: input.stream, request: normalizedRequest(input.body) }));
}

/**
 * Message lists live under `messages` (OpenAI chat, Anthropic), `input` (Responses) or
 * `contents` (Gemini, whose turns hold `parts`: read as content parts, `text` included).
 */
function conversationOf(body: Readonly<Record<string, unknown>>): unknown[] {
  if (Array.isArray(body.messages)) return body.messages;
  if (Array.isArray(body.input)) return body.input;
  if (typeof body.input === "string") return [{ role: "user", content: body.input }];
  if (Array.isArray(body.contents)) {
    return body.contents.map((turn) => {
      const record = turn !== null && typeof turn === "object" ? (turn as Record<string, unknown>) : {};
      const { parts, ...rest } = record;
      return { ...rest, role: typeof record.role === "string" ? record.role : "user", content: parts };
    });
  }
  return [];
}

export function messageCount(body: Readonly<Record<string, unknown>>): number {
  return conversationOf(body).length;
}

function isSystemMessage(message: unknown): boolean {
  if (message === null || typeof message !== "object") return false;
  const role = (message as Record<string, unknown>).role;
  return role === "system" || role === "developer";
}

/** Text of a content value: a string, or the text parts of a content-part array. */
function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return content === undefined || content === null ? "" : canonicalJson(content);
  return content
    .map((part) => {
      if (part !== null && typeof part === "object" && typeof (part as Record<string, unknown>).text === "string") return (part as Record<string, unknown>).text as string;
      return canonicalJson(part);
    })
    .join("\n");
}

export interface SemanticKeyParts {
  /** What is embedded: the conversation, one "role: text" line per message. */
  readonly text: string;
  /** Hash of everything that must match exactly for a semantic hit to be valid. */
  readonly scope: string;
}

export function semanticKeyParts(input: CacheKeyInput, includeSystem: boolean): SemanticKeyParts {
  const conversation = conversationOf(input.body);
  const lines: string[] = [];
  const kept: unknown[] = [];
  for (const message of conversation) {
    if (!includeSystem && isSystemMessage(message)) continue;
    const record = message !== null && typeof message === "object" ? (message as Record<string, unknown>) : {};
    const role = typeof record.role === "string" ? record.role : "user";
    lines.push(`${role}: ${contentText(record.content)}`);
    // Tool calls and tool results are structure, not prose: they stay in the exact scope.
    const { content: _content, ...structure } = record;
    kept.push(structure);
  }
  const rest = normalizedRequest(input.body);
  delete rest.messages;
  delete rest.input;
  delete rest.contents;
  const scope = sha256(canonicalJson({ v: 1, api: input.clientApi, ns: input.namespace, stream: input.stream, request: rest, structure: kept }));
  return { text: lines.join("\n"), scope };
}
