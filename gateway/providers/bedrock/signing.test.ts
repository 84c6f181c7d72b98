import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";
import { describe, expect, it } from "vitest";
import type { ProviderConfig } from "../../config/snapshot";
import { createTransformLog, type CanonicalRequest } from "../../formats/canonical";
import type { UpstreamTarget } from "../types";
import { bedrockAdapter } from "./adapter";
import signedFixture from "./__fixtures__/sigv4-signed-converse.json";
import { bedrockCredentialsFrom, signSigV4 } from "./signing";

const NOW = new Date("2025-03-04T05:06:07.890Z");

function target(secret: string, overrides: Partial<ProviderConfig> = {}, model = "anthropic.claude-3-5-sonnet-20240620-v1:0"): UpstreamTarget {
  const provider = {
    id: "prov_1",
    name: "aws",
    type: "bedrock",
    baseUrl: null,
    requestTypes: [],
    headers: {},
    models: [],
    enabled: true,
    keys: [],
    timeouts: { connectMs: 1000, firstByteMs: 1000, streamIdleMs: 1000 },
    adapterSettings: { region: "eu-west-3" },
    ...overrides,
  } as unknown as ProviderConfig;
  return { provider, key: { id: "k", name: "main", secret, weight: 1, models: [] }, model, now: NOW };
}

const REQUEST: CanonicalRequest = { model: "claude", system: [], messages: [{ role: "user", content: [{ type: "text", text: "hello" }] }], tools: [], maxTokens: 16, stream: false, extensions: {} };

/** The reference signer's Authorization for the request as it would be sent. */
async function smithyAuthorization(built: { url: URL; headers: Readonly<Record<string, string>>; body: string | undefined }, secret: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }, region: string): Promise<string> {
  const signer = new SignatureV4({ service: "bedrock", region, credentials: secret, sha256: Sha256, uriEscapePath: true, applyChecksum: false });
  const headers = Object.fromEntries(Object.entries(built.headers).filter(([name]) => name !== "authorization"));
  const signed = await signer.sign({ method: "POST", protocol: built.url.protocol, hostname: built.url.hostname, path: built.url.pathname, query: {}, headers, body: built.body }, { signingDate: NOW });
  return String(signed.headers.authorization);
}

describe("bedrockCredentialsFrom", () => {
  it("reads key pairs with an optional session token, and treats anything else as an API key", () => {
    expect(bedrockCredentialsFrom("AKID:SECRET")).toEqual({ kind: "sigv4", accessKeyId: "AKID", secretAccessKey: "SECRET" });
    expect(bedrockCredentialsFrom("ASIA1:s/ec+ret:FwoGZXIvYXdzE")).toEqual({ kind: "sigv4", accessKeyId: "ASIA1", secretAccessKey: "s/ec+ret", sessionToken: "FwoGZXIvYXdzE" });
    expect(bedrockCredentialsFrom("ABSKQmVkcm9ja0FQSUtleS1leGFtcGxl")).toEqual({ kind: "api_key", apiKey: "ABSKQmVkcm9ja0FQSUtleS1leGFtcGxl" });
    expect(bedrockCredentialsFrom("a:b:c:d")).toEqual({ kind: "api_key", apiKey: "a:b:c:d" });
    expect(bedrockCredentialsFrom("AKID:")).toEqual({ kind: "api_key", apiKey: "AKID:" });
  });
});

describe("signSigV4", () => {
  it("reproduces the AWS SigV4 test suite's get-vanilla signature", () => {
    const headers = signSigV4({
      method: "GET",
      url: new URL("https://example.amazonaws.com/"),
      headers: {},
      body: "",
      accessKeyId: "AKIDEXAMPLE",
      secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
      region: "us-east-1",
      service: "service",
      now: new Date("2015-08-30T12:36:00Z"),
    });
    expect(headers.authorization).toBe(
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
    );
  });
});

describe("bedrockAdapter request signing", () => {
  it("signs deterministically for a fixed target.now (recorded), exactly as @smithy/signature-v4 does", async () => {
    const built = bedrockAdapter.buildRequest(REQUEST, target("AKIDEXAMPLE:wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"), createTransformLog());
    expect(built.url.href).toBe(signedFixture.url);
    expect(built.body).toBe(signedFixture.body);
    expect(built.headers).toEqual(signedFixture.headers);
    expect(built.headers.authorization).toBe(await smithyAuthorization(built, { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" }, "eu-west-3"));
  });

  it("signs the session token, provider headers, a base URL with a port and an ARN model id like @smithy", async () => {
    const arn = "arn:aws:bedrock:us-west-2:123456789012:inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0";
    const t = target("ASIAEXAMPLE:secret/key+1:IQoJb3JpZ2luX2VjE", { baseUrl: "http://127.0.0.1:8123/", headers: { "X-Team": "  core   infra " }, adapterSettings: { region: "us-west-2" } }, arn);
    const built = bedrockAdapter.buildRequest({ ...REQUEST, stream: true }, t, createTransformLog());
    expect(built.url.href).toBe(`http://127.0.0.1:8123/model/${encodeURIComponent(arn)}/converse-stream`);
    expect(built.headers).toMatchObject({ host: "127.0.0.1:8123", "x-amz-security-token": "IQoJb3JpZ2luX2VjE", accept: "application/vnd.amazon.eventstream", "x-team": "  core   infra " });
    expect(built.headers.authorization).toContain("SignedHeaders=accept;content-type;host;x-amz-date;x-amz-security-token;x-team,");
    expect(built.headers.authorization).toBe(await smithyAuthorization(built, { accessKeyId: "ASIAEXAMPLE", secretAccessKey: "secret/key+1", sessionToken: "IQoJb3JpZ2luX2VjE" }, "us-west-2"));
  });

  it("defaults to us-east-1 and sends a Bedrock API key as a bearer token, unsigned", () => {
    const built = bedrockAdapter.buildRequest(REQUEST, target("ABSKQmVkcm9ja0FQSUtleS1leGFtcGxl", { adapterSettings: {} }), createTransformLog());
    expect(built.url.href).toBe("https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse");
    expect(built.headers.authorization).toBe("Bearer ABSKQmVkcm9ja0FQSUtleS1leGFtcGxl");
    expect(built.headers).not.toHaveProperty("x-amz-date");
  });

  it("changes the signature when the body changes (the pipeline must send it as signed)", () => {
    const a = bedrockAdapter.buildRequest(REQUEST, target("AKID:SECRET"), createTransformLog());
    const b = bedrockAdapter.buildRequest({ ...REQUEST, maxTokens: 17 }, target("AKID:SECRET"), createTransformLog());
    expect(a.headers["x-amz-date"]).toBe("20250304T050607Z");
    expect(a.headers.authorization).not.toBe(b.headers.authorization);
  });
});
