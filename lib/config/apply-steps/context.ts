// State shared by the steps of one `applyConfig` run: the transaction, the names → ids of
// what has been written so far, the summary being built and the audit trail.
import type { Prisma } from "../../db/client";
import { sameSnapshot, type Snapshot } from "./snapshot";

export type Tx = Prisma.TransactionClient;

export const CONFIG_KINDS = [
  "customers",
  "teams",
  "providers",
  "provider_keys",
  "pricing",
  "virtual_keys",
  "models",
  "routing_rules",
  "model_aliases",
  "settings",
] as const;
export type ConfigKind = (typeof CONFIG_KINDS)[number];

export interface KindCounts {
  created: number;
  updated: number;
  unchanged: number;
  /** Only with prune: entities the file does not mention. */
  deleted: number;
}

export interface GeneratedVirtualKey {
  readonly name: string;
  /** The only time this secret exists outside the client that receives it. */
  readonly secret: string;
}

/** One entity the apply creates, updates or (with --prune) deletes: what --dry-run prints. */
export interface ConfigChange {
  readonly kind: ConfigKind;
  readonly name: string;
  readonly action: "create" | "update" | "delete";
  /** For updates: the top-level fields whose values differ. */
  readonly fields: readonly string[];
}

export interface ApplySummary {
  readonly counts: Record<ConfigKind, KindCounts>;
  /** Every change in apply order (deletes last). */
  readonly changeList: readonly ConfigChange[];
  /** Created + updated entities, all kinds together. */
  readonly changes: number;
  readonly generatedKeys: readonly GeneratedVirtualKey[];
  readonly warnings: readonly string[];
  /**
   * One line for logs, e.g. `3 created, 1 updated, 5 unchanged`. It includes generated
   * virtual key secrets, because this is the only time they can be shown.
   */
  readonly text: string;
}

/** Audit `entity_type` per kind. */
const AUDIT_ENTITY: Record<ConfigKind, string> = {
  customers: "customer",
  teams: "team",
  providers: "provider",
  provider_keys: "provider_key",
  pricing: "model_pricing",
  virtual_keys: "virtual_key",
  models: "model_limits",
  routing_rules: "routing_rule",
  model_aliases: "model_aliases",
  settings: "settings",
};

export class ApplyContext {
  readonly customerIds = new Map<string, string>();
  readonly teamIds = new Map<string, string>();
  readonly virtualKeyIds = new Map<string, string>();
  private readonly counts = Object.fromEntries(
    CONFIG_KINDS.map((kind) => [kind, { created: 0, updated: 0, unchanged: 0, deleted: 0 }]),
  ) as Record<ConfigKind, KindCounts>;
  private readonly generatedKeys: GeneratedVirtualKey[] = [];
  private readonly changeList: ConfigChange[] = [];
  private readonly warnings: string[] = [];

  constructor(
    readonly tx: Tx,
    private readonly actor: string,
  ) {}

  /** True (and counted) when nothing would change; the caller then skips the write. */
  isUnchanged(kind: ConfigKind, before: Snapshot | null, after: Snapshot): boolean {
    if (before === null || !sameSnapshot(before, after)) return false;
    this.counts[kind].unchanged++;
    return true;
  }

  /** Counts a created or updated entity and writes its audit row. */
  async recordChange(
    kind: ConfigKind,
    entity: { id: string | null; name: string },
    before: Snapshot | null,
    after: Snapshot,
  ): Promise<void> {
    const action = before === null ? "create" : "update";
    this.counts[kind][action === "create" ? "created" : "updated"]++;
    this.changeList.push({ kind, name: entity.name, action, fields: before === null ? [] : changedFields(before, after) });
    await this.tx.auditLog.create({
      data: {
        actorLabel: this.actor,
        action,
        entityType: AUDIT_ENTITY[kind],
        entityId: entity.id,
        entityName: entity.name,
        before: before === null ? undefined : (before as Prisma.InputJsonValue),
        after: after as Prisma.InputJsonValue,
      },
    });
  }

  /** Counts a pruned entity and writes its audit row (the caller deletes it). */
  async recordDelete(kind: ConfigKind, entity: { id: string | null; name: string }, before: unknown): Promise<void> {
    this.counts[kind].deleted++;
    this.changeList.push({ kind, name: entity.name, action: "delete", fields: [] });
    await this.tx.auditLog.create({
      data: {
        actorLabel: this.actor,
        action: "delete",
        entityType: AUDIT_ENTITY[kind],
        entityId: entity.id,
        entityName: entity.name,
        before: before as Prisma.InputJsonValue,
      },
    });
  }

  addGeneratedKey(key: GeneratedVirtualKey): void {
    this.generatedKeys.push(key);
  }

  warn(message: string): void {
    this.warnings.push(message);
  }

  summary(): ApplySummary {
    const total = (field: keyof KindCounts) => CONFIG_KINDS.reduce((sum, kind) => sum + this.counts[kind][field], 0);
    const deleted = total("deleted");
    const text = [
      `${total("created")} created, ${total("updated")} updated, ${total("unchanged")} unchanged${deleted > 0 ? `, ${deleted} deleted` : ""}`,
      ...this.generatedKeys.map((k) => `new virtual key "${k.name}": ${k.secret} (shown once, store it now)`),
      ...this.warnings.map((w) => `warning: ${w}`),
    ].join("; ");
    return {
      counts: this.counts,
      changeList: this.changeList,
      changes: total("created") + total("updated") + deleted,
      generatedKeys: this.generatedKeys,
      warnings: this.warnings,
      text,
    };
  }
}

function changedFields(before: Snapshot, after: Snapshot): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((key) => !sameSnapshot(before[key] ?? null, after[key] ?? null)).sort();
}

/** Thrown for problems only the database can reveal (e.g. a key's user does not exist). */
export class ConfigApplyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigApplyError";
  }
}
