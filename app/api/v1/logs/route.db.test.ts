// GET /api/v1/logs (+ /:id, export.csv, ?format=csv) and GET /api/v1/usage as route handlers
// on a real database: 300 logs over ~10 days across providers, keys, teams and statuses,
// with the matching usage_rollups rows. Expected answers are computed from the same fixture
// array, so each filter is checked against an independent predicate.
// DATABASE_URL must point at the test database before the first getPrisma() (cached on
// globalThis); signed-in roles go through a stubbed next-auth getServerSession.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { NextRequest } from "next/server";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { createPrismaClient, type PrismaClient } from "@/lib/db/client";
import { GET as listLogs } from "./route";
import { GET as getLog } from "./[id]/route";
import { GET as exportCsv } from "./export.csv/route";
import { GET as getUsage } from "../usage/route";

let session: { user: { id: string; email: string; name: string | null; role: string } } | null = null;
vi.mock("next-auth", async (original) => ({ ...(await original<object>()), getServerSession: async () => session }));

const TOKEN = "logs-search-test-token";
const saved = { databaseUrl: process.env.DATABASE_URL, adminToken: process.env.SWITCHYARD_ADMIN_TOKEN };
const NOW = new Date();
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
let db: TestDatabase;
let prisma: PrismaClient;

interface Fixture {
  id: string;
  createdAt: Date;
  provider: string;
  model: string;
  keyId: string | null;
  keyName: string | null;
  teamId: string | null;
  teamName: string | null;
  customerId: string | null;
  customerName: string | null;
  status: number;
  cache: string;
  routingRule: string | null;
  tags: string[];
  latencyMs: number;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
  isStream: boolean;
  errorType: string | null;
  errorMessage: string | null;
  searchText: string;
}
let rows: Fixture[] = [];
const ids = { member: "", teamAdmin: "", loner: "", keyA: "", keyB: "", keyC: "", alpha: "", beta: "", acme: "" };
const PROVIDERS = [
  { provider: "openai", model: "gpt-4o" },
  { provider: "anthropic", model: "claude-sonnet" },
  { provider: "mistral", model: "devstral" },
];

beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  process.env.SWITCHYARD_ADMIN_TOKEN = TOKEN;
  prisma = createPrismaClient(db.url);

  const alpha = await prisma.team.create({ data: { name: "alpha" } });
  const beta = await prisma.team.create({ data: { name: "beta" } });
  const acme = await prisma.customer.create({ data: { name: "acme" } });
  const member = await prisma.user.create({ data: { email: "member@example.com", role: "member" } });
  const teamAdmin = await prisma.user.create({ data: { email: "lead@example.com", role: "team_admin" } });
  const loner = await prisma.user.create({ data: { email: "loner@example.com", role: "member" } });
  await prisma.membership.create({ data: { userId: teamAdmin.id, teamId: alpha.id, role: "team_admin" } });
  const key = (name: string, teamId: string, userId?: string) =>
    prisma.virtualKey.create({ data: { name, keyHash: `h-${name}`, displayPrefix: `sk-sy-${name}`, teamId, userId } });
  const keyA = await key("key-a", alpha.id, member.id);
  const keyB = await key("key-b", alpha.id);
  const keyC = await key("key-c", beta.id);
  Object.assign(ids, { member: member.id, teamAdmin: teamAdmin.id, loner: loner.id, keyA: keyA.id, keyB: keyB.id, keyC: keyC.id, alpha: alpha.id, beta: beta.id, acme: acme.id });
  const keys = [keyA, keyB, keyC, keyC, null];
  const teamName = (teamId: string | null) => (teamId === alpha.id ? "alpha" : teamId === beta.id ? "beta" : null);

  rows = Array.from({ length: 300 }, (_, i): Fixture => {
    const p = PROVIDERS[i % 3]!;
    const k = keys[i % 5]!;
    const status = i % 10 === 0 ? 500 : i % 10 === 3 ? 429 : 200;
    const tags = i === 9 ? ["=HYPERLINK(evil)"] : i % 4 === 0 ? ["ci", "nightly"] : i % 4 === 1 ? ["ci"] : [];
    const customer = i % 7 === 0;
    const errorType = status === 500 ? "upstream_error" : status === 429 ? "rate_limited" : null;
    const errorMessage = i === 10 ? 'He said "no", then\nleft' : errorType ? `${errorType} happened` : null;
    const tName = teamName(k?.teamId ?? null);
    return {
      id: randomUUID(),
      // Pairs share a timestamp, so the id tie-breaker of the cursor matters.
      createdAt: new Date(NOW.getTime() - 60 * MIN - Math.floor(i / 2) * 100 * MIN),
      provider: p.provider,
      model: p.model,
      keyId: k?.id ?? null,
      keyName: k?.name ?? null,
      teamId: k?.teamId ?? null,
      teamName: tName,
      customerId: customer ? acme.id : null,
      customerName: customer ? "acme" : null,
      status,
      cache: i % 6 === 0 ? "hit-exact" : i % 6 === 1 ? "miss" : i % 6 === 2 ? "hit-semantic" : "none",
      routingRule: i % 8 === 0 ? "cheap-first" : null,
      tags,
      latencyMs: 100 + i * 10,
      costUsd: i / 1000,
      inputTokens: i,
      outputTokens: 2 * i,
      isStream: i % 2 === 0,
      errorType,
      errorMessage,
      searchText: [p.model, p.provider, k?.name, tName, customer ? "acme" : null, errorType, errorMessage, ...tags, i === 7 ? "zebracorn" : null]
        .filter(Boolean)
        .join(" ")
        .toLowerCase(),
    };
  });
  await prisma.requestLog.createMany({
    data: rows.map((r) => ({
      id: r.id,
      createdAt: r.createdAt,
      clientApi: "openai-chat",
      requestType: "chat",
      provider: r.provider,
      model: r.model,
      requestedModel: r.model,
      virtualKeyId: r.keyId,
      virtualKeyName: r.keyName,
      teamId: r.teamId,
      teamName: r.teamName,
      customerId: r.customerId,
      customerName: r.customerName,
      routingRule: r.routingRule,
      status: r.status,
      errorType: r.errorType,
      errorMessage: r.errorMessage,
      errorSource: r.errorType ? "upstream" : null,
      isStream: r.isStream,
      latencyMs: r.latencyMs,
      inputTokens: r.inputTokens,
      outputTokens: r.outputTokens,
      costUsd: r.costUsd.toFixed(6),
      cache: r.cache,
      attempts: [{ provider: r.provider, model: r.model, status: r.status }],
      tags: r.tags,
      searchText: r.searchText,
    })),
  });
  await prisma.requestLogBody.create({
    data: { logId: rows[0]!.id, createdAt: rows[0]!.createdAt, requestBody: '{"messages":[]}', responseBody: '{"ok":true}', truncated: false },
  });

  // usage_rollups as the gateway fills them: per UTC hour and day, '' for absent dimensions.
  const rollups = new Map<string, Record<string, unknown> & { requests: number; errors: number; cacheHits: number; inputTokens: number; outputTokens: number; costUsd: number; latencyMsSum: number }>();
  for (const r of rows) {
    for (const granularity of ["hour", "day"] as const) {
      const bucket = new Date(r.createdAt);
      bucket.setUTCMinutes(0, 0, 0);
      if (granularity === "day") bucket.setUTCHours(0);
      const dims = {
        granularity,
        bucket,
        teamId: r.teamId ?? "",
        virtualKeyId: r.keyId ?? "",
        customerId: r.customerId ?? "",
        provider: r.provider,
        model: r.model,
        statusClass: r.status >= 500 ? "5xx" : r.status >= 400 ? "4xx" : "2xx",
      };
      const k = JSON.stringify(dims);
      const row = rollups.get(k) ?? { ...dims, requests: 0, errors: 0, cacheHits: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, latencyMsSum: 0 };
      row.requests += 1;
      row.errors += r.status >= 400 ? 1 : 0;
      row.cacheHits += r.cache.startsWith("hit") ? 1 : 0;
      row.inputTokens += r.inputTokens;
      row.outputTokens += r.outputTokens;
      row.costUsd += r.costUsd;
      row.latencyMsSum += r.latencyMs;
      rollups.set(k, row);
    }
  }
  await prisma.usageRollup.createMany({
    data: [...rollups.values()].map((r) => ({
      granularity: r.granularity as "hour" | "day",
      bucket: r.bucket as Date,
      teamId: r.teamId as string,
      virtualKeyId: r.virtualKeyId as string,
      customerId: r.customerId as string,
      provider: r.provider as string,
      model: r.model as string,
      statusClass: r.statusClass as string,
      requests: BigInt(r.requests),
      errors: BigInt(r.errors),
      cacheHits: BigInt(r.cacheHits),
      inputTokens: BigInt(r.inputTokens),
      outputTokens: BigInt(r.outputTokens),
      costUsd: r.costUsd.toFixed(6),
      latencyMsSum: BigInt(r.latencyMsSum),
    })),
  });
  // Org-wide charts read the one-dimension view the writer maintains next to usage_rollups.
  await prisma.$executeRaw`SELECT switchyard_rebuild_rollup_dims()`;
});

afterAll(async () => {
  const shared = globalThis as unknown as { switchyardPrisma?: PrismaClient };
  await shared.switchyardPrisma?.$disconnect();
  delete shared.switchyardPrisma;
  await prisma?.$disconnect();
  process.env.DATABASE_URL = saved.databaseUrl;
  if (saved.adminToken === undefined) delete process.env.SWITCHYARD_ADMIN_TOKEN;
  else process.env.SWITCHYARD_ADMIN_TOKEN = saved.adminToken;
  await db?.drop();
});

type As = "admin" | "member" | "team_admin" | "loner";
function request(path: string, as: As = "admin"): NextRequest {
  if (as === "admin") {
    session = null;
    return new NextRequest(`http://localhost${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  }
  const id = as === "member" ? ids.member : as === "team_admin" ? ids.teamAdmin : ids.loner;
  session = { user: { id, email: `${as}@example.com`, name: null, role: as === "loner" ? "member" : as } };
  return new NextRequest(`http://localhost${path}`);
}

interface ListBody {
  data?: { id: string; timestamp: string; [k: string]: unknown }[];
  next_cursor?: string | null;
  from?: string | null;
  error?: { type: string; issues?: { path: string; message: string }[] };
}
async function list(query: string, as: As = "admin"): Promise<{ status: number; body: ListBody }> {
  const response = await listLogs(request(`/api/v1/logs${query}`, as));
  return { status: response.status, body: (await response.json()) as ListBody };
}

const ALL_TIME = `from=${encodeURIComponent(new Date(NOW.getTime() - 30 * DAY).toISOString())}`;

/** Every id the search returns, following next_cursor; fails on a repeated id. */
async function collect(query: string, as: As = "admin", limit = 200): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null | undefined;
  for (let pages = 0; pages < 100; pages++) {
    const sep = query ? "&" : "";
    const { status, body } = await list(`?${query}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`, as);
    expect(status, JSON.stringify(body.error)).toBe(200);
    seen.push(...body.data!.map((r) => r.id));
    cursor = body.next_cursor;
    if (!cursor) break;
  }
  expect(new Set(seen).size).toBe(seen.length);
  return seen;
}

/** Fixture ids matching `pred`, newest first by (created_at, id). */
function expected(pred: (r: Fixture) => boolean): string[] {
  return rows
    .filter(pred)
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1))
    .map((r) => r.id);
}

describe("GET /api/v1/logs", () => {
  it("pages through everything newest first without gaps or repeats, stable under equal timestamps", async () => {
    expect(await collect(ALL_TIME, "admin", 7)).toEqual(expected(() => true));
  });

  it("searches the last 7 days when no from is given, on every page, and says so", async () => {
    const { body } = await list("?limit=1");
    expect(new Date(body.from!).getTime()).toBeGreaterThan(NOW.getTime() - 7 * DAY - MIN);
    const weekAgo = Date.now() - 7 * DAY;
    expect(await collect("", "admin", 30)).toEqual(expected((r) => r.createdAt.getTime() >= weekAgo));
    expect(rows.some((r) => r.createdAt.getTime() < weekAgo)).toBe(true);
  });

  it("never returns bodies or other detail columns in list rows", async () => {
    const { body } = await list(`?${ALL_TIME}&limit=200`);
    for (const row of body.data!) {
      expect(row).not.toHaveProperty("body");
      expect(row).not.toHaveProperty("attempt_details");
      expect(row).not.toHaveProperty("search_text");
    }
  });

  const cases: [string, string, (r: Fixture) => boolean][] = [
    ["provider", "provider=anthropic", (r) => r.provider === "anthropic"],
    ["model", "model=devstral", (r) => r.model === "devstral"],
    ["virtual key by name", "virtual_key=key-b", (r) => r.keyName === "key-b"],
    ["virtual key by id", `virtual_key=${"KEYC"}`, (r) => r.keyName === "key-c"],
    ["team by name", "team=beta", (r) => r.teamName === "beta"],
    ["team by id", "team=ALPHA", (r) => r.teamName === "alpha"],
    ["customer", "customer=acme", (r) => r.customerName === "acme"],
    ["exact status", "status=429", (r) => r.status === 429],
    ["status class", "status=5xx", (r) => r.status >= 500],
    ["status class 2xx", "status=2xx", (r) => r.status < 300],
    ["errors", "status=error", (r) => r.status >= 400],
    ["any cache hit", "cache=hit", (r) => r.cache.startsWith("hit")],
    ["cache miss", "cache=miss", (r) => r.cache === "miss"],
    ["routing rule", "routing_rule=cheap-first", (r) => r.routingRule === "cheap-first"],
    ["all tags", "tags=ci,nightly", (r) => r.tags.includes("ci") && r.tags.includes("nightly")],
    ["any tag", "tags=nightly,=HYPERLINK(evil)&tags_match=any", (r) => r.tags.includes("nightly") || r.tags.includes("=HYPERLINK(evil)")],
    ["latency range", "min_latency_ms=1000&max_latency_ms=1500", (r) => r.latencyMs >= 1000 && r.latencyMs <= 1500],
    ["cost range", "min_cost_usd=0.05&max_cost_usd=0.1", (r) => r.costUsd >= 0.05 && r.costUsd <= 0.1],
    ["token range", "min_tokens=300", (r) => r.inputTokens + r.outputTokens >= 300],
    ["streams", "is_stream=true", (r) => r.isStream],
    ["non-streams", "is_stream=false", (r) => !r.isStream],
    ["error type", "error_type=rate_limited", (r) => r.errorType === "rate_limited"],
    ["text", "q=zebracorn", (r) => r.searchText.includes("zebracorn")],
    ["text, several words", "q=claude-sonnet%20beta", (r) => r.model === "claude-sonnet" && r.teamName === "beta"],
    ["combined", "provider=openai&status=5xx&team=alpha&is_stream=true", (r) => r.provider === "openai" && r.status >= 500 && r.teamName === "alpha" && r.isStream],
    ["time range", `from=${encodeURIComponent(new Date(NOW.getTime() - 3 * DAY).toISOString())}&to=${encodeURIComponent(new Date(NOW.getTime() - DAY).toISOString())}`, (r) => r.createdAt.getTime() >= NOW.getTime() - 3 * DAY && r.createdAt.getTime() < NOW.getTime() - DAY],
  ];
  it.each(cases)("filters by %s", async (_name, rawQuery, pred) => {
    const query = rawQuery.replace("KEYC", ids.keyC).replace("ALPHA", ids.alpha);
    const want = expected(pred);
    expect(want.length, "fixture should exercise the filter").toBeGreaterThan(0);
    const hasFrom = query.includes("from=");
    const got = await collect(hasFrom ? query : `${ALL_TIME}&${query}`, "admin", 40);
    expect(got).toEqual(want);
  });

  it("finds a log by its exact id through q", async () => {
    const target = rows[123]!;
    expect(await collect(`${ALL_TIME}&q=${target.id}`)).toEqual([target.id]);
  });

  it("scopes by role: member sees own keys, team admin their team, a member without keys nothing", async () => {
    expect(await collect(ALL_TIME, "member")).toEqual(expected((r) => r.keyId === ids.keyA));
    expect(await collect(ALL_TIME, "team_admin")).toEqual(expected((r) => r.teamId === ids.alpha));
    expect(await collect(ALL_TIME, "loner")).toEqual([]);
    // Filters narrow the scope, never widen it.
    expect(await collect(`${ALL_TIME}&team=beta`, "member")).toEqual([]);
  });

  it("rejects unknown, repeated and malformed parameters naming them", async () => {
    const bad: [string, string][] = [
      ["?providr=openai", "providr"],
      ["?limit=201", "limit"],
      ["?status=7xx", "status"],
      ["?cache=warm", "cache"],
      ["?is_stream=yes", "is_stream"],
      ["?min_latency_ms=-1", "min_latency_ms"],
      ["?min_cost_usd=2&max_cost_usd=1", "min_cost_usd"],
      ["?tags_match=any", "tags_match"],
      ["?tags=,", "tags"],
      ["?cursor=nope", "cursor"],
      ["?model=a&model=b", "model"],
      ["?from=yesterday", "from"],
    ];
    for (const [query, path] of bad) {
      const { status, body } = await list(query);
      expect(status, query).toBe(400);
      expect(body.error?.type).toBe("invalid_request");
      expect(body.error?.issues?.map((i) => i.path), query).toContain(path);
    }
  });

  it("answers 401 without credentials", async () => {
    session = null;
    const response = await listLogs(new NextRequest("http://localhost/api/v1/logs"));
    expect(response.status).toBe(401);
  });
});

describe("GET /api/v1/logs/:id", () => {
  const get = async (id: string, as: As = "admin") => {
    const response = await getLog(request(`/api/v1/logs/${id}`, as), { params: Promise.resolve({ id }) });
    return { status: response.status, body: (await response.json()) as { data?: Record<string, unknown> } };
  };

  it("returns the full record with its body to an admin", async () => {
    const { status, body } = await get(rows[0]!.id);
    expect(status).toBe(200);
    expect(body.data).toMatchObject({
      id: rows[0]!.id,
      provider: rows[0]!.provider,
      team_id: ids.alpha,
      attempts: 1,
      attempt_details: [{ provider: rows[0]!.provider, status: rows[0]!.status }],
      param_transformations: [],
      body_visible: true,
      body: { request: '{"messages":[]}', response: '{"ok":true}', truncated: false },
    });
    const other = await get(rows[1]!.id);
    expect(other.body.data).toMatchObject({ body: null, body_visible: true });
  });

  it("shows a member their own log without bodies, and 404s for others' and unknown ids", async () => {
    const own = await get(rows[0]!.id, "member");
    expect(own.status).toBe(200);
    expect(own.body.data).toMatchObject({ id: rows[0]!.id, body: null, body_visible: false });
    const others = rows.find((r) => r.keyId === ids.keyC)!;
    expect((await get(others.id, "member")).status).toBe(404);
    expect((await get(others.id, "team_admin")).status).toBe(404);
    expect((await get(rows.find((r) => r.keyId === ids.keyB)!.id, "team_admin")).status).toBe(200);
    expect((await get(randomUUID())).status).toBe(404);
    expect((await get("not-a-uuid")).status).toBe(400);
  });
});

/** Minimal RFC 4180 parser for checking what we wrote. */
function parseCsv(text: string): string[][] {
  const out: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(field);
      out.push(row);
      row = [];
      field = "";
      i++;
    } else field += c;
  }
  return out;
}

describe("CSV export", () => {
  it("streams the filtered search as an attachment with a header row and proper escaping", async () => {
    const response = await exportCsv(request(`/api/v1/logs/export.csv?${ALL_TIME}&status=5xx`));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/csv");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="switchyard-logs-.*\.csv"$/);
    const table = parseCsv(await response.text());
    const header = table[0]!;
    expect(header.slice(0, 3)).toEqual(["id", "timestamp", "status"]);
    const body = table.slice(1);
    expect(body.map((r) => r[0])).toEqual(expected((r) => r.status >= 500));
    const col = (name: string) => header.indexOf(name);
    const tricky = body.find((r) => r[0] === rows[10]!.id)!;
    expect(tricky[col("error_message")]).toBe('He said "no", then\nleft');
    expect(tricky[col("cost_usd")]).toBe("0.01");
    expect(body.find((r) => r[0] === rows[20]!.id)![col("tags")]).toBe("ci;nightly");
  });

  it("neutralises spreadsheet formulas, honours limit and ?format=csv on the list route", async () => {
    const response = await listLogs(request(`/api/v1/logs?format=csv&${ALL_TIME}&q=${rows[9]!.id}`));
    expect(response.headers.get("content-disposition")).toContain("attachment");
    const table = parseCsv(await response.text());
    expect(table).toHaveLength(2);
    expect(table[1]![table[0]!.indexOf("tags")]).toBe("'=HYPERLINK(evil)");
    const limited = parseCsv(await (await exportCsv(request(`/api/v1/logs/export.csv?${ALL_TIME}&limit=5`))).text());
    expect(limited.slice(1).map((r) => r[0])).toEqual(expected(() => true).slice(0, 5));
  });

  it("applies the caller's scope and validates like the list", async () => {
    const table = parseCsv(await (await exportCsv(request(`/api/v1/logs/export.csv?${ALL_TIME}`, "member"))).text());
    expect(table.slice(1).map((r) => r[0])).toEqual(expected((r) => r.keyId === ids.keyA));
    expect((await exportCsv(request("/api/v1/logs/export.csv?bogus=1"))).status).toBe(400);
    expect((await exportCsv(request("/api/v1/logs/export.csv?limit=100001"))).status).toBe(400);
  });
});

interface UsageBody {
  granularity: string;
  buckets: { bucket: string; group?: string | null; group_id?: string | null; requests: number; errors: number }[];
  totals: Record<string, number>;
  error?: { issues: { path: string }[] };
}
async function usage(query: string, as: As = "admin"): Promise<{ status: number; body: UsageBody }> {
  const response = await getUsage(request(`/api/v1/usage${query}`, as));
  return { status: response.status, body: (await response.json()) as UsageBody };
}

describe("GET /api/v1/usage", () => {
  const range = `from=${encodeURIComponent(new Date(NOW.getTime() - 12 * DAY).toISOString())}&to=${encodeURIComponent(new Date(NOW.getTime() + 60 * MIN).toISOString())}`;
  const sum = (pred: (r: Fixture) => boolean) => {
    const s = rows.filter(pred);
    return {
      requests: s.length,
      errors: s.filter((r) => r.status >= 400).length,
      input_tokens: s.reduce((a, r) => a + r.inputTokens, 0),
      output_tokens: s.reduce((a, r) => a + r.outputTokens, 0),
      cache_hits: s.filter((r) => r.cache.startsWith("hit")).length,
      cost_usd: Math.round(s.reduce((a, r) => a + r.costUsd, 0) * 1e6) / 1e6,
      avg_latency_ms: Math.round(s.reduce((a, r) => a + r.latencyMs, 0) / s.length),
    };
  };

  it("totals every rollup in the range, picking daily buckets for long ranges", async () => {
    const { status, body } = await usage(`?${range}`);
    expect(status).toBe(200);
    expect(body.granularity).toBe("day");
    expect(body.totals).toMatchObject(sum(() => true));
    expect(body.buckets.reduce((a, b) => a + b.requests, 0)).toBe(300);
    expect(body.buckets.every((b) => b.bucket.endsWith("T00:00:00.000Z"))).toBe(true);
  });

  it("groups by team with names resolved, null for rows without a team", async () => {
    const { body } = await usage(`?${range}&group_by=team`);
    const byGroup = new Map<string | null, number>();
    for (const b of body.buckets) byGroup.set(b.group ?? null, (byGroup.get(b.group ?? null) ?? 0) + b.requests);
    expect(Object.fromEntries(byGroup)).toEqual({ alpha: sum((r) => r.teamName === "alpha").requests, beta: sum((r) => r.teamName === "beta").requests, null: sum((r) => r.teamId === null).requests });
    expect(body.buckets.find((b) => b.group === "alpha")!.group_id).toBe(ids.alpha);
  });

  it("groups by virtual key, provider and status class", async () => {
    const byKey = (await usage(`?${range}&group_by=virtual_key`)).body;
    expect(byKey.buckets.filter((b) => b.group === "key-a").reduce((a, b) => a + b.requests, 0)).toBe(sum((r) => r.keyName === "key-a").requests);
    const byStatus = (await usage(`?${range}&group_by=status_class`)).body;
    expect(byStatus.buckets.filter((b) => b.group === "5xx").reduce((a, b) => a + b.errors, 0)).toBe(sum((r) => r.status >= 500).requests);
    const byProvider = (await usage(`?${range}&group_by=provider`)).body;
    expect(new Set(byProvider.buckets.map((b) => b.group))).toEqual(new Set(["openai", "anthropic", "mistral"]));
    expect(byProvider.totals.requests).toBe(300);
  });

  it("uses hourly buckets for short ranges", async () => {
    const from = new Date(NOW.getTime() - DAY);
    const { body } = await usage(`?from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(NOW.toISOString())}`);
    expect(body.granularity).toBe("hour");
    const hourStart = new Date(from);
    hourStart.setUTCMinutes(0, 0, 0);
    expect(body.totals.requests).toBe(sum((r) => r.createdAt >= hourStart && r.createdAt < NOW).requests);
  });

  it("scopes rollups like the logs", async () => {
    expect((await usage(`?${range}`, "member")).body.totals).toMatchObject(sum((r) => r.keyId === ids.keyA));
    expect((await usage(`?${range}`, "team_admin")).body.totals).toMatchObject(sum((r) => r.teamId === ids.alpha));
    expect((await usage(`?${range}`, "loner")).body.totals.requests).toBe(0);
  });

  it("exports CSV and rejects bad parameters", async () => {
    const response = await getUsage(request(`/api/v1/usage?${range}&group_by=team&format=csv`));
    expect(response.headers.get("content-disposition")).toContain("attachment");
    const table = parseCsv(await response.text());
    expect(table[0]!.slice(0, 4)).toEqual(["bucket", "group", "group_id", "requests"]);
    expect(table.slice(1).reduce((a, r) => a + Number(r[3]), 0)).toBe(300);
    for (const [query, path] of [["?group_by=colour", "group_by"], ["?granularity=week", "granularity"], ["?nope=1", "nope"], [`?granularity=hour&from=${encodeURIComponent(new Date(NOW.getTime() - 40 * DAY).toISOString())}`, "from"]]) {
      const { status, body } = await usage(query!);
      expect(status, query).toBe(400);
      expect(body.error!.issues.map((i) => i.path)).toContain(path);
    }
  });
});
