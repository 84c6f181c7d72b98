// GET /api/v1/budgets/:id/history: the budget's period rows, newest window first.
import { budgetHistory } from "@/lib/admin/budgets";
import { handleAdmin, type IdParams } from "../../../_lib/admin-handler";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: IdParams): Promise<Response> {
  const { id } = await params;
  return handleAdmin(request, "budgets:read", async ({ prisma, actor }) => ({ data: await budgetHistory(prisma, actor, id) }));
}
