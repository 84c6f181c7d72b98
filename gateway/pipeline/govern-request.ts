// Step 5 — govern (reserve), once per attempt: estimate what the request can cost on this
// target (input estimate plus output bounded by max_tokens), then reserve it on every budget
// and rate limit that applies (key, user, team, customer, model, provider) in one atomic
// step. A key / team / customer refusal becomes the GatewayError the client sees (402 / 429
// + retry-after / 403 / 503). A provider over its own limit is not a refusal: it comes back
// as `excluded` and routing moves on to the next target (PRODUCT S2). The reservation is
// settled or released by step 7, whatever happens in between.
import { applicableLimits } from "../governance/applicable-limits";
import { rejectionError } from "../governance/decision-errors";
import type { Enforcer } from "../governance/enforce";
import { estimateReservation, type ReservationEstimate } from "../governance/estimate";
import type { ConfiguredBudget } from "../governance/limit-catalog";
import type { BudgetLimit, GovernanceLimits, GovernanceRequest, ProviderExcludedDecision, Reservation } from "../governance/types";
import type { ConfigSnapshot } from "../config/snapshot";
import type { AuthenticatedKey } from "./authenticate";
import type { ChatRequest } from "./decode-chat-request";
import type { ResolvedTarget } from "./resolved-target";

export interface Admission {
  readonly reservation: Reservation;
  /** Counters were unreachable and fail-open let the request through unchecked. */
  readonly degraded: boolean;
  /** What was reserved, with the prices that bill the request afterwards. */
  readonly estimate: ReservationEstimate;
  /** When it was admitted: the window its counters belong to. */
  readonly admittedAt: Date;
  /** The budget rows this attempt counts against, for alerts after the settle. */
  readonly budgets: readonly ConfiguredBudget[];
}

export interface GovernInput {
  readonly enforcer: Enforcer;
  readonly snapshot: ConfigSnapshot;
  readonly auth: AuthenticatedKey;
  readonly target: ResolvedTarget;
  readonly request: ChatRequest;
}

/** The budget rows behind the applicable limits (same objects, see LimitCatalog.budgetByLimit). */
function configuredBudgets(limits: readonly BudgetLimit[], snapshot: ConfigSnapshot): ConfiguredBudget[] {
  const budgets: ConfiguredBudget[] = [];
  for (const limit of limits) {
    const budget = snapshot.limits.budgetByLimit.get(limit);
    if (budget) budgets.push(budget);
  }
  return budgets;
}

export type GovernOutcome = { readonly kind: "admitted"; readonly admission: Admission } | { readonly kind: "excluded"; readonly decision: ProviderExcludedDecision };

export async function governRequest(input: GovernInput): Promise<GovernOutcome> {
  const { enforcer, snapshot, auth, target, request } = input;
  const now = new Date();
  const estimate = estimateReservation(
    {
      provider: target.provider.name,
      providerType: target.provider.type,
      model: target.model,
      // Each client API's decoder fills these (Anthropic, Responses and Gemini name the output
      // bound their own way).
      promptBytes: request.estimate.promptBytes,
      maxOutputTokens: request.estimate.maxOutputTokens,
    },
    { priceOverrides: snapshot.pricing, now },
  );
  const governed: GovernanceRequest = {
    keyId: auth.key.id,
    teamId: auth.team?.id ?? null,
    customerId: auth.customer?.id ?? null,
    userId: auth.key.userId,
    provider: target.provider.name,
    model: target.model,
    estimatedInputTokens: estimate.inputTokens,
    maxOutputTokens: estimate.outputTokens,
    estimatedCostNanoUsd: estimate.costNanoUsd,
  };
  const applicable = applicableLimits(governed, snapshot.limits.index);
  const limits: GovernanceLimits = {
    key: {
      id: auth.key.id,
      name: auth.key.name,
      // Authentication already refused revoked keys; evaluate() checks `active` again.
      active: auth.key.active && auth.key.revokedAt === null,
      expiresAt: auth.key.expiresAt,
      allowedModels: auth.key.allowedModels,
      allowedProviders: auth.key.allowedProviders,
    },
    ...applicable,
  };
  const decision = await enforcer.admit(governed, limits, now);
  switch (decision.kind) {
    case "allow":
      return { kind: "admitted", admission: { reservation: decision.reservation, degraded: decision.degraded, estimate, admittedAt: now, budgets: configuredBudgets(applicable.budgets, snapshot) } };
    case "reject":
      throw rejectionError(decision);
    case "providerExcluded":
      return { kind: "excluded", decision };
  }
}
