// Routing-rule writes answer a CEL compile error as 400 `invalid_condition` with the position,
// a body the shared AdminError shape has no room for (lib/admin/routing-rules.ts).
import { InvalidConditionError } from "@/lib/admin/routing-rules";
import type { AdminContext, AdminResult } from "../_lib/admin-handler";

export function answeringConditionErrors(run: (ctx: AdminContext) => Promise<AdminResult>): (ctx: AdminContext) => Promise<AdminResult> {
  return async (ctx) => {
    try {
      return await run(ctx);
    } catch (error) {
      if (error instanceof InvalidConditionError) return { body: error.toJSON(), status: error.status };
      throw error;
    }
  };
}
