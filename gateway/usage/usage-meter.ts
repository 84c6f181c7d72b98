// What a request used, as far as it is known at any moment: filled in by the relays while
// the response is under way, read by the settle step afterwards, whether the response
// completed, the client went away, or the upstream failed mid-stream.
import { estimateTokensFromChars } from "../governance/estimate";
import type { StreamUsageWatcher } from "./stream-usage-watcher";
import { NO_USAGE, type TokenUsage } from "./token-usage";

export interface UsageMeter {
  /** Usage reported by the provider (JSON body, or the stream's usage chunk). */
  reported: TokenUsage | null;
  /** Set when a successful stream started: from then on the provider bills for it. */
  stream: StreamUsageWatcher | null;
}

export interface BillableUsage {
  readonly usage: TokenUsage;
  /** True when the provider reported nothing and the tokens were estimated. */
  readonly estimated: boolean;
}

export function createUsageMeter(): UsageMeter {
  return { reported: null, stream: null };
}

/**
 * Usage to bill: what the provider reported; else, for a stream that started (cancelled,
 * cut short, or sent without include_usage), the input estimate plus the output estimated
 * from the text relayed so far; else nothing (the provider never produced output).
 */
export function billableUsage(meter: UsageMeter, estimatedInputTokens: number): BillableUsage | null {
  const reported = meter.reported ?? meter.stream?.usage ?? null;
  if (reported) return { usage: reported, estimated: false };
  if (!meter.stream) return null;
  return {
    usage: { ...NO_USAGE, input: estimatedInputTokens, output: estimateTokensFromChars(meter.stream.outputChars) },
    estimated: true,
  };
}

/** Output tokens of a stream so far, for live progress: reported when known, else estimated. */
export function streamedOutputTokens(meter: UsageMeter): number {
  const reported = meter.reported ?? meter.stream?.usage ?? null;
  if (reported) return reported.output;
  return meter.stream ? estimateTokensFromChars(meter.stream.outputChars) : 0;
}
