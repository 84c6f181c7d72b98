// Model aliases (issue 5 item 2): a client asks for `fast` and the request goes to the
// provider/model the alias names; the log keeps both names.
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CATALOG_MODEL, PROVIDER_NAME, startGatewayHarness, type GatewayHarness } from "./support/gateway-harness";
import { waitFor } from "./support/wait-for";

let h: GatewayHarness;

beforeAll(async () => {
  h = await startGatewayHarness({
    seed: async (db) => {
      await db.query(`INSERT INTO settings (key, value, updated_at) VALUES ('model_aliases', $1::jsonb, now())`, [
        JSON.stringify({ fast: `${PROVIDER_NAME}/${CATALOG_MODEL}` }),
      ]);
    },
  });
});

afterAll(async () => {
  await h?.close();
});

describe("model aliases", () => {
  it("routes an alias to its provider/model and logs both names", async () => {
    const client = new OpenAI({ baseURL: `${h.gatewayUrl}/v1`, apiKey: h.virtualKey, maxRetries: 0 });
    const { data, response } = await client.chat.completions.create({ model: "fast", messages: [{ role: "user", content: "hi" }] }).withResponse();
    expect(data.choices[0]?.message.content).toBe("Echo: hi");
    expect(response.headers.get("x-switchyard-provider")).toBe(PROVIDER_NAME);
    expect(response.headers.get("x-switchyard-model")).toBe(CATALOG_MODEL);
    expect(h.upstream.requests.at(-1)?.body).toMatchObject({ model: CATALOG_MODEL });

    const row = await waitFor(
      async () => (await h.db.query<{ requested_model: string; model: string }>(`SELECT requested_model, model FROM request_logs WHERE requested_model = 'fast'`)).rows[0],
      (r) => r !== undefined,
      { what: "the alias request's log row" },
    );
    expect(row).toEqual({ requested_model: "fast", model: CATALOG_MODEL });
  });

  it("leaves an unknown name alone (404, not a guess)", async () => {
    const response = await fetch(`${h.gatewayUrl}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${h.virtualKey}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "fastest", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(response.status).toBe(404);
  });
});
