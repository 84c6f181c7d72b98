// Body capture: who decides, what is redacted, where it is cut.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import type { VirtualKeyConfig } from "../config/snapshot";
import { bodyCaptureConfigFromEnv, redactBody, shouldCaptureBodies, startBodyCapture } from "./body-capture";

const key = (settings: unknown = {}): VirtualKeyConfig => ({
  id: "vk1", name: "k", teamId: null, userId: null, customerId: null, allowedModels: [], allowedProviders: [],
  expiresAt: null, active: true, revokedAt: null, tags: [], settings,
});

describe("body capture", () => {
  it("reads its configuration and names a bad variable", () => {
    expect(bodyCaptureConfigFromEnv({}).maxBytes).toBe(64 * 1024);
    expect(bodyCaptureConfigFromEnv({ SWITCHYARD_LOG_BODIES: "true" }).defaultOn).toBe(true);
    expect(() => bodyCaptureConfigFromEnv({ SWITCHYARD_LOG_BODY_MAX_BYTES: "-1" })).toThrow(/SWITCHYARD_LOG_BODY_MAX_BYTES/);
    expect(() => bodyCaptureConfigFromEnv({ SWITCHYARD_LOG_REDACT_PATTERNS: "(" })).toThrow(/SWITCHYARD_LOG_REDACT_PATTERNS/);
    expect(() => bodyCaptureConfigFromEnv({ SWITCHYARD_LOG_BODIES: "yes" })).toThrow(/SWITCHYARD_LOG_BODIES/);
  });

  it("decides by header, then key, then provider, then the default", () => {
    const config = bodyCaptureConfigFromEnv({});
    expect(shouldCaptureBodies({}, key(), null, config)).toBe(false);
    expect(shouldCaptureBodies({}, key(), { captureBodies: true }, config)).toBe(true);
    expect(shouldCaptureBodies({}, key({ capture_bodies: false }), { captureBodies: true }, config)).toBe(false);
    expect(shouldCaptureBodies({ "x-switchyard-capture-bodies": "true" }, key({ capture_bodies: false }), null, config)).toBe(true);
    expect(shouldCaptureBodies({ "x-switchyard-capture-bodies": "false" }, key(), { captureBodies: true }, config)).toBe(false);
    expect(shouldCaptureBodies({ "x-switchyard-capture-bodies": "maybe" }, key(), null, { ...config, defaultOn: true })).toBe(true);
  });

  it("redacts credentials by field name and by shape, in JSON and in text", () => {
    const json = JSON.parse(
      redactBody(JSON.stringify({ model: "m", api_key: "abc", nested: { Authorization: "Bearer xyz12345678", note: "my key is sk-proj-ABCDEFGHIJKLMNOP" }, list: [{ password: "p" }] })),
    );
    expect(json).toEqual({ model: "m", api_key: "[REDACTED]", nested: { Authorization: "[REDACTED]", note: "my key is [REDACTED]" }, list: [{ password: "[REDACTED]" }] });
    expect(redactBody('data: {"x":"AKIAABCDEFGHIJKLMNOP and Bearer abcdefghijk"}\n\n')).toBe('data: {"x":"[REDACTED] and [REDACTED]"}\n\n');
    expect(redactBody("card 4111-1111", [/\d{4}-\d{4}/g])).toBe("card [REDACTED]");
  });

  it("captures what the response writes, capped, without changing what the client gets", async () => {
    const config = { ...bodyCaptureConfigFromEnv({}), maxBytes: 100 };
    let finish: () => ReturnType<ReturnType<typeof startBodyCapture>["finish"]> = () => {
      throw new Error("not captured");
    };
    const server = http.createServer((_req, res) => {
      finish = startBodyCapture(res, JSON.stringify({ messages: [{ role: "user", content: "é".repeat(80) }], api_key: "secret" }), config).finish;
      res.writeHead(200, { "content-type": "text/event-stream" });
      for (let i = 0; i < 20; i++) res.write(`data: {"i":${i}}\n\n`);
      res.end("data: [DONE]\n\n");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      const text = await response.text();
      expect(text.endsWith("data: [DONE]\n\n")).toBe(true);
      expect(text.split("\n\n").length).toBe(22);
      const captured = finish();
      expect(captured.truncated).toBe(true);
      expect(Buffer.byteLength(captured.responseBody ?? "")).toBeLessThanOrEqual(100);
      expect(captured.responseBody?.startsWith('data: {"i":0}')).toBe(true);
      expect(Buffer.byteLength(captured.requestBody ?? "")).toBeLessThanOrEqual(100);
      expect(captured.requestBody).not.toContain("secret");
      expect(captured.requestBody).not.toContain("\uFFFD");
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
