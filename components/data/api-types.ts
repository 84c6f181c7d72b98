// Response shapes of the admin REST API as the browser sees them. Types only: the zod
// schemas in lib/validation pull in server-side code (the CEL compiler), so the dashboard
// imports their inferred types, never the runtime schemas.
import type { z } from "zod";
import type { VirtualKeyResponse } from "@/lib/validation/admin-virtual-keys";
import type { ProviderKeyResponse, ProviderResponse, TestProviderResult } from "@/lib/validation/admin-providers";
import type { RoutingRuleResponse } from "@/lib/validation/admin-routing-rules";
import type { budgetPeriodResponseSchema, budgetResponseSchema } from "@/lib/validation/admin-limits";
import type { teamMemberResponseSchema, teamResponseSchema } from "@/lib/validation/admin-teams";

export type VirtualKey = VirtualKeyResponse;
export type VirtualKeyWithSecret = VirtualKeyResponse & { secret: string };
export type Provider = ProviderResponse;
export type ProviderKey = ProviderKeyResponse;
export type ProviderTestResult = TestProviderResult;
export type RoutingRule = RoutingRuleResponse;
export type Budget = z.output<typeof budgetResponseSchema>;
export type BudgetPeriod = z.output<typeof budgetPeriodResponseSchema>;
export type Team = z.output<typeof teamResponseSchema>;
export type TeamMember = z.output<typeof teamMemberResponseSchema>;

export interface Alert {
  id: string;
  budget_id: string;
  threshold_percent: number;
  window_start: string;
  used_usd: number | null;
  used_tokens: number | null;
  triggered_at: string;
  delivered_at: string | null;
  delivery_error: string | null;
  acknowledged_at: string | null;
  budget: { entity_type: string; entity_id: string; window: string; alignment: string; limit_usd: number | null; limit_tokens: number | null };
}

// The gateway's /admin/routing/explain answer (gateway/routing/explain.ts), repeated here
// because components may not import gateway/ (eslint boundary); only the fields shown.
export interface ExplainCandidate {
  role: "target" | "fallback";
  provider: string;
  model: string;
  weight: number;
  providerKey: string | null;
  excluded: { reason: string; detail: string } | null;
  sharePercent: number;
  keys: { name: string; weight: number; excluded: string | null }[];
}

export interface RouteExplanation {
  requestedModel: string;
  model: string;
  alias: { from: string; to: string } | null;
  source: string;
  matchedRule: { id: string; name: string; scope: string; priority: number; condition: string } | null;
  noRuleReason: string | null;
  rulesEvaluated: number;
  ruleErrors: { ruleName: string; message: string }[];
  candidates: ExplainCandidate[];
  chain: { role: "primary" | "alternate" | "fallback"; provider: string; model: string; providerKey: string | null }[];
  fallbackOn: string[];
  summary: string;
  virtualKey?: { id: string; name: string } | null;
  warnings?: string[];
}
