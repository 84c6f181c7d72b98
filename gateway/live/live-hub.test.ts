// The hub without a server: scoping, filters and the slow-consumer rule, over fake sockets.
import { describe, expect, it } from "vitest";
import { logRecord } from "../logs/log-record-fixture";
import type { RequestLogRecord } from "../logs/request-log-record";
import { compileFilters, parseLiveFilters } from "./live-filters";
import { LiveLogHub, SLOW_CONSUMER_CLOSE_CODE, type LiveSocket } from "./live-hub";

class FakeSocket implements LiveSocket {
  bufferedAmount = 0;
  readonly sent: Array<Record<string, unknown>> = [];
  closedWith: [number, string] | null = null;
  send(message: string): void {
    this.sent.push(JSON.parse(message) as Record<string, unknown>);
  }
  close(code: number, reason: string): void {
    this.closedWith = [code, reason];
  }
}

function hubWithSink(): { hub: LiveLogHub; enqueue: (record: RequestLogRecord) => void; queued: RequestLogRecord[] } {
  const hub = new LiveLogHub({ redisUrl: null, redactPatterns: [/secret-\w+/g], log: () => undefined, maxBufferedBytes: 1_000 });
  const queued: RequestLogRecord[] = [];
  const sink = hub.observingSink({ enqueue: (record) => queued.push(record) });
  return { hub, enqueue: (record) => sink.enqueue(record), queued };
}

const everything = compileFilters({});

describe("LiveLogHub", () => {
  it("still queues every record, watched or not", () => {
    const { enqueue, queued } = hubWithSink();
    enqueue(logRecord({ id: "r1" }));
    expect(queued.map((r) => r.id)).toEqual(["r1"]);
  });

  it("closes a socket that fell behind with a notice, and keeps serving the others", () => {
    const { hub, enqueue } = hubWithSink();
    const slow = new FakeSocket();
    const fast = new FakeSocket();
    hub.attach(slow, { kind: "all" }, everything);
    hub.attach(fast, { kind: "all" }, everything);
    slow.bufferedAmount = 5_000;
    enqueue(logRecord({ id: "r1" }));
    enqueue(logRecord({ id: "r2" }));
    expect(slow.sent).toEqual([expect.objectContaining({ type: "notice", code: "slow_consumer" })]);
    expect(slow.closedWith).toEqual([SLOW_CONSUMER_CLOSE_CODE, "slow consumer"]);
    expect(fast.sent.map((m) => (m.log as { id: string }).id)).toEqual(["r1", "r2"]);
    expect(hub.socketCount).toBe(1);
  });

  it("scopes by owner and team, and redacts error messages", () => {
    const { hub, enqueue } = hubWithSink();
    const member = new FakeSocket();
    const teamAdmin = new FakeSocket();
    hub.attach(member, { kind: "scoped", userId: "u1", teamIds: new Set() }, everything);
    hub.attach(teamAdmin, { kind: "scoped", userId: "u9", teamIds: new Set(["t2"]) }, everything);
    enqueue(logRecord({ id: "own", userId: "u1", teamId: "t1" }));
    enqueue(logRecord({ id: "team2", userId: "u2", teamId: "t2", status: 500, errorType: "server_error", errorMessage: "upstream said secret-abc123 is bad", errorSource: "upstream" }));
    enqueue(logRecord({ id: "nobody", userId: null, teamId: null }));
    expect(member.sent.map((m) => (m.log as { id: string }).id)).toEqual(["own"]);
    expect(teamAdmin.sent.map((m) => (m.log as { id: string }).id)).toEqual(["team2"]);
    expect((teamAdmin.sent[0]!.log as { error: { message: string } }).error.message).toBe("upstream said [REDACTED] is bad");
  });

  it("stops sending to a detached socket", () => {
    const { hub, enqueue } = hubWithSink();
    const socket = new FakeSocket();
    const subscription = hub.attach(socket, { kind: "all" }, everything);
    subscription.detach();
    enqueue(logRecord({ id: "r1" }));
    expect(socket.sent).toEqual([]);
    expect(hub.watched).toBe(false);
  });
});

describe("live filters", () => {
  const meta = { op: "end" as const, requestId: "r", teamId: "t1", userId: null, provider: "openai", models: ["gpt-4o", "fast"], virtualKeyId: "vk_1", virtualKeyName: "bot", teamName: "platform", status: 429, latencyMs: 1500 };

  it("matches lists, names or ids, status classes and latency", () => {
    expect(compileFilters(parseLiveFilters({ provider: "anthropic,openai" })).matches(meta)).toBe(true);
    expect(compileFilters(parseLiveFilters({ model: "fast" })).matches(meta)).toBe(true);
    expect(compileFilters(parseLiveFilters({ virtual_key: "vk_1", team: "platform" })).matches(meta)).toBe(true);
    expect(compileFilters(parseLiveFilters({ team: "t2" })).matches(meta)).toBe(false);
    expect(compileFilters(parseLiveFilters({ status: "4xx" })).matches(meta)).toBe(true);
    expect(compileFilters(parseLiveFilters({ status: ["success", "500"] })).matches(meta)).toBe(false);
    expect(compileFilters(parseLiveFilters({ min_latency_ms: "2000" })).matches(meta)).toBe(false);
    expect(compileFilters(parseLiveFilters({ ops: "start" })).matches(meta)).toBe(false);
  });

  it("holds back start events when an outcome filter is set", () => {
    const start = { ...meta, op: "start" as const, status: null, latencyMs: 0 };
    expect(compileFilters(parseLiveFilters({ status: "error" })).matches(start)).toBe(false);
    expect(compileFilters(parseLiveFilters({ provider: "openai" })).matches(start)).toBe(true);
  });

  it("rejects unknown names and bad values with a message naming them", () => {
    expect(() => parseLiveFilters({ colour: "red" })).toThrow(/Unknown filter 'colour'/);
    expect(() => parseLiveFilters({ status: "teapot" })).toThrow(/status/);
    expect(() => parseLiveFilters({ min_latency_ms: "-3" })).toThrow(/min_latency_ms/);
    expect(() => parseLiveFilters({ ops: "begin" })).toThrow(/ops/);
  });
});
