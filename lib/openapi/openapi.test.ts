// The OpenAPI document covers every admin route (the keys of the RBAC table, which the RBAC
// matrix test holds to the routes on disk), is generated from the schemas, and the schemas
// written for function-built answers accept what those functions really return.
import { describe, expect, it } from "vitest";
import { Prisma } from "../db/client";
import { toApiLog, toApiLogDetail } from "../logs/api-shape";
import { ROUTE_PERMISSIONS } from "../rbac/route-permissions";
import { apiLogDetailSchema, apiLogSchema, liveTokenSchema } from "../validation/api-responses";
import { GET as serveDocument } from "../../app/api/v1/openapi.json/route";
import { ADMIN_API_OPERATIONS } from "./admin-api-operations";
import { adminApiDocument, openApiPath } from "./build-document";

const row = {
  id: "00000000-0000-4000-8000-000000000001",
  createdAt: new Date("2026-12-07T10:00:00Z"),
  clientApi: "openai_chat",
  requestType: "chat",
  provider: "openai",
  model: "gpt-4o",
  requestedModel: "gpt-4o",
  virtualKeyId: "vk_1",
  virtualKeyName: "ci",
  teamName: "platform",
  customerName: null,
  routingRule: null,
  status: 500,
  errorType: "server_error",
  errorMessage: "boom",
  errorSource: "upstream",
  isStream: true,
  latencyMs: 120,
  ttftMs: 40,
  inputTokens: 10,
  outputTokens: 20,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
  costUsd: new Prisma.Decimal("0.0012"),
  cache: "none",
  attemptCount: 2,
  fallbackReason: "upstream_error",
  tags: ["ci"],
};

describe("admin API OpenAPI document", () => {
  it("describes exactly the routes of the RBAC table", () => {
    expect(Object.keys(ADMIN_API_OPERATIONS).sort(), "routes without an entry in lib/openapi/admin-api-operations.ts, or entries for routes that are gone").toEqual(Object.keys(ROUTE_PERMISSIONS).sort());
  });

  it("is OpenAPI 3.1 with every operation, its parameters, permission and error answers", () => {
    const doc = adminApiDocument();
    expect(doc.openapi).toBe("3.1.0");
    for (const route of Object.keys(ROUTE_PERMISSIONS)) {
      const { method, path, params } = openApiPath(route);
      const operation = doc.paths?.[path]?.[method];
      expect(operation, route).toBeDefined();
      const pathParams = (operation!.parameters ?? []).filter((p) => "in" in p && p.in === "path").map((p) => ("name" in p ? p.name : ""));
      expect(pathParams.sort(), route).toEqual([...params].sort());
      if (ROUTE_PERMISSIONS[route] !== "public") {
        expect(operation!.description, route).toContain(String(ROUTE_PERMISSIONS[route]));
        expect(Object.keys(operation!.responses ?? {}), route).toEqual(expect.arrayContaining(["401", "403"]));
      }
    }
    // Spot checks that the schemas, not hand-written shapes, are what is rendered.
    const createKey = doc.paths?.["/api/v1/virtual-keys"]?.post;
    expect(createKey?.responses?.["201"]).toBeDefined();
    const body = JSON.stringify(createKey?.requestBody);
    expect(body).toContain("budgets");
    expect(body).toContain("rate_limits");
    const logs = doc.paths?.["/api/v1/logs"]?.get;
    expect((logs?.parameters ?? []).map((p) => ("name" in p ? p.name : ""))).toEqual(expect.arrayContaining(["provider", "virtual_key", "min_latency_ms", "cursor", "q"]));
  });

  it("accepts what the function-built answers really contain", () => {
    expect(apiLogSchema.safeParse(toApiLog(row)).error).toBeUndefined();
    const detail = toApiLogDetail(
      { ...row, teamId: "t1", customerId: null, userId: null, costBreakdown: null, cacheSavedUsd: null, attempts: [], paramTransformations: [], metadata: {}, body: null } as unknown as Parameters<typeof toApiLogDetail>[0],
      false,
    );
    expect(apiLogDetailSchema.safeParse(detail).error).toBeUndefined();
    expect(liveTokenSchema.safeParse({ token: "t", expires_at: "2026-12-07T10:05:00.000Z", url: "ws://h:8080/ws" }).success).toBe(true);
    // Strict: a field the builder adds without the schema knowing fails here.
    expect(apiLogSchema.safeParse({ ...toApiLog(row), surprise: 1 }).success).toBe(false);
  });

  it("is served at GET /api/v1/openapi.json", async () => {
    const response = serveDocument();
    expect(response.status).toBe(200);
    const served = (await response.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(served.openapi).toBe("3.1.0");
    expect(Object.keys(served.paths)).toContain("/api/v1/teams/{id}/members");
  });
});
