// Watches an OpenAI chat SSE stream as it is relayed and keeps only the last `usage`
// seen (the final chunk when the client asked for stream_options.include_usage). The
// bytes themselves are never held; only the SSE decoder's unfinished tail is.
import { createSseDecoder, SSE_DONE, type SseEvent } from "../transport/sse";
import { readOpenAIUsage, type TokenUsage } from "./token-usage";

// Content chunks are the bulk of a stream; skip JSON.parse for those that cannot carry usage.
const HAS_USAGE_OBJECT = /"usage"\s*:\s*\{/;

export interface StreamUsageWatcher {
  push(chunk: Uint8Array): void;
  finish(): TokenUsage | null;
}

export function createStreamUsageWatcher(): StreamUsageWatcher {
  const decoder = createSseDecoder();
  let usage: TokenUsage | null = null;

  function inspect(event: SseEvent): void {
    if (event.data === SSE_DONE || !HAS_USAGE_OBJECT.test(event.data)) return;
    try {
      const parsed: unknown = JSON.parse(event.data);
      if (parsed !== null && typeof parsed === "object") {
        usage = readOpenAIUsage((parsed as Record<string, unknown>).usage) ?? usage;
      }
    } catch {
      // A malformed event is the client's problem to see; accounting just skips it.
    }
  }

  return {
    push(chunk) {
      for (const event of decoder.push(chunk)) inspect(event);
    },
    finish() {
      for (const event of decoder.end()) inspect(event);
      return usage;
    },
  };
}
