// What route handlers need from the running gateway, as narrow interfaces so that
// pipeline steps can be exercised without a server.
import type { Dispatcher } from "undici";
import type { ConfigSnapshot } from "./config/snapshot";
import type { Enforcer } from "./governance/enforce";
import type { RequestLogSink } from "./logs/request-log-record";

export interface SnapshotSource {
  readonly current: ConfigSnapshot | null;
}

export interface GatewayDeps {
  snapshots: SnapshotSource;
  logs: RequestLogSink;
  /** Admits, settles and releases requests against budgets and rate limits. */
  governance: Enforcer;
  dispatcher: Dispatcher;
  maxBodyBytes: number;
  /** True when the database answers (for /ready). */
  checkDatabase(): Promise<boolean>;
  log(message: string): void;
}
