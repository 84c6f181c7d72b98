// Bedrock authentication: AWS Signature Version 4 (service "bedrock") from an access key pair
// kept in the provider key's secret, or a Bedrock API key sent as a bearer token.
//
// The signature is computed here, synchronously, with node:crypto rather than with
// @smithy/signature-v4, whose `sign` is async: the adapter contract (`buildRequest`) is a
// pure, synchronous function of the request and `target.now`, and keeping signing inside it
// means every caller sends a signed request without a second step to forget. The strict mock
// and signing.test.ts verify these signatures with @smithy/signature-v4, so the two
// implementations check each other.
import { createHash, createHmac } from "node:crypto";

export type BedrockCredentials =
  | { readonly kind: "sigv4"; readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string }
  | { readonly kind: "api_key"; readonly apiKey: string };

/**
 * "ACCESS_KEY_ID:SECRET_ACCESS_KEY[:SESSION_TOKEN]" → SigV4 credentials; anything else is a
 * Bedrock API key. API keys are base64 and never contain ":", so the split is unambiguous.
 */
export function bedrockCredentialsFrom(secret: string): BedrockCredentials {
  const parts = secret.trim().split(":");
  if ((parts.length === 2 || parts.length === 3) && parts.every((p) => p !== "")) {
    const [accessKeyId, secretAccessKey, sessionToken] = parts as [string, string, string?];
    return { kind: "sigv4", accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
  }
  return { kind: "api_key", apiKey: secret.trim() };
}

export interface SigV4Input {
  readonly method: string;
  readonly url: URL;
  /** Headers to send and sign (lower-case names); host, x-amz-date and the token are added. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly region: string;
  readonly service: string;
  readonly now: Date;
}

/** RFC 3986 percent-encoding, as SigV4 requires (encodeURIComponent leaves !'()* alone). */
function uriEscape(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Every service but S3 signs the path encoded twice: the request line carries
 * /model/anthropic.claude-…-v1%3A0/converse, the canonical request …-v1%253A0/….
 */
function canonicalPath(pathname: string): string {
  const segments = pathname.split("/").filter((s) => s !== "" && s !== ".");
  const joined = `/${segments.map(uriEscape).join("/")}`;
  return pathname.endsWith("/") && segments.length > 0 ? `${joined}/` : joined;
}

function canonicalQuery(url: URL): string {
  const pairs = [...url.searchParams.entries()].map(([k, v]) => [uriEscape(k), uriEscape(v)] as const);
  pairs.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join("&");
}

function sha256Hex(data: string): string {
  return createHash("sha256").update(data, "utf8").digest("hex");
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac("sha256", key).update(data, "utf8").digest();
}

/** 20250102T030405Z and 20250102. */
export function amzDates(now: Date): { amzDate: string; dateStamp: string } {
  const amzDate = now.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
  return { amzDate, dateStamp: amzDate.slice(0, 8) };
}

/** The headers to send: the input's plus host, x-amz-date, x-amz-security-token and authorization. */
export function signSigV4(input: SigV4Input): Record<string, string> {
  const { amzDate, dateStamp } = amzDates(input.now);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.headers)) headers[name.toLowerCase()] = value;
  headers.host = input.url.host;
  headers["x-amz-date"] = amzDate;
  if (input.sessionToken) headers["x-amz-security-token"] = input.sessionToken;
  delete headers.authorization;

  const names = Object.keys(headers).sort();
  const canonicalHeaders = names.map((n) => `${n}:${headers[n]!.replace(/\s+/g, " ").trim()}\n`).join("");
  const signedHeaders = names.join(";");
  const canonicalRequest = [input.method, canonicalPath(input.url.pathname), canonicalQuery(input.url), canonicalHeaders, signedHeaders, sha256Hex(input.body)].join("\n");
  const scope = `${dateStamp}/${input.region}/${input.service}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256Hex(canonicalRequest)].join("\n");
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${input.secretAccessKey}`, dateStamp), input.region), input.service), "aws4_request");
  const signature = createHmac("sha256", signingKey).update(stringToSign, "utf8").digest("hex");
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${input.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return headers;
}
