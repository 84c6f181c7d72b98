// The writer's contract without a database: batching, retry with the rows kept, bounded
// drops, and a drain on close(). A scripted fake pool stands in for pg.
import type pg from "pg";
import { describe, expect, it } from "vitest";
import { requestLogRows, type SqlStatement } from "./insert-statements";
import { LogWriter } from "./log-writer";
import { logRecord } from "./log-record-fixture";

interface FakePool {
  pool: pg.Pool;
  committedIds: string[];
  failNext: number;
}

function fakePool(): FakePool {
  const state: FakePool = { pool: undefined as unknown as pg.Pool, committedIds: [], failNext: 0 };
  let pendingIds: string[] = [];
  const client = {
    async query(arg: string | { text: string; values: unknown[] }) {
      const text = typeof arg === "string" ? arg : arg.text;
      if (text === "BEGIN") {
        pendingIds = [];
        if (state.failNext > 0) {
          state.failNext -= 1;
          throw new Error("connection refused");
        }
      } else if (text === "COMMIT") {
        state.committedIds.push(...pendingIds);
      } else if (text.startsWith("INSERT INTO request_logs") && typeof arg !== "string") {
        for (const row of requestLogRows(arg as SqlStatement)) pendingIds.push(String(row.id));
      }
      return { rows: [] };
    },
    on() {},
    off() {},
    release() {},
  };
  state.pool = { connect: async () => client } as unknown as pg.Pool;
  return state;
}

const record = (n: number) => logRecord({ id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}` });

describe("LogWriter", () => {
  it("flushes queued rows in batches", async () => {
    const fake = fakePool();
    const writer = new LogWriter({ pool: fake.pool, flushIntervalMs: 60_000, batchSize: 2, log: () => {} });
    for (let i = 1; i <= 5; i++) writer.enqueue(record(i));
    await writer.flush();
    expect(fake.committedIds).toHaveLength(5);
    expect(writer.pending).toBe(0);
    await writer.close();
  });

  it("keeps rows after a failed flush and writes them on the next one", async () => {
    const fake = fakePool();
    const messages: string[] = [];
    const writer = new LogWriter({ pool: fake.pool, flushIntervalMs: 60_000, log: (m) => messages.push(m) });
    fake.failNext = 1;
    writer.enqueue(record(1));
    await writer.flush();
    expect(fake.committedIds).toEqual([]);
    expect(writer.pending).toBe(1);
    expect(messages[0]).toContain("connection refused");
    await writer.flush();
    expect(fake.committedIds).toEqual([record(1).id]);
    await writer.close();
  });

  it("drops a row only after maxAttempts failed flushes", async () => {
    const fake = fakePool();
    const messages: string[] = [];
    const writer = new LogWriter({ pool: fake.pool, flushIntervalMs: 60_000, maxAttempts: 3, log: (m) => messages.push(m) });
    fake.failNext = 3;
    writer.enqueue(record(1));
    for (let i = 0; i < 3; i++) await writer.flush();
    expect(writer.pending).toBe(0);
    expect(messages.at(-1)).toContain("dropped 1 rows");
    await writer.close();
  });

  it("bounds the queue, dropping the oldest rows", async () => {
    const fake = fakePool();
    const writer = new LogWriter({ pool: fake.pool, flushIntervalMs: 60_000, maxQueuedRows: 3, log: () => {} });
    fake.failNext = 100;
    for (let i = 1; i <= 5; i++) writer.enqueue(record(i));
    expect(writer.pending).toBe(3);
    fake.failNext = 0;
    await writer.flush();
    expect(fake.committedIds).toEqual([record(3).id, record(4).id, record(5).id]);
    await writer.close();
  });

  it("flushes on its timer without being asked", async () => {
    const fake = fakePool();
    const writer = new LogWriter({ pool: fake.pool, flushIntervalMs: 20, log: () => {} });
    writer.enqueue(record(1));
    const deadline = Date.now() + 2_000;
    while (fake.committedIds.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(fake.committedIds).toEqual([record(1).id]);
    await writer.close();
  });

  it("drains on close(), retrying a transient failure", async () => {
    const fake = fakePool();
    const writer = new LogWriter({ pool: fake.pool, flushIntervalMs: 60_000, log: () => {} });
    fake.failNext = 2;
    writer.enqueue(record(1));
    writer.enqueue(record(2));
    await writer.close();
    expect(fake.committedIds).toEqual([record(1).id, record(2).id]);
  });
});
