// Request logs leave the hot path through an in-memory queue (DESIGN "The hot path").
// A timer flushes it every ~250 ms, or sooner once 500 rows are waiting, in one
// transaction: a multi-row INSERT into request_logs (and request_log_bodies) plus the
// usage_rollups and usage_rollup_dims upserts.
//
// Failure policy: a failed flush puts its rows back at the head of the queue and the
// timer backs off (up to 5 s). A row is dropped, loudly, only after `maxAttempts` failed
// flushes or when the queue exceeds `maxQueuedRows`, so a long database outage costs
// bounded memory rather than the process. enqueue() never throws.
import type pg from "pg";
import { insertRequestLogBodies, insertRequestLogs, upsertUsageRollupDims, upsertUsageRollups } from "./insert-statements";
import type { RequestLogRecord, RequestLogSink } from "./request-log-record";
import { aggregateRollupDims, aggregateRollups } from "./usage-rollups";

/** Why the writer lost rows: its queue overflowed, a batch exhausted its retries, or it was closed. */
export const LOG_DROP_REASONS = ["queue_full", "write_failed", "writer_closed"] as const;
export type LogDropReason = (typeof LOG_DROP_REASONS)[number];

export interface LogWriterOptions {
  pool: pg.Pool;
  flushIntervalMs?: number;
  batchSize?: number;
  maxAttempts?: number;
  maxQueuedRows?: number;
  log?: (message: string) => void;
  /** Called with every loss (the metrics count it); losses are also logged. */
  onDrop?: (rows: number, reason: LogDropReason) => void;
}

interface QueuedRow {
  record: RequestLogRecord;
  failedFlushes: number;
}

const MAX_BACKOFF_MS = 5_000;

export class LogWriter implements RequestLogSink {
  private readonly pool: pg.Pool;
  private readonly intervalMs: number;
  private readonly batchSize: number;
  private readonly maxAttempts: number;
  private readonly maxQueuedRows: number;
  private readonly log: (message: string) => void;
  private queue: QueuedRow[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private consecutiveFailures = 0;
  private closed = false;
  private readonly onDrop: NonNullable<LogWriterOptions["onDrop"]>;

  constructor(opts: LogWriterOptions) {
    this.pool = opts.pool;
    this.intervalMs = opts.flushIntervalMs ?? 250;
    this.batchSize = opts.batchSize ?? 500;
    this.maxAttempts = opts.maxAttempts ?? 10;
    this.maxQueuedRows = opts.maxQueuedRows ?? 100_000;
    this.log = opts.log ?? ((message) => console.error(message));
    this.onDrop = opts.onDrop ?? (() => {});
    this.schedule(this.intervalMs);
  }

  get pending(): number {
    return this.queue.length;
  }

  enqueue(record: RequestLogRecord): void {
    if (this.closed) {
      this.log(`log writer closed; dropping log ${record.id}`);
      this.onDrop(1, "writer_closed");
      return;
    }
    this.queue.push({ record, failedFlushes: 0 });
    if (this.queue.length > this.maxQueuedRows) {
      const dropped = this.queue.splice(0, this.queue.length - this.maxQueuedRows);
      this.log(`log queue over ${this.maxQueuedRows} rows; dropped ${dropped.length} oldest request logs`);
      this.onDrop(dropped.length, "queue_full");
    }
    if (this.queue.length >= this.batchSize && this.consecutiveFailures === 0) this.schedule(0);
  }

  /** Writes everything queued so far (one batch at a time); resolves even when writes fail. */
  async flush(): Promise<void> {
    // Chain behind a running flush so callers always observe their own rows written.
    while (this.flushing) await this.flushing;
    const target = this.queue.length;
    let written = 0;
    while (written < target && this.queue.length > 0) {
      const batch = await this.runExclusive(() => this.flushBatch());
      if (batch <= 0) return; // failed: the rows are back in the queue for the next timer
      written += batch;
    }
  }

  /** Drain: stop the timer, write everything, retrying failures until the attempt limit. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.flushing) await this.flushing;
    while (this.queue.length > 0) {
      const written = await this.runExclusive(() => this.flushBatch());
      if (written <= 0) await new Promise((resolve) => setTimeout(resolve, Math.min(250 * this.consecutiveFailures, 2_000)));
    }
  }

  private schedule(delayMs: number): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.onTimer(), delayMs);
    // The writer must never keep a finished process alive; close() drains explicitly.
    this.timer.unref();
  }

  private async onTimer(): Promise<void> {
    this.timer = null;
    if (!this.flushing && this.queue.length > 0) await this.runExclusive(() => this.flushBatch());
    const backoff = Math.min(this.intervalMs * 2 ** this.consecutiveFailures, MAX_BACKOFF_MS);
    const nextDelay = this.consecutiveFailures === 0 && this.queue.length >= this.batchSize ? 0 : backoff;
    this.schedule(nextDelay);
  }

  private async runExclusive(task: () => Promise<number>): Promise<number> {
    let result = 0;
    const running = task().then((n) => {
      result = n;
    });
    this.flushing = running;
    try {
      await running;
    } finally {
      this.flushing = null;
    }
    return result;
  }

  /** Returns rows written, 0 for an empty queue, -1 when the write failed. */
  private async flushBatch(): Promise<number> {
    const batch = this.queue.splice(0, this.batchSize);
    if (batch.length === 0) return 0;
    const records = batch.map((row) => row.record);
    let client: pg.PoolClient | null = null;
    let broken = false;
    // pg-pool drops its own error listener while a client is checked out; without this
    // one, a connection killed between two statements would crash the process.
    const onClientError = () => {
      broken = true;
    };
    try {
      client = await this.pool.connect();
      client.on("error", onClientError);
      await client.query("BEGIN");
      await client.query(insertRequestLogs(records));
      const bodies = insertRequestLogBodies(records);
      if (bodies) await client.query(bodies);
      const rollups = aggregateRollups(records);
      await client.query(upsertUsageRollups(rollups));
      await client.query(upsertUsageRollupDims(aggregateRollupDims(rollups)));
      await client.query("COMMIT");
      this.consecutiveFailures = 0;
      return batch.length;
    } catch (error) {
      // A failed ROLLBACK means the connection itself is bad: do not return it to the pool.
      if (client) await client.query("ROLLBACK").catch(() => (broken = true));
      this.consecutiveFailures += 1;
      const retry = batch.filter((row) => ++row.failedFlushes < this.maxAttempts);
      const dropped = batch.length - retry.length;
      this.queue.unshift(...retry);
      if (dropped > 0) this.onDrop(dropped, "write_failed");
      this.log(
        `request log flush failed (${batch.length} rows, attempt ${this.consecutiveFailures}): ${(error as Error).message}` +
          (dropped > 0 ? `; dropped ${dropped} rows after ${this.maxAttempts} attempts` : ""),
      );
      return -1;
    } finally {
      client?.off("error", onClientError);
      client?.release(broken);
    }
  }
}
