// Weighted random choice among a provider's enabled keys that may serve the model.
import type { ProviderConfig, ProviderKeyConfig } from "../config/snapshot";
import { matchGlob } from "../../lib/matching/glob";

export function pickProviderKey(provider: ProviderConfig, model: string, random: () => number = Math.random): ProviderKeyConfig | null {
  const eligible = provider.keys.filter(
    (key) => key.weight > 0 && (key.models.length === 0 || key.models.some((pattern) => matchGlob(pattern, model))),
  );
  const total = eligible.reduce((sum, key) => sum + key.weight, 0);
  if (total === 0) return null;
  let point = random() * total;
  for (const key of eligible) {
    point -= key.weight;
    if (point < 0) return key;
  }
  return eligible[eligible.length - 1] ?? null;
}
