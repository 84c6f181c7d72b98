// GET /api/v1/settings and PUT (a partial update; null resets a setting to its default).
// The alert webhook secret is write-only: GET answers alert_webhook_secret_set only.
import { parseInput } from "@/lib/admin/errors";
import { getSettings, updateSettings } from "@/lib/admin/settings";
import { settingsUpdateSchema } from "@/lib/validation/settings";
import { handleAdmin, readJson } from "../_lib/admin-handler";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  return handleAdmin(request, "settings:read", async ({ prisma }) => ({ data: await getSettings(prisma) }));
}

export async function PUT(request: Request): Promise<Response> {
  return handleAdmin(request, "settings:write", async ({ prisma, actor }) => {
    const input = parseInput(settingsUpdateSchema, await readJson(request));
    return { data: await updateSettings(prisma, actor, input) };
  });
}
