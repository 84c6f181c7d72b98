import { describe, expect, it } from "vitest";
import { oidcProvider, oidcSettingsFromEnv } from "./oidc";

describe("OIDC provider", () => {
  it("is off unless issuer, client id and secret are all set", () => {
    expect(oidcSettingsFromEnv({} as NodeJS.ProcessEnv)).toBeUndefined();
    expect(oidcSettingsFromEnv({ OIDC_ISSUER: "https://idp.example.com", OIDC_CLIENT_ID: "id" } as unknown as NodeJS.ProcessEnv)).toBeUndefined();
  });

  it("discovers endpoints from the issuer's well-known document", () => {
    const settings = oidcSettingsFromEnv({
      OIDC_ISSUER: "https://idp.example.com/realms/acme/",
      OIDC_CLIENT_ID: "switchyard",
      OIDC_CLIENT_SECRET: "s3cret",
    } as unknown as NodeJS.ProcessEnv);
    expect(settings).toMatchObject({ issuer: "https://idp.example.com/realms/acme", displayName: "Single sign-on" });
    const provider = oidcProvider(settings!);
    expect(provider).toMatchObject({
      id: "oidc",
      type: "oauth",
      wellKnown: "https://idp.example.com/realms/acme/.well-known/openid-configuration",
      idToken: true,
      checks: ["pkce", "state"],
    });
    expect(provider.profile({ sub: "u1", email: "a@example.com", preferred_username: "ada" }, {} as never)).toEqual({
      id: "u1",
      email: "a@example.com",
      name: "ada",
      image: null,
    });
  });
});
