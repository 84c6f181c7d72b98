// Step 1 — decode: bounded body read, JSON parse, and the minimum shape checks the
// gateway itself needs (model and messages). Everything else is the provider's business.
import type { IncomingMessage } from "node:http";
import { gatewayErrors } from "../errors";
import { readBody } from "../http/read-body";

export interface ChatRequest {
  /** The client's body as parsed; forwarded unchanged except `model`. */
  readonly body: Readonly<Record<string, unknown>>;
  readonly model: string;
  readonly stream: boolean;
  /** What governance estimates a reservation from (governance/estimate.ts). */
  readonly estimate: ReservationBasis;
}

export interface ReservationBasis {
  /** Size of the client's body as received, UTF-8 bytes. */
  readonly promptBytes: number;
  /** The output bound the request sets (`max_tokens` and the like), null when it sets none. */
  readonly maxOutputTokens: number | null;
}

/** OpenAI's output bound: `max_completion_tokens`, or the older `max_tokens`. */
function openAIMaxOutputTokens(body: Readonly<Record<string, unknown>>): number | null {
  const value = body.max_completion_tokens ?? body.max_tokens;
  return typeof value === "number" ? value : null;
}

export function parseChatRequest(raw: Buffer): ChatRequest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString("utf8"));
  } catch (error) {
    throw gatewayErrors.invalidJson((error as Error).message);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw gatewayErrors.invalidRequest("Request body must be a JSON object.");
  }
  const body = parsed as Record<string, unknown>;
  if (typeof body.model !== "string" || body.model.trim() === "") {
    throw gatewayErrors.invalidRequest("Missing required parameter: 'model'.", "model");
  }
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    throw gatewayErrors.invalidRequest("Missing required parameter: 'messages' (a non-empty array).", "messages");
  }
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== "boolean") {
    throw gatewayErrors.invalidRequest("'stream' must be a boolean.", "stream");
  }
  return { body, model: body.model.trim(), stream: body.stream === true, estimate: { promptBytes: raw.length, maxOutputTokens: openAIMaxOutputTokens(body) } };
}

export async function decodeChatRequest(req: IncomingMessage, maxBodyBytes: number): Promise<ChatRequest> {
  return parseChatRequest(await readBody(req, maxBodyBytes));
}
