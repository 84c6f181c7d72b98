// Manual budget reset (PRODUCT §5.3). The admin API sets `budget_periods.reset_at` for the
// budget's current window and sends `NOTIFY budget_reset, '{"budgetId":"..."}'`; every
// replica zeroes that budget's counters for the current window (in memory or in Redis).
// A reset sent while this replica's listener was disconnected is not replayed to memory
// counters until the next restart (which seeds from the logs after reset_at).
import { listenForNotifications, type NotificationListener } from "../config/config-change-listener";

export const BUDGET_RESET_CHANNEL = "budget_reset";

export function parseBudgetResetPayload(payload: string): string | null {
  try {
    const parsed: unknown = JSON.parse(payload);
    const budgetId = parsed !== null && typeof parsed === "object" ? (parsed as Record<string, unknown>).budgetId : undefined;
    return typeof budgetId === "string" && budgetId !== "" ? budgetId : null;
  } catch {
    return null;
  }
}

export function listenForBudgetResets(opts: { databaseUrl: string; onReset: (budgetId: string) => void; log: (message: string) => void }): NotificationListener {
  return listenForNotifications({
    databaseUrl: opts.databaseUrl,
    channels: [BUDGET_RESET_CHANNEL],
    label: "budget reset listener",
    onNotification: (_channel, payload) => {
      const budgetId = parseBudgetResetPayload(payload);
      if (budgetId) opts.onReset(budgetId);
      else opts.log(`budget reset listener: ignored malformed payload ${JSON.stringify(payload)}`);
    },
    log: opts.log,
  });
}
