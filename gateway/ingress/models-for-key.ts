// The models a virtual key may use, as `provider/model` ids: what GET models answers on every
// API surface (PRODUCT §2), filtered by the key's provider and model allow-lists.
import type { ConfigSnapshot } from "../config/snapshot";
import { matchesAnyGlob } from "../../lib/matching/glob";
import type { AuthenticatedKey } from "../pipeline/authenticate";

export function modelsForKey(auth: AuthenticatedKey, snapshot: ConfigSnapshot): string[] {
  const ids: string[] = [];
  for (const provider of snapshot.providersByName.values()) {
    if (!provider.enabled || !matchesAnyGlob(auth.key.allowedProviders, [provider.name])) continue;
    for (const model of provider.models) {
      const id = `${provider.name}/${model}`;
      if (matchesAnyGlob(auth.key.allowedModels, [id, model])) ids.push(id);
    }
  }
  return ids.sort();
}
