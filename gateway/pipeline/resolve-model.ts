// Step 3 — resolve the requested model to a provider and the provider's model name.
// `provider/model` selects a provider explicitly; a bare name must be listed by exactly
// one enabled provider. Routing rules (CEL) will run before this in a later issue.
import type { ConfigSnapshot, ProviderConfig } from "../config/snapshot";
import { GatewayError, gatewayErrors } from "../errors";
import type { RequestType } from "./request-trace";

export interface ResolvedTarget {
  readonly provider: ProviderConfig;
  /** Model name as the provider knows it (without the `provider/` prefix). */
  readonly model: string;
}

function accepts(provider: ProviderConfig, requestType: RequestType): boolean {
  return provider.requestTypes.length === 0 || provider.requestTypes.includes(requestType);
}

export function resolveModel(requested: string, snapshot: ConfigSnapshot, requestType: RequestType): ResolvedTarget {
  // Model ids may themselves contain "/" (openrouter's `meta-llama/llama-3`), so the
  // prefix is a provider only when a provider of that name exists.
  const slash = requested.indexOf("/");
  if (slash > 0) {
    const named = snapshot.providersByName.get(requested.slice(0, slash));
    const model = requested.slice(slash + 1);
    if (named && model !== "") {
      if (!named.enabled) throw gatewayErrors.modelNotFound(requested, `provider '${named.name}' is disabled`);
      if (!accepts(named, requestType)) {
        throw new GatewayError({
          status: 400,
          type: "invalid_request_error",
          code: "unsupported_request_type",
          param: "model",
          message: `Provider '${named.name}' does not accept ${requestType} requests (gateway configuration).`,
          source: "gateway",
        });
      }
      return { provider: named, model };
    }
  }

  const candidates = [...snapshot.providersByName.values()].filter(
    (p) => p.enabled && accepts(p, requestType) && p.models.includes(requested),
  );
  const only = candidates[0];
  if (candidates.length === 1 && only) return { provider: only, model: requested };
  if (candidates.length > 1) {
    const names = candidates.map((p) => p.name).sort();
    throw gatewayErrors.modelNotFound(requested, `it is served by several providers (${names.join(", ")}); use 'provider/model'`);
  }
  throw gatewayErrors.modelNotFound(requested, "no enabled provider lists it; use 'provider/model'");
}
