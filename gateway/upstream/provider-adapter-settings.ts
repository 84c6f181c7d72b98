// The adapter-specific part of a provider's `settings` JSON (lib/validation/admin-providers.ts
// `providerSettingsSchema`), read once per config snapshot so adapters never parse JSON per
// request. Unknown or mistyped values are ignored here (the admin API and config apply
// validate them strictly on the way in).

export interface ProviderAdapterSettings {
  /** azure-openai `api-version`; anthropic `anthropic-version` sent upstream. */
  readonly apiVersion?: string;
  /** bedrock / vertex region. */
  readonly region?: string;
  /** vertex project id. */
  readonly projectId?: string;
  /** vertex location (defaults to the region, then us-central1). */
  readonly location?: string;
  /** OpenAI-compatible types: the upstream API, Chat Completions (default) or Responses. */
  readonly wireApi?: "chat" | "responses";
  /** azure-openai: model name → deployment name (absent: the model name is the deployment). */
  readonly deployments?: Readonly<Record<string, string>>;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

export function providerAdapterSettingsFrom(settings: unknown): ProviderAdapterSettings {
  const s = settings !== null && typeof settings === "object" && !Array.isArray(settings) ? (settings as Record<string, unknown>) : {};
  const out: { -readonly [K in keyof ProviderAdapterSettings]: ProviderAdapterSettings[K] } = {};
  const apiVersion = stringOf(s.api_version ?? s.apiVersion);
  if (apiVersion) out.apiVersion = apiVersion;
  const region = stringOf(s.region);
  if (region) out.region = region;
  const projectId = stringOf(s.project_id ?? s.projectId);
  if (projectId) out.projectId = projectId;
  const location = stringOf(s.location);
  if (location) out.location = location;
  const wireApi = s.wire_api ?? s.wireApi;
  if (wireApi === "chat" || wireApi === "responses") out.wireApi = wireApi;
  const deployments = s.deployments;
  if (deployments !== null && typeof deployments === "object" && !Array.isArray(deployments)) {
    const map: Record<string, string> = {};
    for (const [model, deployment] of Object.entries(deployments)) if (typeof deployment === "string" && deployment !== "") map[model] = deployment;
    out.deployments = Object.freeze(map);
  }
  return Object.freeze(out);
}
