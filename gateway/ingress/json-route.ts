// The small JSON routes of an API surface (models, count_tokens): run, answer 200 with the
// result, or the error in that API's shape (its codec's) — never a stack trace, and an
// unexpected throw is logged and answered as a 500 from the gateway.
import { GatewayError } from "../errors";
import type { GatewayDeps } from "../gateway-deps";
import type { RequestContext } from "../http/request-context";
import { sendJson } from "../http/respond";
import type { IngressCodec } from "./types";

export async function runJsonRoute(ctx: RequestContext, deps: GatewayDeps, codec: Pick<IngressCodec, "encodeError">, run: () => Promise<unknown> | unknown): Promise<void> {
  try {
    sendJson(ctx.res, 200, await run());
  } catch (thrown) {
    const error = thrown instanceof GatewayError ? thrown : new GatewayError({ status: 500, type: "server_error", message: "Internal gateway error.", source: "gateway" });
    if (!(thrown instanceof GatewayError)) deps.log(`request ${ctx.requestId}: unexpected error: ${(thrown as Error)?.stack ?? String(thrown)}`);
    const encoded = codec.encodeError(error);
    sendJson(ctx.res, encoded.status, encoded.body, { ...encoded.headers });
  }
}
