import { describe, expect, it } from "vitest";
import { bearerToken, isAdminToken } from "./admin-token";

describe("admin token", () => {
  it("accepts only the configured token", () => {
    expect(isAdminToken("s3cret-token", "s3cret-token")).toBe(true);
    expect(isAdminToken("s3cret-tokeN", "s3cret-token")).toBe(false);
    expect(isAdminToken("s3cret-token-and-more", "s3cret-token")).toBe(false);
  });

  it("is disabled when no token is configured", () => {
    expect(isAdminToken("", undefined)).toBe(false);
    expect(isAdminToken("anything", undefined)).toBe(false);
    expect(isAdminToken("", "")).toBe(false);
  });

  it("parses bearer headers", () => {
    expect(bearerToken("Bearer abc.def")).toBe("abc.def");
    expect(bearerToken("bearer   abc ")).toBe("abc");
    expect(bearerToken("Basic abc")).toBeUndefined();
    expect(bearerToken("Bearer")).toBeUndefined();
    expect(bearerToken(null)).toBeUndefined();
  });
});
