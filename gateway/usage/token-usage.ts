// Token counts by kind, read from an OpenAI `usage` object (JSON body or last SSE chunk).

export interface TokenUsage {
  /** prompt_tokens, cached ones included. */
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  /** Part of `output` spent on reasoning (completion_tokens_details.reasoning_tokens). */
  reasoning: number;
}

export const NO_USAGE: TokenUsage = Object.freeze({ input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 });

function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

function field(obj: unknown, name: string): unknown {
  return obj !== null && typeof obj === "object" ? (obj as Record<string, unknown>)[name] : undefined;
}

/** Returns null when `usage` is absent or not an object (streams without include_usage). */
export function readOpenAIUsage(usage: unknown): TokenUsage | null {
  if (usage === null || typeof usage !== "object" || Array.isArray(usage)) return null;
  return {
    input: count(field(usage, "prompt_tokens")),
    output: count(field(usage, "completion_tokens")),
    cacheRead: count(field(field(usage, "prompt_tokens_details"), "cached_tokens")),
    cacheWrite: 0,
    reasoning: count(field(field(usage, "completion_tokens_details"), "reasoning_tokens")),
  };
}
