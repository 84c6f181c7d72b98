// Watches an OpenAI chat SSE stream as it is relayed and keeps only two things: the last
// `usage` seen (the final chunk when the client asked for stream_options.include_usage) and
// how many characters of output were relayed. The bytes themselves are never held; only
// the SSE decoder's unfinished tail is.
//
// The character count exists for streams that end without a usage chunk (the client did
// not ask for it, disconnected, or the upstream failed mid-stream): their output is still
// billed, estimated from the text relayed so far (PRODUCT §5.7: partial output counts).
import { createSseDecoder, SSE_DONE, type SseEvent } from "../transport/sse";
import { readOpenAIUsage, type TokenUsage } from "./token-usage";

// Skip JSON.parse for events that cannot carry what we read.
const HAS_USAGE_OBJECT = /"usage"\s*:\s*\{/;
const HAS_DELTA = /"delta"\s*:/;

export interface StreamUsageWatcher {
  push(chunk: Uint8Array): void;
  /** Usage reported by the stream so far (null until a usage chunk arrived). */
  readonly usage: TokenUsage | null;
  /** Characters of content, reasoning and tool-call arguments relayed so far. */
  readonly outputChars: number;
  finish(): TokenUsage | null;
}

function record(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

function textLength(value: unknown): number {
  return typeof value === "string" ? value.length : 0;
}

function deltaChars(choices: unknown): number {
  if (!Array.isArray(choices)) return 0;
  let chars = 0;
  for (const choice of choices) {
    const delta = record(record(choice)?.delta);
    if (!delta) continue;
    chars += textLength(delta.content) + textLength(delta.reasoning_content) + textLength(delta.refusal);
    if (Array.isArray(delta.tool_calls)) {
      for (const call of delta.tool_calls) {
        const fn = record(record(call)?.function);
        chars += textLength(fn?.name) + textLength(fn?.arguments);
      }
    }
  }
  return chars;
}

export function createStreamUsageWatcher(): StreamUsageWatcher {
  const decoder = createSseDecoder();
  let usage: TokenUsage | null = null;
  let outputChars = 0;

  function inspect(event: SseEvent): void {
    if (event.data === SSE_DONE) return;
    const hasUsage = HAS_USAGE_OBJECT.test(event.data);
    if (!hasUsage && !HAS_DELTA.test(event.data)) return;
    try {
      const parsed = record(JSON.parse(event.data));
      if (!parsed) return;
      outputChars += deltaChars(parsed.choices);
      if (hasUsage) usage = readOpenAIUsage(parsed.usage) ?? usage;
    } catch {
      // A malformed event is the client's problem to see; accounting just skips it.
    }
  }

  return {
    push(chunk) {
      for (const event of decoder.push(chunk)) inspect(event);
    },
    get usage() {
      return usage;
    },
    get outputChars() {
      return outputChars;
    },
    finish() {
      for (const event of decoder.end()) inspect(event);
      return usage;
    },
  };
}
