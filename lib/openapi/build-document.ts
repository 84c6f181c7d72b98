// The OpenAPI 3.1 document of the admin REST API, generated from the zod schemas of
// admin-api-operations.ts with zod-openapi (nothing here is written by hand but the prose).
// Built once per process: the schemas are static.
import { z } from "zod";
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from "zod-openapi";
import { ROUTE_PERMISSIONS } from "../rbac/route-permissions";
import { ADMIN_API_OPERATIONS, type AdminOperation } from "./admin-api-operations";

const errorSchema = z
  .strictObject({
    error: z.strictObject({
      code: z.string().optional(),
      type: z.string().optional(),
      message: z.string(),
      issues: z.array(z.strictObject({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .meta({ id: "Error", description: "Every failure: a code or type, a message, and the fields at fault" });

const ERROR_RESPONSES = {
  "400": { description: "Invalid input; `issues` names the fields (unknown fields and parameters are rejected)", content: { "application/json": { schema: errorSchema } } },
  "401": { description: "Not signed in and no valid admin token", content: { "application/json": { schema: errorSchema } } },
  "403": { description: "The caller's role may not do this (lib/rbac/permissions.ts)", content: { "application/json": { schema: errorSchema } } },
  "404": { description: "No such entity, or not visible to the caller", content: { "application/json": { schema: errorSchema } } },
  "409": { description: "Conflicts with an existing entity", content: { "application/json": { schema: errorSchema } } },
} as const;

/** "GET /api/v1/teams/[id]" → ["get", "/api/v1/teams/{id}", ["id"]] */
export function openApiPath(route: string): { method: "get" | "post" | "put" | "patch" | "delete"; path: string; params: string[] } {
  const [method, path] = route.split(" ") as [string, string];
  const params = [...path.matchAll(/\[(\w+)\]/g)].map((m) => m[1]!);
  return { method: method.toLowerCase() as "get", path: path.replace(/\[(\w+)\]/g, "{$1}"), params };
}

function operationObject(route: string, op: AdminOperation): ZodOpenApiOperationObject {
  const { params } = openApiPath(route);
  const rule = ROUTE_PERMISSIONS[route];
  const answer = op.mediaType ? op.response : op.unwrapped ? op.response : z.strictObject({ data: op.response });
  const requestParams: NonNullable<ZodOpenApiOperationObject["requestParams"]> = {};
  if (params.length > 0) requestParams.path = z.strictObject(Object.fromEntries(params.map((p) => [p, z.string()])));
  if (op.query) requestParams.query = op.query as never;
  return {
    operationId: route.replace(/[^A-Za-z0-9]+/g, "_").replace(/^_|_$/g, ""),
    summary: op.summary,
    tags: [op.tag],
    description: rule === "public" ? "No sign-in needed." : `Requires the \`${rule}\` permission.`,
    ...(Object.keys(requestParams).length > 0 ? { requestParams } : {}),
    ...(op.body ? { requestBody: { required: true, content: { "application/json": { schema: op.body } } } } : {}),
    responses: {
      [String(op.status ?? 200)]: { description: op.status === 201 ? "Created" : "OK", content: { [op.mediaType ?? "application/json"]: { schema: answer } } },
      ...(rule === "public" ? {} : ERROR_RESPONSES),
    },
    ...(rule === "public" ? { security: [] } : {}),
  };
}

let cached: ReturnType<typeof createDocument> | null = null;

export function adminApiDocument(): ReturnType<typeof createDocument> {
  if (cached) return cached;
  const paths: ZodOpenApiPathsObject = {};
  for (const [route, op] of Object.entries(ADMIN_API_OPERATIONS)) {
    const { method, path } = openApiPath(route);
    paths[path] = { ...paths[path], [method]: operationObject(route, op) };
  }
  cached = createDocument({
    openapi: "3.1.0",
    info: {
      title: "Switchyard admin API",
      version: "1",
      description: "The dashboard's own REST API (PRODUCT §9.3, §10). Every call accepts a signed-in session cookie or `Authorization: Bearer $SWITCHYARD_ADMIN_TOKEN`; RBAC is checked on the server first.",
    },
    servers: [{ url: "/" }],
    components: {
      securitySchemes: {
        adminToken: { type: "http", scheme: "bearer", description: "SWITCHYARD_ADMIN_TOKEN" },
        session: { type: "apiKey", in: "cookie", name: "next-auth.session-token", description: "A signed-in dashboard session" },
      },
    },
    security: [{ adminToken: [] }, { session: [] }],
    paths,
  });
  return cached;
}
