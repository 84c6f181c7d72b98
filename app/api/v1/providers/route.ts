// GET /api/v1/providers (keys show only `secret_hint`) and POST (create, optionally with
// keys). PRODUCT §3, §10.
import { parseInput } from "@/lib/admin/errors";
import { createProvider, listProviders } from "@/lib/admin/providers";
import { createProviderInputSchema } from "@/lib/validation/admin-providers";
import { handleAdmin, readJson } from "../_lib/admin-handler";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  return handleAdmin(request, "providers:read", async ({ prisma }) => ({ data: await listProviders(prisma) }));
}

export async function POST(request: Request): Promise<Response> {
  return handleAdmin(request, "providers:write", async ({ prisma, actor }) => {
    const input = parseInput(createProviderInputSchema, await readJson(request));
    return { data: await createProvider(prisma, actor, input), status: 201 };
  });
}
