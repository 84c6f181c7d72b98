// POST /api/v1/playground/chat: the dashboard playground's way to the gateway. The gateway
// sends no CORS headers, so the browser cannot call it directly; this same-origin route
// relays the request with the virtual key the user pasted (x-switchyard-virtual-key; the
// Authorization header is the admin API's own) and streams the answer through unchanged.
// The signed-in user needs playground:use; what the request may do is the virtual key's
// business, checked by the gateway exactly as for any client.
import { gatewayBaseUrl } from "@/lib/admin/routing-rules";
import { authorize } from "@/lib/rbac/guard";
import { PLAYGROUND_KEY_HEADER } from "@/components/playground/playground-protocol";
import { relayChatCompletion } from "./gateway-proxy";

export const dynamic = "force-dynamic";

const MAX_BODY_BYTES = 1024 * 1024;

function invalid(path: string, message: string): Response {
  return Response.json({ error: { code: "invalid_request", message, issues: [{ path, message }] } }, { status: 400 });
}

export async function POST(request: Request): Promise<Response> {
  const auth = await authorize(request, "playground:use");
  if (!auth.ok) return auth.response;
  const virtualKey = request.headers.get(PLAYGROUND_KEY_HEADER)?.trim() ?? "";
  if (virtualKey === "") return invalid("key", `Paste a virtual key (sent as the ${PLAYGROUND_KEY_HEADER} header)`);
  if (virtualKey.length > 512 || /\s/.test(virtualKey)) return invalid("key", "A virtual key has no spaces and at most 512 characters");
  const body = await request.text();
  if (Buffer.byteLength(body) > MAX_BODY_BYTES) return invalid("messages", `The request is larger than ${MAX_BODY_BYTES / 1024} KiB`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return invalid("(root)", "The request body is not valid JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return invalid("(root)", "The request body must be a JSON object");
  // Everything else (model, messages, parameters) the gateway validates, with its own errors.
  return relayChatCompletion({ baseUrl: gatewayBaseUrl(), virtualKey, body, signal: request.signal });
}
