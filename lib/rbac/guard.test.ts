// The bearer-token half of the guard; the session half needs a running Next.js
// request context and is covered by the Playwright spec.
import { afterEach, describe, expect, it, vi } from "vitest";
import { authorize } from "./guard";

const request = (authorization?: string) =>
  new Request("http://localhost/api/v1/logs", { headers: authorization ? { authorization } : {} });

afterEach(() => vi.unstubAllEnvs());

describe("authorize with SWITCHYARD_ADMIN_TOKEN", () => {
  it("grants admin rights to the configured token", async () => {
    vi.stubEnv("SWITCHYARD_ADMIN_TOKEN", "tok-123456");
    const result = await authorize(request("Bearer tok-123456"), "providers:write");
    expect(result).toEqual({ ok: true, principal: { kind: "admin-token", role: "admin" } });
  });

  it("answers 401 for a wrong token without falling back to a session", async () => {
    vi.stubEnv("SWITCHYARD_ADMIN_TOKEN", "tok-123456");
    const result = await authorize(request("Bearer tok-654321"), "logs:read");
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.response.status).toBe(401);
      expect(await result.response.json()).toMatchObject({ error: { type: "unauthenticated" } });
    }
  });

  it("is disabled when no token is configured", async () => {
    vi.stubEnv("SWITCHYARD_ADMIN_TOKEN", "");
    const anything = await authorize(request("Bearer anything"), "logs:read");
    expect(anything.ok).toBe(false);
  });
});
