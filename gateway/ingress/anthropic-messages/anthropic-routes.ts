// The Anthropic surface of the gateway (PRODUCT §2): POST /anthropic/v1/messages (also with
// `?beta=true`, the query is ignored), POST /anthropic/v1/messages/count_tokens, GET
// /anthropic/v1/models and HEAD/GET /anthropic (Claude Code probes the base URL). Keys come
// from x-api-key or Authorization: Bearer; any anthropic-version is accepted.
import { runJsonRoute } from "../json-route";
import type { GatewayDeps } from "../../gateway-deps";
import { GatewayError } from "../../errors";
import { readBody } from "../../http/read-body";
import type { RequestContext } from "../../http/request-context";
import { sendJson } from "../../http/respond";
import { authenticate } from "../../pipeline/authenticate";
import { createInferenceHandler } from "../../pipeline/handle-inference";
import { adapterFor } from "../../providers/registry";
import { modelsForKey } from "../models-for-key";
import { anthropicMessagesCodec, decodeAnthropicRequest } from "./anthropic-codec";

export const handleAnthropicMessages = createInferenceHandler({
  codec: anthropicMessagesCodec,
  requestType: (stream) => (stream ? "messages_stream" : "messages"),
  adapterFor,
  passthroughHeaders: ["anthropic-beta"],
});


function snapshotOf(deps: GatewayDeps) {
  const snapshot = deps.snapshots.current;
  if (!snapshot) throw new GatewayError({ status: 503, type: "server_error", message: "The gateway has not loaded its configuration yet.", source: "gateway", retryable: true });
  return snapshot;
}

/** Characters / 4 over everything the model reads: the usual estimate, labelled as one. */
function estimateInputTokens(body: Record<string, unknown>): number {
  const request = decodeAnthropicRequest({ ...body, max_tokens: 1 });
  let chars = 0;
  for (const block of request.system) chars += block.text.length;
  for (const message of request.messages) {
    for (const block of message.content) {
      if (block.type === "text") chars += block.text.length;
      else if (block.type === "tool_use") chars += JSON.stringify(block.input ?? {}).length + block.name.length;
      else if (block.type === "tool_result") for (const inner of block.content) chars += inner.type === "text" ? inner.text.length : 0;
      else if (block.type === "thinking") chars += block.thinking.length;
      else if (block.type === "image") chars += 1_600 * 4;
    }
  }
  for (const tool of request.tools) chars += tool.name.length + (tool.description?.length ?? 0) + JSON.stringify(tool.parameters).length;
  return Math.max(1, Math.ceil(chars / 4));
}

export function handleAnthropicCountTokens(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  return runJsonRoute(ctx, deps, anthropicMessagesCodec, async () => {
    authenticate(ctx.req.headers, snapshotOf(deps));
    let body: unknown;
    try {
      body = JSON.parse((await readBody(ctx.req, deps.maxBodyBytes)).toString("utf8"));
    } catch (error) {
      if (error instanceof GatewayError) throw error;
      throw new GatewayError({ status: 400, type: "invalid_request_error", message: "The request body is not valid JSON.", source: "gateway" });
    }
    if (body === null || typeof body !== "object" || Array.isArray(body)) throw new GatewayError({ status: 400, type: "invalid_request_error", message: "The request body must be a JSON object.", source: "gateway" });
    // The estimate is the gateway's (no provider call): documented as such in the README.
    return { input_tokens: estimateInputTokens(body as Record<string, unknown>) };
  });
}

export function handleAnthropicModels(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  return runJsonRoute(ctx, deps, anthropicMessagesCodec, () => {
    const snapshot = snapshotOf(deps);
    const auth = authenticate(ctx.req.headers, snapshot);
    const data = modelsForKey(auth, snapshot).map((id) => ({ type: "model", id, display_name: id, created_at: "1970-01-01T00:00:00Z" }));
    return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null };
  });
}

export function handleAnthropicRoot(ctx: RequestContext): void {
  sendJson(ctx.res, 200, { status: "ok", api: "anthropic" });
}
