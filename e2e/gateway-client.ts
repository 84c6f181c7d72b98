// Talks to the gateway the way an application does: plain HTTP with a virtual key.
import type { E2eEnv } from "./e2e-env";

export interface ChatResult {
  status: number;
  requestId: string | null;
  body: unknown;
}

export async function chatCompletion(env: E2eEnv, content: string): Promise<ChatResult> {
  const response = await fetch(`${env.gatewayUrl}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${env.virtualKey}`, "content-type": "application/json" },
    body: JSON.stringify({ model: env.model, messages: [{ role: "user", content }] }),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // keep the raw text for the assertion message
  }
  return { status: response.status, requestId: response.headers.get("x-request-id"), body };
}

/** `mock/gpt-test` → `gpt-test`: the logs show the provider and the model in separate columns. */
export function splitModel(model: string): { provider: string | null; model: string } {
  const slash = model.indexOf("/");
  return slash < 0 ? { provider: null, model } : { provider: model.slice(0, slash), model: model.slice(slash + 1) };
}
