// Provider type → adapter for translated requests (PRODUCT §3.1). One folder per provider
// (DESIGN "Formats and providers"); each adds its entry here. A type without an entry cannot
// serve translated client APIs and gets a clear 400 naming the provider and request type.
import type { ProviderAdapter } from "./types";

const ADAPTERS: Readonly<Record<string, ProviderAdapter>> = {};

export function adapterFor(providerType: string): ProviderAdapter | null {
  return ADAPTERS[providerType] ?? null;
}
