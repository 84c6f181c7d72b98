// Notify a running gateway of a config change and wait until it has reloaded a snapshot
// that includes it: the version must increase AND the load must have begun after the
// NOTIFY (a reload already in flight could bump the version without seeing the change).
import type pg from "pg";
import { notifyConfigChanged } from "./seed";
import { waitFor } from "./wait-for";

export interface ReadyBody {
  status: string;
  snapshot: { version: number; loadedAt: string } | null;
}

export function readReady(gatewayUrl: string): Promise<ReadyBody> {
  return fetch(`${gatewayUrl}/ready`).then((r) => r.json() as Promise<ReadyBody>);
}

export async function notifyAndWaitForReload(db: pg.Pool, gatewayUrl: string): Promise<ReadyBody> {
  const before = await readReady(gatewayUrl);
  const notifiedAt = Date.now();
  await notifyConfigChanged(db);
  return waitFor(
    () => readReady(gatewayUrl),
    (body) => body.snapshot !== null && body.snapshot.version > (before.snapshot?.version ?? 0) && Date.parse(body.snapshot.loadedAt) > notifiedAt,
    { what: "snapshot reload after NOTIFY config_changed" },
  );
}
