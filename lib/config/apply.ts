// Applies a validated config document to the database (PRODUCT §9.2): an idempotent upsert
// by natural names in one transaction, so a half-applied file is never visible. Entities the
// file does not mention are left alone. Each created or updated entity gets one audit row;
// unchanged ones get none, so re-applying a file reports (and writes) nothing.
import type { PrismaClient } from "../db/client";
import type { ConfigDocument } from "../validation/config";
import { ApplyContext, type ApplySummary } from "./apply-steps/context";
import { applyCustomer, applyTeam } from "./apply-steps/customers-and-teams";
import { applyModelAliases } from "./apply-steps/model-aliases";
import { applyModelLimits } from "./apply-steps/model-limits";
import { applyPricing, applyProvider } from "./apply-steps/providers";
import { applyRoutingRule } from "./apply-steps/routing-rules";
import { pruneUnmentioned } from "./apply-steps/prune";
import { applySettings } from "./apply-steps/settings";
import { applyVirtualKey } from "./apply-steps/virtual-keys";
import type { SecretRefs } from "./secret-refs";

export type { ApplySummary, ConfigChange, ConfigKind, GeneratedVirtualKey, KindCounts } from "./apply-steps/context";
export { CONFIG_KINDS, ConfigApplyError } from "./apply-steps/context";

export interface ApplyOptions {
  /** Written to audit_logs.actor_label; defaults to "config-apply". */
  readonly actor?: string;
  /** Which provider key values came from `${VAR}` (from loadConfigFile / parseConfigText). */
  readonly secretRefs?: SecretRefs;
  /** Run everything, report the changes, then roll back: nothing is written, nobody is notified. */
  readonly dryRun?: boolean;
  /** Also delete what the file does not mention (apply-steps/prune.ts). */
  readonly prune?: boolean;
}

/** Carries a dry run's summary out of the transaction it rolls back. */
class DryRunRollback extends Error {
  constructor(readonly summary: ApplySummary) {
    super("dry run");
  }
}

export const CONFIG_CHANGED_CHANNEL = "config_changed";

// A large file runs a few queries per entity; Prisma's 5 s default would cut it short.
const TRANSACTION_TIMEOUT_MS = 120_000;

export async function applyConfig(
  prisma: PrismaClient,
  document: ConfigDocument,
  options: ApplyOptions = {},
): Promise<ApplySummary> {
  const secretRefs = options.secretRefs ?? new Map<string, string>();
  try {
    return await applyInTransaction(prisma, document, options, secretRefs);
  } catch (error) {
    if (error instanceof DryRunRollback) return error.summary;
    throw error;
  }
}

function applyInTransaction(prisma: PrismaClient, document: ConfigDocument, options: ApplyOptions, secretRefs: SecretRefs): Promise<ApplySummary> {
  return prisma.$transaction(
    async (tx) => {
      const ctx = new ApplyContext(tx, options.actor ?? "config-apply");
      // Order matters: each step may refer to names created by the ones before it.
      for (const customer of document.customers ?? []) await applyCustomer(ctx, customer);
      for (const team of document.teams ?? []) await applyTeam(ctx, team);
      for (const provider of document.providers ?? []) await applyProvider(ctx, provider, secretRefs);
      for (const pricing of document.pricing ?? []) await applyPricing(ctx, pricing);
      for (const key of document.virtual_keys ?? []) await applyVirtualKey(ctx, key);
      for (const model of document.models ?? []) await applyModelLimits(ctx, model);
      for (const rule of document.routing_rules ?? []) await applyRoutingRule(ctx, rule);
      if (document.model_aliases !== undefined) await applyModelAliases(ctx, document.model_aliases);
      await applySettings(ctx, document.settings, options.prune ?? false);
      if (options.prune) await pruneUnmentioned(ctx, document);

      const summary = ctx.summary();
      // The exact changes a real apply would make, then nothing of it kept.
      if (options.dryRun) throw new DryRunRollback(summary);
      // Delivered on commit only, so gateways never reload a configuration that rolled back.
      // Nothing changed, nothing to reload.
      if (summary.changes > 0) {
        await tx.$executeRaw`SELECT pg_notify(${CONFIG_CHANGED_CHANNEL}, ${JSON.stringify({ source: "config-apply" })})`;
      }
      return summary;
    },
    { timeout: TRANSACTION_TIMEOUT_MS, maxWait: 10_000 },
  );
}
