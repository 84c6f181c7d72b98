// A deterministic mock of the OpenAI embeddings API for the semantic cache's tests and
// benchmark. Bag of words hashed into a fixed dimension: texts that share their content
// words (a paraphrase) are close, texts about other things are not, the same text always
// gives the same vector. Strict like the chat mock: Bearer key, known fields only.
//
//   tsx gateway/testing/mock-embeddings.ts --port 9002
import http from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";

export const MOCK_EMBEDDING_MODEL = "mock-embed-bow";
export const MOCK_EMBEDDING_DIMENSIONS = 256;

// Function words carry no meaning for "is this the same question": dropping them is what
// makes "What is the capital of France?" and "Tell me France's capital" close.
const STOP_WORDS = new Set(
  "a an and are as at be by can could do does for from give how i in is it me my of on or please s say tell than that the their there this to was what which who why will with would you your".split(" "),
);

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** Light stemming so plurals and simple inflections land in the same bucket. */
function stem(word: string): string {
  if (word.length > 4 && word.endsWith("ies")) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith("s") && !word.endsWith("ss")) return word.slice(0, -1);
  return word;
}

export function mockEmbedding(text: string, dimensions = MOCK_EMBEDDING_DIMENSIONS): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  const words = text.toLowerCase().normalize("NFKC").split(/[^\p{L}\p{N}]+/u).filter((w) => w !== "" && !STOP_WORDS.has(w));
  for (const word of words) {
    const hash = fnv1a(stem(word));
    vector[hash % dimensions] = (vector[hash % dimensions] ?? 0) + ((hash >>> 16) & 1 ? 1 : -1);
  }
  const norm = Math.sqrt(vector.reduce((sum, v) => sum + v * v, 0));
  return norm === 0 ? vector : vector.map((v) => v / norm);
}

/** OpenAI's base64 encoding: the little-endian float32 bytes of the vector. */
function encodeEmbedding(vector: number[], format: unknown): number[] | string {
  if (format !== "base64") return vector;
  return Buffer.from(new Float32Array(vector).buffer).toString("base64");
}

export interface MockEmbeddingsServer {
  /** Base URL ending in /v1. */
  url: string;
  port: number;
  /** Number of embedding requests answered (tests assert the cache called it). */
  readonly calls: number;
  close(): Promise<void>;
}

const ALLOWED_FIELDS = new Set(["model", "input", "encoding_format", "dimensions", "user"]);

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": String(Buffer.byteLength(payload)) });
  res.end(payload);
}

function invalid(res: http.ServerResponse, status: number, message: string, param: string | null = null): void {
  send(res, status, { error: { message, type: "invalid_request_error", param, code: null } });
}

export async function startMockEmbeddings(options: { apiKey?: string; port?: number; host?: string } = {}): Promise<MockEmbeddingsServer> {
  let calls = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      if (req.method !== "POST" || req.url !== "/v1/embeddings") return invalid(res, 404, `Unknown path ${req.method} ${req.url}`);
      if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`) return send(res, 401, { error: { message: "Incorrect API key provided", type: "invalid_request_error", param: null, code: "invalid_api_key" } });
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
      } catch {
        return invalid(res, 400, "We could not parse the JSON body of your request.");
      }
      if (body.encoding_format !== undefined && body.encoding_format !== "float" && body.encoding_format !== "base64") {
        return invalid(res, 400, `Invalid value for 'encoding_format': ${JSON.stringify(body.encoding_format)}. Supported values are: 'float' and 'base64'.`, "encoding_format");
      }
      const unknown = Object.keys(body).find((k) => !ALLOWED_FIELDS.has(k));
      if (unknown) return invalid(res, 400, `Unrecognized request argument supplied: ${unknown}`, unknown);
      if (typeof body.model !== "string") return invalid(res, 400, "Missing required parameter: 'model'.", "model");
      const inputs = typeof body.input === "string" ? [body.input] : Array.isArray(body.input) && body.input.every((i) => typeof i === "string") ? (body.input as string[]) : null;
      if (!inputs || inputs.length === 0) return invalid(res, 400, "'input' must be a string or an array of strings.", "input");
      const dimensions = typeof body.dimensions === "number" ? body.dimensions : MOCK_EMBEDDING_DIMENSIONS;
      calls += 1;
      const tokens = inputs.reduce((sum, text) => sum + text.split(/\s+/).filter(Boolean).length, 0);
      send(res, 200, {
        object: "list",
        data: inputs.map((text, index) => ({ object: "embedding", index, embedding: encodeEmbedding(mockEmbedding(text, dimensions), body.encoding_format) })),
        model: body.model,
        usage: { prompt_tokens: tokens, total_tokens: tokens },
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${options.host ?? "127.0.0.1"}:${port}/v1`,
    port,
    get calls() {
      return calls;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const portArg = process.argv.indexOf("--port");
  const port = portArg > 0 ? Number(process.argv[portArg + 1]) : 9002;
  void startMockEmbeddings({ port }).then((mock) => console.log(`mock embeddings on ${mock.url} (model ${MOCK_EMBEDDING_MODEL})`));
}
