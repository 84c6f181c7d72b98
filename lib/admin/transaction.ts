// Every admin mutation runs through `mutate`: the change, its audit row and the
// `config_changed` notification commit together (PRODUCT §10), so a gateway never reloads a
// change that rolled back and no change escapes the audit log.
import { Prisma, type PrismaClient } from "../db/client";
import type { Actor } from "./actor";
import { AdminError } from "./errors";

export type Tx = Prisma.TransactionClient;

export const CONFIG_CHANGED_CHANNEL = "config_changed";
const CONFIG_CHANGED_PAYLOAD = JSON.stringify({ source: "admin-api" });

export async function mutate<T>(prisma: PrismaClient, fn: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    return await prisma.$transaction(async (tx) => {
      const result = await fn(tx);
      // NOTIFY is queued by Postgres and delivered on commit only.
      await tx.$executeRaw`SELECT pg_notify(${CONFIG_CHANGED_CHANNEL}, ${CONFIG_CHANGED_PAYLOAD})`;
      return result;
    });
  } catch (error) {
    throw translatePrismaError(error);
  }
}

/** Unique violations become 409 instead of a 500 with a driver message. */
function translatePrismaError(error: unknown): unknown {
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    if (error.code === "P2002") {
      const target = (error.meta as { target?: unknown } | undefined)?.target;
      const fields = Array.isArray(target) ? target.join(", ") : typeof target === "string" ? target : "a unique field";
      return new AdminError("conflict", `Another entry already uses the same ${fields}`);
    }
    if (error.code === "P2025") return new AdminError("not_found", "The entry no longer exists");
  }
  return error;
}

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string;
  entityName?: string | null;
  /** Secret-free snapshots (API response shapes, never hashes or secrets). */
  before?: unknown;
  after?: unknown;
}

export async function audit(tx: Tx, actor: Actor, entry: AuditEntry): Promise<void> {
  await tx.auditLog.create({
    data: {
      actorUserId: actor.userId,
      actorLabel: actor.label,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      entityName: entry.entityName ?? null,
      before: toJson(entry.before),
      after: toJson(entry.after),
    },
  });
}

// undefined / null → SQL NULL; everything else through JSON so Dates become strings.
function toJson(value: unknown): Prisma.InputJsonValue | undefined {
  if (value === undefined || value === null) return undefined;
  return JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;
}
