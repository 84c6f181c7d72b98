// Gateway-only environment settings, on top of the shared contract in lib/env.ts.
import { DEFAULT_MAX_BODY_BYTES } from "./http/read-body";

export function maxBodyBytesFromEnv(): number {
  const raw = process.env.GATEWAY_MAX_BODY_BYTES;
  if (raw === undefined || raw === "") return DEFAULT_MAX_BODY_BYTES;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`GATEWAY_MAX_BODY_BYTES must be a positive integer, got "${raw}"`);
  return value;
}

/** GATEWAY_HOST: interface to bind; unset = all interfaces. */
export function gatewayHostFromEnv(): string | undefined {
  return process.env.GATEWAY_HOST || undefined;
}
