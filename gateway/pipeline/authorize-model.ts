// Step 4 — may this key use this provider and model? Deny by default: an empty
// allow-list allows nothing, `*` allows everything (PRODUCT §5, schema VirtualKey).
import { gatewayErrors } from "../errors";
import { matchesAnyGlob } from "../../lib/matching/glob";
import type { AuthenticatedKey } from "./authenticate";
import type { ResolvedTarget } from "./resolved-target";

export function authorizeModel(auth: AuthenticatedKey, target: ResolvedTarget): void {
  const providerName = target.provider.name;
  const qualified = `${providerName}/${target.model}`;
  if (!matchesAnyGlob(auth.key.allowedProviders, [providerName])) {
    throw gatewayErrors.notAllowed(`API key '${auth.key.name}' is not allowed to use provider '${providerName}'.`);
  }
  // Matched against both spellings so that `gpt-4o` and `openai/gpt-4o` both work as rules.
  if (!matchesAnyGlob(auth.key.allowedModels, [qualified, target.model])) {
    throw gatewayErrors.notAllowed(`API key '${auth.key.name}' is not allowed to use model '${qualified}'.`);
  }
}
