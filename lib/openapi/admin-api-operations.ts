// Every admin REST route (the keys of lib/rbac/route-permissions.ts) with the zod schemas of
// its query, body and answer — the single source of the OpenAPI document (build-document.ts).
// lib/openapi/openapi.test.ts fails when a route has no entry here (and the RBAC matrix test
// fails when a route on disk has no permission), so a new route cannot ship undocumented.
import { z } from "zod";
import { alertsQuerySchema } from "../alerts/alerts-query";
import { budgetPeriodResponseSchema, budgetResponseSchema, budgetsQuerySchema, createBudgetInputSchema, createRateLimitInputSchema, rateLimitResponseSchema, rateLimitsQuerySchema, updateBudgetInputSchema, updateRateLimitInputSchema } from "../validation/admin-limits";
import { createCustomerInputSchema, customerResponseSchema, updateCustomerInputSchema } from "../validation/admin-customers";
import { createProviderInputSchema, createProviderKeyInputSchema, providerKeyResponseSchema, providerResponseSchema, testProviderInputSchema, testProviderResultSchema, updateProviderInputSchema, updateProviderKeyInputSchema } from "../validation/admin-providers";
import { createRoutingRuleInputSchema, explainRequestInputSchema, reorderRoutingRulesInputSchema, routingRuleResponseSchema, updateRoutingRuleInputSchema } from "../validation/admin-routing-rules";
import { createTeamInputSchema, teamMemberInputSchema, teamMemberResponseSchema, teamResponseSchema, updateTeamInputSchema } from "../validation/admin-teams";
import { invitationResponseSchema, inviteUserInputSchema, userResponseSchema } from "../validation/admin-users";
import { createVirtualKeyInputSchema, rotateVirtualKeyInputSchema, updateVirtualKeyInputSchema, virtualKeyResponseSchema, virtualKeyWithSecretResponseSchema } from "../validation/admin-virtual-keys";
import {
  acknowledgeAlertResponseSchema,
  alertResponseSchema,
  apiLogDetailSchema,
  auditFacetsSchema,
  auditPageSchema,
  cacheInvalidationResultSchema,
  cacheStatsSchema,
  chatCompletionPassthroughSchema,
  liveTokenSchema,
  logsPageSchema,
  routeExplanationSchema,
  usageReportSchema,
} from "../validation/api-responses";
import { auditQuerySchema } from "../validation/audit";
import { cacheClearQuerySchema, cacheStatsQuerySchema } from "../validation/cache";
import { logsExportQuerySchema, logsQuerySchema } from "../validation/logs";
import { pricingOverrideInputSchema, pricingOverrideResponseSchema } from "../validation/pricing";
import { settingsResponseSchema, settingsUpdateSchema } from "../validation/settings";
import { usageQuerySchema } from "../validation/usage";

export interface AdminOperation {
  readonly summary: string;
  readonly tag: string;
  readonly query?: z.ZodType;
  readonly body?: z.ZodType;
  /** The JSON answer; `data`-wrapped unless `unwrapped`. */
  readonly response: z.ZodType;
  readonly unwrapped?: boolean;
  /** A non-JSON answer (CSV, SSE) described by its media type. */
  readonly mediaType?: "text/csv" | "text/event-stream";
  readonly status?: 200 | 201;
}

const list = (schema: z.ZodType) => z.array(schema);

export const ADMIN_API_OPERATIONS: Readonly<Record<string, AdminOperation>> = {
  "POST /api/v1/alerts/[id]/acknowledge": { tag: "Budgets", summary: "Acknowledge a budget alert", response: acknowledgeAlertResponseSchema, unwrapped: true },
  "GET /api/v1/alerts": { tag: "Budgets", summary: "Budget threshold alerts, newest first", query: alertsQuerySchema, response: list(alertResponseSchema) },
  "POST /api/v1/audit-log/[id]/revert": { tag: "Audit", summary: "Roll back one change of a routing rule or virtual key (an update is undone, a creation deleted / revoked)", response: z.strictObject({ reverted: z.strictObject({ audit_id: z.string(), entity_type: z.string(), entity_id: z.string(), action: z.string() }), entity: z.looseObject({}) }) },
  "GET /api/v1/audit-log/facets": { tag: "Audit", summary: "Entity types and actions present in the audit log", response: auditFacetsSchema },
  "GET /api/v1/audit-log": { tag: "Audit", summary: "Every admin change, newest first (keyset paging)", query: auditQuerySchema, response: auditPageSchema, unwrapped: true },
  "GET /api/v1/budgets/[id]/history": { tag: "Budgets", summary: "Usage of past windows", response: list(budgetPeriodResponseSchema) },
  "POST /api/v1/budgets/[id]/reset": { tag: "Budgets", summary: "Reset the current window's usage", response: budgetResponseSchema },
  "GET /api/v1/budgets/[id]": { tag: "Budgets", summary: "One budget with its current usage", response: budgetResponseSchema },
  "PATCH /api/v1/budgets/[id]": { tag: "Budgets", summary: "Change limits or alert thresholds", body: updateBudgetInputSchema, response: budgetResponseSchema },
  "DELETE /api/v1/budgets/[id]": { tag: "Budgets", summary: "Delete a budget", response: budgetResponseSchema },
  "GET /api/v1/budgets": { tag: "Budgets", summary: "Budgets with current-window usage and reset time", query: budgetsQuerySchema, response: list(budgetResponseSchema) },
  "POST /api/v1/budgets": { tag: "Budgets", summary: "Create a budget", body: createBudgetInputSchema, response: budgetResponseSchema, status: 201 },
  "DELETE /api/v1/cache/entries/[id]": { tag: "Cache", summary: "Drop one cached answer on every replica", response: cacheInvalidationResultSchema },
  "GET /api/v1/cache": { tag: "Cache", summary: "Hits, misses and savings per namespace", query: cacheStatsQuerySchema, response: cacheStatsSchema },
  "DELETE /api/v1/cache": { tag: "Cache", summary: "Clear a namespace", query: cacheClearQuerySchema, response: cacheInvalidationResultSchema },
  "GET /api/v1/customers/[id]": { tag: "Customers", summary: "One customer", response: customerResponseSchema },
  "PATCH /api/v1/customers/[id]": { tag: "Customers", summary: "Update a customer", body: updateCustomerInputSchema, response: customerResponseSchema },
  "DELETE /api/v1/customers/[id]": { tag: "Customers", summary: "Delete a customer", response: customerResponseSchema },
  "GET /api/v1/customers": { tag: "Customers", summary: "Customers", response: list(customerResponseSchema) },
  "POST /api/v1/customers": { tag: "Customers", summary: "Create a customer", body: createCustomerInputSchema, response: customerResponseSchema, status: 201 },
  "GET /api/v1/logs/[id]": { tag: "Logs", summary: "One request log with attempts, transformations, cost breakdown and bodies", response: apiLogDetailSchema },
  "GET /api/v1/logs/export.csv": { tag: "Logs", summary: "The search as CSV (up to 100,000 rows)", query: logsExportQuerySchema, response: z.string(), mediaType: "text/csv" },
  "GET /api/v1/logs/live-token": { tag: "Logs", summary: "A 5-minute token for the gateway's live-log socket", response: liveTokenSchema },
  "GET /api/v1/logs": { tag: "Logs", summary: "Search request logs, newest first (keyset paging; 7 days without from)", query: logsQuerySchema, response: logsPageSchema, unwrapped: true },
  "POST /api/v1/playground/chat": { tag: "Playground", summary: "Relay a chat completion through the gateway with the key in x-switchyard-virtual-key", body: z.looseObject({ model: z.string(), messages: z.array(z.looseObject({})) }), response: chatCompletionPassthroughSchema, unwrapped: true },
  "DELETE /api/v1/pricing/[id]": { tag: "Pricing", summary: "Delete a price override", response: pricingOverrideResponseSchema },
  "GET /api/v1/pricing": { tag: "Pricing", summary: "Price overrides", response: list(pricingOverrideResponseSchema) },
  "POST /api/v1/pricing": { tag: "Pricing", summary: "Create or replace a price override", body: pricingOverrideInputSchema, response: pricingOverrideResponseSchema },
  "PATCH /api/v1/providers/[id]/keys/[keyId]": { tag: "Providers", summary: "Update a provider key", body: updateProviderKeyInputSchema, response: providerKeyResponseSchema },
  "DELETE /api/v1/providers/[id]/keys/[keyId]": { tag: "Providers", summary: "Delete a provider key", response: providerKeyResponseSchema },
  "GET /api/v1/providers/[id]/keys": { tag: "Providers", summary: "A provider's keys (values never returned)", response: list(providerKeyResponseSchema) },
  "POST /api/v1/providers/[id]/keys": { tag: "Providers", summary: "Add a key (stored encrypted)", body: createProviderKeyInputSchema, response: providerKeyResponseSchema, status: 201 },
  "GET /api/v1/providers/[id]": { tag: "Providers", summary: "One provider", response: providerResponseSchema },
  "PATCH /api/v1/providers/[id]": { tag: "Providers", summary: "Update a provider", body: updateProviderInputSchema, response: providerResponseSchema },
  "DELETE /api/v1/providers/[id]": { tag: "Providers", summary: "Delete a provider", response: providerResponseSchema },
  "POST /api/v1/providers/[id]/test": { tag: "Providers", summary: "Test the connection with a real call", body: testProviderInputSchema, response: testProviderResultSchema },
  "GET /api/v1/providers": { tag: "Providers", summary: "Providers", response: list(providerResponseSchema) },
  "POST /api/v1/providers": { tag: "Providers", summary: "Create a provider", body: createProviderInputSchema, response: providerResponseSchema, status: 201 },
  "GET /api/v1/rate-limits/[id]": { tag: "Budgets", summary: "One rate limit", response: rateLimitResponseSchema },
  "PATCH /api/v1/rate-limits/[id]": { tag: "Budgets", summary: "Update a rate limit", body: updateRateLimitInputSchema, response: rateLimitResponseSchema },
  "DELETE /api/v1/rate-limits/[id]": { tag: "Budgets", summary: "Delete a rate limit", response: rateLimitResponseSchema },
  "GET /api/v1/rate-limits": { tag: "Budgets", summary: "Rate limits", query: rateLimitsQuerySchema, response: list(rateLimitResponseSchema) },
  "POST /api/v1/rate-limits": { tag: "Budgets", summary: "Create a rate limit", body: createRateLimitInputSchema, response: rateLimitResponseSchema, status: 201 },
  "GET /api/v1/routing-rules/[id]": { tag: "Routing", summary: "One routing rule", response: routingRuleResponseSchema },
  "PATCH /api/v1/routing-rules/[id]": { tag: "Routing", summary: "Update a rule (a CEL condition that does not compile is a 400 with its position)", body: updateRoutingRuleInputSchema, response: routingRuleResponseSchema },
  "DELETE /api/v1/routing-rules/[id]": { tag: "Routing", summary: "Delete a rule", response: routingRuleResponseSchema },
  "POST /api/v1/routing-rules/reorder": { tag: "Routing", summary: "Set the priorities of rules in one scope", body: reorderRoutingRulesInputSchema, response: list(routingRuleResponseSchema) },
  "GET /api/v1/routing-rules": { tag: "Routing", summary: "Routing rules by scope and priority", response: list(routingRuleResponseSchema) },
  "POST /api/v1/routing-rules": { tag: "Routing", summary: "Create a rule", body: createRoutingRuleInputSchema, response: routingRuleResponseSchema, status: 201 },
  "POST /api/v1/routing/explain": { tag: "Routing", summary: "Which rule, targets and fallbacks a described request would take, and why", body: explainRequestInputSchema, response: routeExplanationSchema, unwrapped: true },
  "GET /api/v1/settings": { tag: "Settings", summary: "Dashboard-editable settings (secrets write-only)", response: settingsResponseSchema },
  "PUT /api/v1/settings": { tag: "Settings", summary: "Update settings", body: settingsUpdateSchema, response: settingsResponseSchema },
  "GET /api/v1/teams/[id]/members": { tag: "Teams", summary: "A team's members and roles", response: list(teamMemberResponseSchema) },
  "POST /api/v1/teams/[id]/members": { tag: "Teams", summary: "Add a member or change their role", body: teamMemberInputSchema, response: teamMemberResponseSchema },
  "DELETE /api/v1/teams/[id]/members": { tag: "Teams", summary: "Remove a member (?user=email or id)", query: z.strictObject({ user: z.string() }), response: teamMemberResponseSchema },
  "GET /api/v1/teams/[id]": { tag: "Teams", summary: "One team", response: teamResponseSchema },
  "PATCH /api/v1/teams/[id]": { tag: "Teams", summary: "Update a team", body: updateTeamInputSchema, response: teamResponseSchema },
  "DELETE /api/v1/teams/[id]": { tag: "Teams", summary: "Delete a team", response: teamResponseSchema },
  "GET /api/v1/teams": { tag: "Teams", summary: "Teams", response: list(teamResponseSchema) },
  "POST /api/v1/teams": { tag: "Teams", summary: "Create a team", body: createTeamInputSchema, response: teamResponseSchema, status: 201 },
  "GET /api/v1/usage": { tag: "Usage", summary: "Aggregates per time bucket and one dimension, from the rollups (format=csv for CSV)", query: usageQuerySchema, response: usageReportSchema, unwrapped: true },
  "POST /api/v1/users/[id]/invite": { tag: "Users", summary: "Re-send an invitation (a new one-time link)", response: invitationResponseSchema },
  "GET /api/v1/users": { tag: "Users", summary: "Dashboard users with role, status and teams", response: list(userResponseSchema) },
  "POST /api/v1/users": { tag: "Users", summary: "Invite a user (answers a one-time link)", body: inviteUserInputSchema, response: invitationResponseSchema, status: 201 },
  "POST /api/v1/virtual-keys/[id]/rotate": { tag: "Virtual keys", summary: "A new secret (shown once), the old one valid for an optional grace period", body: rotateVirtualKeyInputSchema, response: virtualKeyWithSecretResponseSchema },
  "GET /api/v1/virtual-keys/[id]": { tag: "Virtual keys", summary: "One virtual key", response: virtualKeyResponseSchema },
  "PATCH /api/v1/virtual-keys/[id]": { tag: "Virtual keys", summary: "Update a key", body: updateVirtualKeyInputSchema, response: virtualKeyResponseSchema },
  "DELETE /api/v1/virtual-keys/[id]": { tag: "Virtual keys", summary: "Revoke a key", response: virtualKeyResponseSchema },
  "GET /api/v1/virtual-keys": { tag: "Virtual keys", summary: "Virtual keys (secrets never returned)", response: list(virtualKeyResponseSchema) },
  "POST /api/v1/virtual-keys": { tag: "Virtual keys", summary: "Create a key (the secret is in this answer only)", body: createVirtualKeyInputSchema, response: virtualKeyWithSecretResponseSchema, status: 201 },
  "GET /api/v1/openapi.json": { tag: "Meta", summary: "This document", response: z.looseObject({ openapi: z.string() }), unwrapped: true },
};
