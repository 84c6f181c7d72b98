// Step 7 — settle, once per attempt: swap the attempt's reservation for what the provider
// actually produced, on every counter it reserved on. Runs after every admitted attempt,
// whatever happened:
// - the attempt failed and the provider produced nothing (error status, reset or timeout
//   before the first byte) → release, which also gives the request back to the
//   requests-per-window counters: the next target reserves for itself;
// - otherwise → settle with the billable usage: the provider's usage when it reported one,
//   else the partial output relayed before a disconnect or failure (usage-meter.ts).
// The billed usage and cost go on the trace for the log record and never depend on the
// counters being reachable. The settle answers the counters' values right after it, and
// every budget the attempt counted against is reported to the alert monitor with them
// (fire-and-forget; nothing crossed = no I/O).
import { nanoToUsd } from "../../lib/pricing/usd-units";
import type { BudgetObserver } from "../alerts/alert-monitor";
import { budgetObservations } from "../alerts/budget-observations";
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

/** @param answered whether this attempt's response went to the client (success or a stream cut short). */
export interface SettleDeps {
  readonly governance: Enforcer;
  readonly alerts: BudgetObserver;
  log(message: string): void;
}

export async function settleUsage(deps: SettleDeps, admission: Admission, meter: UsageMeter, answered: boolean, trace: RequestTrace): Promise<void> {
  const { governance: enforcer, alerts, log } = deps;
  try {
    const billable = billableUsage(meter, admission.estimate.inputTokens);
    if (!answered && billable === null) {
      await enforcer.release(admission.reservation);
      return;
    }
    const usage = billable?.usage ?? NO_USAGE;
    const cost = priceUsage(usage, admission.estimate.prices);
    trace.usage = billable ? usage : trace.usage;
    trace.usageEstimated = billable?.estimated ?? false;
    trace.cost = cost.breakdown;
    const reading = await enforcer.settleAndRead(admission.reservation, { costUsd: nanoToUsd(cost.totalNanoUsd), tokens: usage.input + usage.output });
    if (reading.outcome === "unavailable") trace.governance = "degraded";
    if (reading.after !== null) {
      for (const observation of budgetObservations(admission.budgets, admission.reservation, reading.after, admission.admittedAt)) alerts.observe(observation);
    }
  } catch (error) {
    // The response is already out; a counters failure must not turn into a request failure.
    log(`request ${trace.id}: governance settle failed: ${(error as Error)?.stack ?? String(error)}`);
  }
}
