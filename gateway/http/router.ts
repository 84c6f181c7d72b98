// Method + path → handler. A table, not a framework: the gateway has a handful of routes.
import { handleExplainRoute } from "../admin/explain-route";
import { gatewayErrors } from "../errors";
import type { GatewayDeps } from "../gateway-deps";
import { handleAnthropicCountTokens, handleAnthropicMessages, handleAnthropicModels, handleAnthropicRoot } from "../ingress/anthropic-messages/anthropic-routes";
import { GEMINI_PATTERN_ROUTES, handleGeminiModels } from "../ingress/gemini/gemini-routes";
import { handleChatCompletions } from "../pipeline/handle-chat-completions";
import { handleEmbeddings } from "../ingress/openai-surface/embeddings-route";
import { handleOpenAIModels } from "../ingress/openai-surface/models-route";
import { handleOpenAIResponses } from "../ingress/openai-responses/responses-routes";
import { handleHealth, handleMetrics, handleReady } from "./health-routes";
import type { RequestContext } from "./request-context";
import { sendError } from "./respond";

type Handler = (ctx: RequestContext, deps: GatewayDeps) => void | Promise<void>;

const routes: ReadonlyMap<string, Handler> = new Map<string, Handler>([
  ["GET /health", handleHealth],
  ["GET /ready", handleReady],
  ["GET /metrics", handleMetrics],
  ["POST /v1/chat/completions", handleChatCompletions],
  ["POST /openai/v1/chat/completions", handleChatCompletions],
  ["POST /v1/embeddings", handleEmbeddings],
  ["POST /openai/v1/embeddings", handleEmbeddings],
  ["GET /v1/models", handleOpenAIModels],
  ["GET /openai/v1/models", handleOpenAIModels],
  ["POST /v1/responses", handleOpenAIResponses],
  ["POST /openai/v1/responses", handleOpenAIResponses],
  ["POST /admin/routing/explain", handleExplainRoute],
  // Anthropic Messages (translated to the routed provider's API).
  ["POST /anthropic/v1/messages", handleAnthropicMessages],
  ["POST /anthropic/v1/messages/count_tokens", handleAnthropicCountTokens],
  ["GET /anthropic/v1/models", handleAnthropicModels],
  ["GET /anthropic", handleAnthropicRoot],
  ["GET /anthropic/", handleAnthropicRoot],
  // Gemini (generateContent routes are pattern routes below).
  ["GET /genai/v1beta/models", handleGeminiModels],
  ["GET /genai/v1/models", handleGeminiModels],
]);

/**
 * Routes whose path carries a parameter (Gemini: `/genai/v1beta/models/{model}:generateContent`).
 * Tried in order after the exact table; each handler reads its parameters from `ctx.path`.
 */
const patternRoutes: ReadonlyArray<{ readonly method: string; readonly pattern: RegExp; readonly handler: Handler }> = [...GEMINI_PATTERN_ROUTES];

export async function routeRequest(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  const method = ctx.req.method ?? "GET";
  // HEAD is answered like GET by Node (body suppressed), which load balancers rely on.
  const handler = routes.get(`${method === "HEAD" ? "GET" : method} ${ctx.path}`);
  if (handler) return handler(ctx, deps);
  const lookupMethod = method === "HEAD" ? "GET" : method;
  for (const route of patternRoutes) if (route.method === lookupMethod && route.pattern.test(ctx.path)) return route.handler(ctx, deps);
  sendError(ctx.res, gatewayErrors.routeNotFound(method, ctx.path));
}
