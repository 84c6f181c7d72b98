import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical-json";
import { exactCacheKey, semanticKeyParts } from "./cache-key";

const base = { clientApi: "openai_chat", namespace: "team:t1", stream: false };

describe("canonical JSON and the exact key", () => {
  it("sorts keys at every depth and keeps array order", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson({ a: undefined, b: [undefined] })).toBe('{"b":[null]}');
  });

  it("is the same for the same request in another key order, and differs for anything that changes the answer", () => {
    const a = exactCacheKey({ ...base, body: { model: "m", messages: [{ role: "user", content: "hi" }], temperature: 0 } });
    const b = exactCacheKey({ ...base, body: { temperature: 0, messages: [{ content: "hi", role: "user" }], model: "m" } });
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(b).toBe(a);
    const body = { model: "m", messages: [{ role: "user", content: "hi" }], temperature: 0 };
    for (const other of [
      { ...base, body: { ...body, temperature: 1 } },
      { ...base, body: { ...body, tools: [{ type: "function", function: { name: "f" } }] } },
      { ...base, body: { ...body, response_format: { type: "json_object" } } },
      { ...base, body: { ...body, model: "m2" } },
      { ...base, stream: true, body },
      { ...base, clientApi: "anthropic_messages", body },
      { ...base, namespace: "team:t2", body },
    ]) {
      expect(exactCacheKey(other)).not.toBe(a);
    }
  });

  it("leaves out fields that never change the answer (user, metadata, store)", () => {
    const body = { model: "m", messages: [{ role: "user", content: "hi" }] };
    expect(exactCacheKey({ ...base, body: { ...body, user: "u-1", metadata: { run: "7" }, store: true } })).toBe(exactCacheKey({ ...base, body }));
  });
});

describe("semantic key parts", () => {
  const conversation = (system: string, user: string) => ({ model: "m", messages: [{ role: "system", content: system }, { role: "user", content: [{ type: "text", text: user }] }] });

  it("embeds role-prefixed text, with or without the system prompt", () => {
    expect(semanticKeyParts({ ...base, body: conversation("be brief", "hello") }, true).text).toBe("system: be brief\nuser: hello");
    expect(semanticKeyParts({ ...base, body: conversation("be brief", "hello") }, false).text).toBe("user: hello");
  });

  it("scopes on everything but the prose: other parameters never match, another system prompt only when it is left out", () => {
    const scope = (body: Record<string, unknown>, includeSystem: boolean) => semanticKeyParts({ ...base, body }, includeSystem).scope;
    expect(scope(conversation("a", "x"), true)).toBe(scope(conversation("a", "y"), true));
    expect(scope({ ...conversation("a", "x"), temperature: 1 }, true)).not.toBe(scope(conversation("a", "x"), true));
    expect(scope(conversation("a", "x"), false)).toBe(scope(conversation("b", "x"), false));
    expect(semanticKeyParts({ ...base, body: conversation("a", "x") }, true).text).not.toBe(semanticKeyParts({ ...base, body: conversation("b", "x") }, true).text);
  });
});
