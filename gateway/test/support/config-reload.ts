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
  // Every change the caller made is committed by now.
  const notifiedAt = Date.now();
  await notifyConfigChanged(db);
  let lastNotify = Date.now();
  return waitFor(
    async () => {
      // loadedAt has millisecond resolution: a reload that was already running when we
      // notified can start within the same millisecond as notifiedAt and still be
      // coalesced with ours. Notifying again after a quiet second makes the wait
      // converge without weakening what it proves (the safety reload is off in tests).
      if (Date.now() - lastNotify > 1_000) {
        await notifyConfigChanged(db);
        lastNotify = Date.now();
      }
      return readReady(gatewayUrl);
    },
    (body) =>
      body.snapshot !== null &&
      body.snapshot.version > (before.snapshot?.version ?? 0) &&
      Date.parse(body.snapshot.loadedAt) > notifiedAt,
    { what: "snapshot reload after NOTIFY config_changed" },
  );
}
