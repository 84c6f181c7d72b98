// Generic OpenID Connect sign-in (PRODUCT §8: "any OIDC provider"), enabled only when
// OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are all set.
import type { OAuthConfig } from "next-auth/providers/oauth";

export const OIDC_PROVIDER_ID = "oidc";

interface OidcProfile extends Record<string, unknown> {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
  preferred_username?: string;
  picture?: string;
}

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  displayName: string;
}

export function oidcSettingsFromEnv(source: NodeJS.ProcessEnv = process.env): OidcSettings | undefined {
  const issuer = source.OIDC_ISSUER;
  const clientId = source.OIDC_CLIENT_ID;
  const clientSecret = source.OIDC_CLIENT_SECRET;
  if (!issuer || !clientId || !clientSecret) return undefined;
  return { issuer: issuer.replace(/\/+$/, ""), clientId, clientSecret, displayName: source.OIDC_DISPLAY_NAME || "Single sign-on" };
}

export function oidcProvider(settings: OidcSettings): OAuthConfig<OidcProfile> {
  return {
    id: OIDC_PROVIDER_ID,
    name: settings.displayName,
    type: "oauth",
    wellKnown: `${settings.issuer}/.well-known/openid-configuration`,
    issuer: settings.issuer,
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    authorization: { params: { scope: "openid email profile" } },
    idToken: true,
    checks: ["pkce", "state"],
    profile(profile) {
      return {
        id: profile.sub,
        email: profile.email ?? null,
        name: profile.name ?? profile.preferred_username ?? null,
        image: profile.picture ?? null,
      };
    },
  };
}
