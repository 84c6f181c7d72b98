// Config changes reach a running gateway through NOTIFY config_changed, without restart.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CATALOG_MODEL, startGatewayHarness, type GatewayHarness } from "./support/gateway-harness";
import { notifyAndWaitForReload, readReady } from "./support/config-reload";
import { insertVirtualKey } from "./support/seed";

let h: GatewayHarness;

beforeAll(async () => {
  // A long safety interval, so that only NOTIFY can explain a reload within the test.
  h = await startGatewayHarness({ gateway: { safetyReloadMs: 600_000 } });
});

afterAll(async () => {
  await h?.close();
});

function chatWith(key: string): Promise<Response> {
  return fetch(`${h.gatewayUrl}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model: CATALOG_MODEL, messages: [{ role: "user", content: "hi" }] }),
  });
}

describe("config reload on NOTIFY config_changed", () => {
  it("serves a key created after start once the change is notified", async () => {
    const created = await insertVirtualKey(h.db, { name: "late-key" });
    // Not in the snapshot yet: the gateway does not hit the database per request.
    expect((await chatWith(created.secret)).status).toBe(401);

    const before = await readReady(h.gatewayUrl);
    const after = await notifyAndWaitForReload(h.db, h.gatewayUrl);
    expect(after.status).toBe("ready");
    expect(after.snapshot!.version).toBeGreaterThan(before.snapshot!.version);

    const response = await chatWith(created.secret);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]?.message.content).toBe("Echo: hi");
  });

  it("stops accepting a key revoked in the database once notified", async () => {
    const key = await insertVirtualKey(h.db, { name: "soon-revoked" });
    await notifyAndWaitForReload(h.db, h.gatewayUrl);
    expect((await chatWith(key.secret)).status).toBe(200);

    await h.db.query(`UPDATE virtual_keys SET revoked_at = now(), active = false WHERE id = $1`, [key.id]);
    await notifyAndWaitForReload(h.db, h.gatewayUrl);
    expect((await chatWith(key.secret)).status).toBe(401);
  });
});

describe("database connection loss", () => {
  it("keeps serving from the snapshot and re-listens after its connections are killed", async () => {
    const killed = await h.db.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    );
    expect(killed.rowCount).toBeGreaterThan(0);
    // Served from memory although every gateway connection was just dropped.
    expect((await chatWith(h.virtualKey)).status).toBe(200);

    const key = await insertVirtualKey(h.db, { name: "after-reconnect" });
    // The listener reconnects with backoff; notifications sent meanwhile are covered by
    // the reload it does on reconnect, so retry the NOTIFY until a reload is seen.
    await notifyAndWaitForReload(h.db, h.gatewayUrl);
    expect((await chatWith(key.secret)).status).toBe(200);
  });
});
