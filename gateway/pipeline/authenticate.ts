// Step 2 — authenticate: sha256 of the presented key → snapshot map lookup. No database.
import type { IncomingHttpHeaders } from "node:http";
import { hashVirtualKey } from "../../lib/crypto/virtual-key";
import type { ConfigSnapshot, CustomerConfig, TeamConfig, VirtualKeyConfig } from "../config/snapshot";
import { gatewayErrors } from "../errors";

export interface AuthenticatedKey {
  readonly key: VirtualKeyConfig;
  readonly team: TeamConfig | null;
  readonly customer: CustomerConfig | null;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Authorization: Bearer, then x-api-key (Anthropic SDKs), api-key (Azure OpenAI SDKs), x-goog-api-key (Google SDKs). */
export function extractApiKey(headers: IncomingHttpHeaders): string | null {
  const authorization = single(headers.authorization)?.trim();
  if (authorization) {
    const match = /^Bearer\s+(.+)$/i.exec(authorization);
    if (match?.[1]) return match[1].trim();
  }
  const alternative = single(headers["x-api-key"])?.trim() || single(headers["api-key"])?.trim() || single(headers["x-goog-api-key"])?.trim();
  return alternative || null;
}

export function authenticate(headers: IncomingHttpHeaders, snapshot: ConfigSnapshot, now: Date = new Date()): AuthenticatedKey {
  const presented = extractApiKey(headers);
  if (!presented) throw gatewayErrors.missingApiKey();
  const entry = snapshot.virtualKeysByHash.get(hashVirtualKey(presented));
  if (!entry) throw gatewayErrors.invalidApiKey();
  const { key } = entry;
  // Expiry is checked against the clock here, not at load time: a snapshot can outlive it.
  if (!key.active || key.revokedAt !== null) throw gatewayErrors.invalidApiKey("This API key has been revoked or deactivated.");
  if (key.expiresAt !== null && key.expiresAt <= now) throw gatewayErrors.invalidApiKey("This API key has expired.");
  if (entry.validUntil !== null && entry.validUntil <= now) throw gatewayErrors.invalidApiKey("This API key was rotated and its grace period has ended.");

  const team = key.teamId ? snapshot.teamsById.get(key.teamId) ?? null : null;
  const customerId = key.customerId ?? team?.customerId ?? null;
  const customer = customerId ? snapshot.customersById.get(customerId) ?? null : null;
  return { key, team, customer };
}
