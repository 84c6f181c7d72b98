// Governance settings from the environment (README "Environment").
import type { FailMode } from "./redis-counters";

export const FAIL_MODE_ENV = "SWITCHYARD_GOVERNANCE_FAIL_MODE";

/** `closed` (default): no Redis → 503. `open`: no Redis → admit unchecked, log "degraded". */
export function failModeFromEnv(environment: NodeJS.ProcessEnv = process.env): FailMode {
  const raw = environment[FAIL_MODE_ENV]?.trim().toLowerCase();
  if (raw === undefined || raw === "" || raw === "closed") return "closed";
  if (raw === "open") return "open";
  throw new Error(`${FAIL_MODE_ENV} must be "closed" or "open", got "${raw}"`);
}
