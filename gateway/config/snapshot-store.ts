// Holds the current ConfigSnapshot and replaces it atomically (a single reference swap)
// on NOTIFY config_changed and on a periodic safety reload. A failed reload keeps the
// last good snapshot: Postgres being down must not stop traffic (DESIGN "The hot path").
import type pg from "pg";
import { listenForConfigChanges, type NotificationListener } from "./config-change-listener";
import { loadSnapshotContents } from "./load-snapshot-contents";
import { buildSnapshot, type ConfigSnapshot } from "./snapshot";

export interface SnapshotStoreOptions {
  /** Reads the configuration tables (plain SQL, gateway/config/load-snapshot-contents.ts). */
  pool: pg.Pool;
  databaseUrl: string;
  safetyReloadMs?: number;
  log: (message: string) => void;
}

export class SnapshotStore {
  private snapshot: ConfigSnapshot | null = null;
  private version = 0;
  private inFlight: Promise<void> | null = null;
  private reloadAgain = false;
  private timer: NodeJS.Timeout | null = null;
  private listener: NotificationListener | null = null;
  private closed = false;
  private lastErrorMessage: string | null = null;

  constructor(private readonly opts: SnapshotStoreOptions) {}

  get current(): ConfigSnapshot | null {
    return this.snapshot;
  }

  get lastError(): string | null {
    return this.lastErrorMessage;
  }

  /** Loads the first snapshot (throws if it cannot), then starts listening and the safety timer. */
  async start(): Promise<void> {
    await this.loadOnce();
    this.listener = listenForConfigChanges({
      databaseUrl: this.opts.databaseUrl,
      onChange: () => void this.reload(),
      log: this.opts.log,
    });
    this.timer = setInterval(() => void this.reload(), this.opts.safetyReloadMs ?? 30_000);
    this.timer.unref();
  }

  /**
   * Coalesces bursts: a NOTIFY arriving during a load schedules exactly one more load,
   * so the final snapshot always reflects the last change.
   */
  reload(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.inFlight) {
      this.reloadAgain = true;
      return this.inFlight;
    }
    this.inFlight = (async () => {
      do {
        this.reloadAgain = false;
        try {
          await this.loadOnce();
        } catch (error) {
          this.lastErrorMessage = (error as Error).message;
          this.opts.log(`config reload failed, keeping snapshot v${this.version}: ${this.lastErrorMessage}`);
        }
      } while (this.reloadAgain && !this.closed);
    })().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private async loadOnce(): Promise<void> {
    // loadedAt is when the read began, so "loadedAt > T" means every change committed
    // before T is in the snapshot (a load that merely finished after T may predate it).
    const startedAt = new Date();
    const contents = await loadSnapshotContents(this.opts.pool, this.opts.log);
    if (this.closed) return;
    this.version += 1;
    const snapshot = buildSnapshot(contents, this.version, startedAt);
    // A rule that does not compile is left out and reported; the gateway keeps serving the others.
    for (const error of snapshot.routing.rules.errors) {
      this.opts.log(`routing rule '${error.ruleName}' skipped (${error.field}): ${error.message}`);
    }
    this.snapshot = snapshot;
    this.lastErrorMessage = null;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.listener?.close();
    await this.inFlight?.catch(() => {});
  }
}
