// POST /api/v1/providers/:id/test {key?}: "test connection" (PRODUCT §8). One real call to
// the upstream with a stored key; `providers:write` because it uses decrypted secrets and
// makes the server call out. Always 200 with `{ ok, status, latency_ms, body_excerpt | error }`:
// a failing upstream is the answer, not an error of this endpoint.
import { parseInput } from "@/lib/admin/errors";
import { testProviderConnection } from "@/lib/admin/providers";
import { testProviderInputSchema } from "@/lib/validation/admin-providers";
import { handleAdmin, readJson, type IdParams } from "../../../_lib/admin-handler";

export const dynamic = "force-dynamic";

export async function POST(request: Request, { params }: IdParams): Promise<Response> {
  const { id } = await params;
  return handleAdmin(request, "providers:write", async ({ prisma }) => {
    const input = parseInput(testProviderInputSchema, await readJson(request));
    return { data: await testProviderConnection(prisma, id, input) };
  });
}
