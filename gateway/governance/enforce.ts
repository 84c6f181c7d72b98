// Governance around one upstream attempt: evaluate, reserve before sending, settle after.
//
//   const decision = await enforcer.admit(request, limits);   // before sending
//   ... send; on provider choice failure: await enforcer.release(reservation)
//   await enforcer.settle(reservation, actualUsageOf(counts, prices))   // after, always
//
// Settle takes whatever usage is known: the final usage of a complete response, or, for a
// cancelled or failed stream, the tokens seen so far (the input plus the partial output;
// estimateTokensFromText on the relayed text when the provider sent no usage) — partial
// output is billed (PRODUCT §5.7). Release is only for requests that never reached a
// provider, because it also gives the request back to the requests-per-window counters.
//
// Overshoot bound. reserve() admits a request only if, for every limit at once,
//   settled usage + open reservations + this estimate ≤ limit.
// Let T be the moment of the last successful reservation. At T the committed amount is
// ≤ limit; afterwards only settlements change it, each by (actual − estimate) of a request
// still open at T. Hence, for every budget and token limit:
//   final usage ≤ limit + Σ over requests in flight at T of max(0, actual − estimate).
// When every estimate is an upper bound (max_tokens set, input not undercounted) the
// overshoot is zero; the only other slack is the sub-nano-dollar rounding of cost.ts.
import { costOf, type TokenCounts } from "../../lib/pricing/cost";
import type { ModelPrices } from "../../lib/pricing/price-table";
import type { GovernanceCounters, SettleOutcome, SettleReading } from "./counters";
import type { CounterItemOptions } from "./counter-items";
import { evaluate } from "./evaluate";
import { decisionForExceeded, unavailableDecision } from "./rejections";
import type { ActualUsage, CounterItem, Decision, GovernanceLimits, GovernanceRequest, ItemUsage, Reservation } from "./types";

export interface EnforcerOptions extends CounterItemOptions {
  readonly counters: GovernanceCounters;
  /** Injected for tests; defaults to the wall clock. */
  readonly clock?: () => Date;
}

export interface Enforcer {
  admit(request: GovernanceRequest, limits: GovernanceLimits, now?: Date): Promise<Decision>;
  settle(reservation: Reservation, actual: ActualUsage, now?: Date): Promise<SettleOutcome>;
  /** settle(), answering the counters' values right after it (for budget alerts). */
  settleAndRead(reservation: Reservation, actual: ActualUsage, now?: Date): Promise<SettleReading>;
  release(reservation: Reservation, now?: Date): Promise<SettleOutcome>;
  /**
   * Read-only usage of counter items (never reserves): routing's usage variables and the
   * explain endpoint. Throws when the counters are unreachable; callers decide what that means.
   */
  usage(items: readonly CounterItem[], now?: Date): Promise<ItemUsage[]>;
}

export function createEnforcer(options: EnforcerOptions): Enforcer {
  const { counters } = options;
  const clock = options.clock ?? (() => new Date());
  return {
    async admit(request, limits, now = clock()) {
      const evaluation = evaluate(request, limits, { now, ...(options.concurrencyLeaseMs === undefined ? {} : { concurrencyLeaseMs: options.concurrencyLeaseMs }) });
      if (evaluation.kind !== "reserve") return evaluation;
      const result = await counters.reserve(evaluation.items, now);
      switch (result.status) {
        case "reserved":
          return { kind: "allow", reservation: result.reservation, degraded: result.reservation.degraded };
        case "exceeded": {
          const item = evaluation.items[result.failedIndex];
          if (!item) throw new Error(`counters reported item ${result.failedIndex} of ${evaluation.items.length}`);
          return decisionForExceeded(item, result.usage, request.provider, now);
        }
        case "unavailable":
          return unavailableDecision(result.reason);
      }
    },
    settle: (reservation, actual, now = clock()) => counters.settle(reservation, actual, now),
    settleAndRead: (reservation, actual, now = clock()) => counters.settleAndRead(reservation, actual, now),
    release: (reservation, now = clock()) => counters.release(reservation, now),
    usage: (items, now = clock()) => counters.usage(items, now),
  };
}

/** Settlement input from token counts: the cost as billed, and every token counted once. */
export function actualUsageOf(counts: TokenCounts, prices: ModelPrices): ActualUsage {
  return { costUsd: costOf(counts, prices).totalUsd, tokens: Math.max(0, counts.input) + Math.max(0, counts.output) };
}
