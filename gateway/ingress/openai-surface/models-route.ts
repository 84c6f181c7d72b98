// GET /v1/models and /openai/v1/models: the models this key may use (PRODUCT §2.1), as
// `provider/model` ids in OpenAI's list shape. Errors in OpenAI's shape.
import type { GatewayDeps } from "../../gateway-deps";
import { asGatewayError } from "../../errors";
import type { RequestContext } from "../../http/request-context";
import { sendError, sendJson } from "../../http/respond";
import { authenticate } from "../../pipeline/authenticate";
import { requireSnapshot } from "../../pipeline/request-start";
import { modelsForKey } from "../models-for-key";

export function handleOpenAIModels(ctx: RequestContext, deps: GatewayDeps): void {
  try {
    const snapshot = requireSnapshot(deps);
    const auth = authenticate(ctx.req.headers, snapshot);
    const data = modelsForKey(auth, snapshot).map((id) => ({ id, object: "model", created: 0, owned_by: id.slice(0, id.indexOf("/")) }));
    sendJson(ctx.res, 200, { object: "list", data });
  } catch (thrown) {
    sendError(ctx.res, asGatewayError(thrown));
  }
}
