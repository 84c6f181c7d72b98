// Where provider key secrets came from: `${MISTRAL_API_KEY}` in the file is stored as
// `provider_keys.secret_ref` so that `config export` writes the reference back, never the secret.

/** Provider key id (`provider` + key name) → the `${VAR}` template of its value. */
export type SecretRefs = ReadonlyMap<string, string>;

export function providerKeyRefId(provider: string, key: string): string {
  return JSON.stringify([provider, key]);
}
