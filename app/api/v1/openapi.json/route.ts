// GET /api/v1/openapi.json: the admin API's OpenAPI 3.1 description, generated from the zod
// schemas (lib/openapi). Public like any API description: it holds no data.
import { adminApiDocument } from "@/lib/openapi/build-document";

export const dynamic = "force-static";

export function GET(): Response {
  return Response.json(adminApiDocument(), { headers: { "cache-control": "public, max-age=300" } });
}
