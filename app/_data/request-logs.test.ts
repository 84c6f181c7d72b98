import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor, parseLogsQuery } from "./request-logs";

const ID = "0b6f2f4e-3a57-4c3e-9d1c-8f0e4b7d2a11";
const params = (query: string) => new URLSearchParams(query);

describe("log cursors", () => {
  it("round-trips (created_at, id)", () => {
    const cursor = { createdAt: new Date("2026-03-02T10:11:12.345Z"), id: ID };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  it("rejects tampered or foreign cursors", () => {
    const b64 = (s: string) => Buffer.from(s).toString("base64url");
    for (const raw of ["", "abc", b64(`2026-03-02T10:11:12.345Z|not-a-uuid`), b64(`yesterday|${ID}`), b64(`2026-03-02T10:11:12.345Z|${ID}|x`)]) {
      expect(decodeCursor(raw), raw).toBeUndefined();
    }
  });
});

describe("GET /api/v1/logs query", () => {
  it("applies defaults", () => {
    expect(parseLogsQuery(params(""))).toEqual({ ok: true, data: { limit: 50 } });
  });

  it("parses every documented filter", () => {
    const cursor = encodeCursor({ createdAt: new Date("2026-03-02T10:00:00.000Z"), id: ID });
    const result = parseLogsQuery(
      params(`provider=mock&model=gpt-test&status=5xx&virtual_key=ci-bot&team=platform&from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00%2B01:00&limit=200&cursor=${cursor}`),
    );
    expect(result).toEqual({
      ok: true,
      data: {
        provider: "mock",
        model: "gpt-test",
        status: { kind: "class", min: 500 },
        virtual_key: "ci-bot",
        team: "platform",
        from: new Date("2026-03-01T00:00:00Z"),
        to: new Date("2026-03-01T23:00:00Z"),
        limit: 200,
        cursor: { createdAt: new Date("2026-03-02T10:00:00.000Z"), id: ID },
      },
    });
  });

  it("accepts an exact status and 'error'", () => {
    expect(parseLogsQuery(params("status=429"))).toMatchObject({ ok: true, data: { status: { kind: "exact", status: 429 } } });
    expect(parseLogsQuery(params("status=error"))).toMatchObject({ ok: true, data: { status: { kind: "error" } } });
  });

  it.each([
    ["unknown parameter", "providers=mock", "providers"],
    ["limit over 200", "limit=201", "limit"],
    ["limit zero", "limit=0", "limit"],
    ["non-numeric limit", "limit=ten", "limit"],
    ["bad status", "status=2xxx", "status"],
    ["bad date", "from=yesterday", "from"],
    ["from after to", "from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z", "from"],
    ["bad cursor", "cursor=zzz", "cursor"],
    ["repeated filter", "provider=a&provider=b", "provider"],
    ["empty filter", "model=", "model"],
  ])("rejects %s", (_name, query, path) => {
    const result = parseLogsQuery(params(query));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((i) => i.path)).toContain(path);
  });
});
