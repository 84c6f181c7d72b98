// Deterministic content and special models of the mock OpenAI upstream. Tests name a
// special model to trigger a behaviour; any other model echoes the last user message.

export const MOCK_MODELS = {
  /** 429 with OpenAI's rate-limit body and headers. */
  rateLimit: "mock-rate-limit",
  /** 500 with OpenAI's server_error body. */
  serverError: "mock-server-error",
  /** Streams one word every `slowChunkDelayMs` (for abort and TTFT tests). */
  slowStream: "mock-slow-stream",
  /** Reports cached prompt tokens and reasoning tokens in usage. */
  reasoningCached: "mock-reasoning-cached",
  /** Reads the request and never answers (until the client gives up): a first-byte timeout. */
  hang: "mock-hang",
  /** Resets the connection before sending anything. */
  resetBeforeFirstByte: "mock-reset",
  /** Streams headers and the first chunk, then resets the connection. */
  resetAfterFirstByte: "mock-reset-mid-stream",
  /** 200 with a body that is not JSON. */
  malformedJson: "mock-malformed-json",
  /** 422 as a strict OpenAI-compatible server answers a field it rejects. */
  unprocessable: "mock-unprocessable",
} as const;

export type MockBehaviourModel = (typeof MOCK_MODELS)[keyof typeof MOCK_MODELS];

export interface ChatMessageLike {
  role?: unknown;
  content?: unknown;
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => (part !== null && typeof part === "object" && typeof (part as { text?: unknown }).text === "string" ? (part as { text: string }).text : ""))
      .join(" ");
  }
  return "";
}

export function lastUserText(messages: readonly ChatMessageLike[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (message?.role === "user") return textOf(message.content);
  }
  return "";
}

/** The reply: `Echo: <last user message>`, so tests can assert exact content. */
export function replyFor(messages: readonly ChatMessageLike[]): string {
  return `Echo: ${lastUserText(messages)}`;
}

/** A stable token estimate: words + 1 per message, so usage is predictable in tests. */
export function countTokens(text: string): number {
  const words = text.trim().split(/\s+/).filter(Boolean).length;
  return Math.max(words, 1);
}

export function promptTokens(messages: readonly ChatMessageLike[]): number {
  return messages.reduce((sum, m) => sum + countTokens(textOf(m.content)) + 3, 0);
}

/** Splits the reply into stream deltas: one word (with its leading space) per chunk. */
export function streamPieces(reply: string): string[] {
  return reply.match(/\s*\S+/g) ?? [reply];
}
