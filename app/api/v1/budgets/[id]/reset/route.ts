// POST /api/v1/budgets/:id/reset: zero the current window now (NOTIFY budget_reset).
import { resetBudget } from "@/lib/admin/budgets";
import { handleAdmin, type IdParams } from "../../../_lib/admin-handler";

export const dynamic = "force-dynamic";

export async function POST(request: Request, { params }: IdParams): Promise<Response> {
  const { id } = await params;
  return handleAdmin(request, "budgets:write", async ({ prisma, actor }) => ({ data: await resetBudget(prisma, actor, id) }));
}
