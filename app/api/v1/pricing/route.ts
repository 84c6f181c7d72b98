// GET /api/v1/pricing (the admin price overrides, PRODUCT §5.7) and POST (create, or replace
// the override of the same `model`: 201 when created, 200 when replaced).
import { parseInput } from "@/lib/admin/errors";
import { listPricingOverrides, upsertPricingOverride } from "@/lib/admin/pricing";
import { pricingOverrideInputSchema } from "@/lib/validation/pricing";
import { handleAdmin, readJson } from "../_lib/admin-handler";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  return handleAdmin(request, "pricing:read", async ({ prisma }) => ({ data: await listPricingOverrides(prisma) }));
}

export async function POST(request: Request): Promise<Response> {
  return handleAdmin(request, "pricing:write", async ({ prisma, actor }) => {
    const input = parseInput(pricingOverrideInputSchema, await readJson(request));
    const { override, created } = await upsertPricingOverride(prisma, actor, input);
    return { data: override, status: created ? 201 : 200 };
  });
}
