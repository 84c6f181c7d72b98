// GET /api/v1/budgets?entity_type=&entity_id= (each with its current window, usage and
// resets_at) and POST (create). PRODUCT §5.3, §10.
import { parseInput, parseQuery } from "@/lib/admin/errors";
import { createBudget, listBudgets } from "@/lib/admin/budgets";
import { budgetsQuerySchema, createBudgetInputSchema } from "@/lib/validation/admin-limits";
import { handleAdmin, readJson } from "../_lib/admin-handler";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  return handleAdmin(request, "budgets:read", async ({ prisma, actor }) => {
    const query = parseQuery(budgetsQuerySchema, new URL(request.url).searchParams);
    return { data: await listBudgets(prisma, actor, query) };
  });
}

export async function POST(request: Request): Promise<Response> {
  return handleAdmin(request, "budgets:write", async ({ prisma, actor }) => {
    const input = parseInput(createBudgetInputSchema, await readJson(request));
    return { data: await createBudget(prisma, actor, input), status: 201 };
  });
}
