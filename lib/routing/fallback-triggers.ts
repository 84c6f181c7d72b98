// Failure categories a routing rule's `fallback_on` may name (PRODUCT §4.2). One list, read
// by the gateway's retry policy and by the admin API / config validation.
export const FALLBACK_TRIGGERS = [
  "connection_error",
  "timeout",
  "rate_limited",
  "server_error",
  "provider_excluded",
  "auth_error",
  "validation_error",
  "client_error",
] as const;
export type FallbackTrigger = (typeof FALLBACK_TRIGGERS)[number];
