// Step 7 — settle: swap the reservation for what the request actually used, on every
// counter it reserved on. Runs after every admitted request, whatever happened:
// - nothing reached a provider (no attempt: bad provider config, no key) → release, which
//   also gives the request back to the requests-per-window counters;
// - otherwise → settle with the billable usage: the provider's usage when it reported one,
//   else the partial output relayed before a disconnect or failure (usage-meter.ts).
// The billed usage and cost go on the trace for the log record and never depend on the
// counters being reachable.
import { nanoToUsd } from "../../lib/pricing/usd-units";
import type { Enforcer } from "../governance/enforce";
import { priceUsage, type RequestCost } from "../usage/pricing";
import { NO_USAGE } from "../usage/token-usage";
import { billableUsage, type UsageMeter } from "../usage/usage-meter";
import type { Admission } from "./govern-request";
import type { RequestTrace } from "./request-trace";

/** The cost of what the meter holds so far (also the relays' cost header / trailer). */
export function billMeter(meter: UsageMeter, admission: Admission): RequestCost {
  const billable = billableUsage(meter, admission.estimate.inputTokens);
  return priceUsage(billable?.usage ?? NO_USAGE, admission.estimate.prices);
}

export async function settleUsage(enforcer: Enforcer, admission: Admission, meter: UsageMeter, trace: RequestTrace, log: (message: string) => void): Promise<void> {
  try {
    if (trace.attempts.length === 0) {
      await enforcer.release(admission.reservation);
      return;
    }
    const billable = billableUsage(meter, admission.estimate.inputTokens);
    const usage = billable?.usage ?? NO_USAGE;
    const cost = priceUsage(usage, admission.estimate.prices);
    trace.usage = billable ? usage : trace.usage;
    trace.usageEstimated = billable?.estimated ?? false;
    trace.cost = cost.breakdown;
    const outcome = await enforcer.settle(admission.reservation, { costUsd: nanoToUsd(cost.totalNanoUsd), tokens: usage.input + usage.output });
    if (outcome === "unavailable") trace.governance = "degraded";
  } catch (error) {
    // The response is already out; a counters failure must not turn into a request failure.
    log(`request ${trace.id}: governance settle failed: ${(error as Error)?.stack ?? String(error)}`);
  }
}
