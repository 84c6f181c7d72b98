// One concrete place a request can be sent: a provider of the snapshot and the model name
// as that provider knows it (without any `provider/` prefix).
import type { ProviderConfig } from "../config/snapshot";

export interface ResolvedTarget {
  readonly provider: ProviderConfig;
  readonly model: string;
}
