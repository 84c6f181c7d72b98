// Reads a virtual key's daily USD budget counter straight from a running gateway's counters.
import { budgetItems } from "../../governance/limit-items";
import type { RunningGateway } from "../../server";

export async function keyDailyUsdNano(gateway: RunningGateway, keyId: string): Promise<number> {
  const now = new Date();
  const items = budgetItems({ level: "virtual_key", entityId: keyId, window: "1d", alignment: "calendar", limitUsd: 1 }, now);
  const [usage] = await gateway.governance.counters.usage(items, now);
  return usage?.current ?? 0;
}
