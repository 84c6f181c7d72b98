// Two everyday admin flows through the UI against the real stack (issue 7):
//   (a) add an OpenAI-compatible provider with a key, create a virtual key, and use the
//       secret copied from the page for a chat completion through the gateway;
//   (b) a routing rule with an invalid CEL condition shows the server's error with its
//       position; fixing it saves the rule.
import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { idByName, mockUpstreamUrl } from "./admin-api";
import { e2eEnv } from "./e2e-env";
import { KeysPage } from "./pages/keys-page";
import { ProvidersPage } from "./pages/providers-page";
import { RoutingPage } from "./pages/routing-page";
import { SignInPage } from "./pages/sign-in-page";

test("an admin adds a provider and a virtual key in the UI, and the key works through the gateway", async ({ browser }) => {
  const env = e2eEnv();
  const run = randomUUID().slice(0, 8);
  const providerName = `e2e-prov-${run}`;
  const keyName = `e2e ui key ${run}`;
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    const signIn = new SignInPage(page, env.dashboardUrl);
    await signIn.goto();
    await signIn.signIn(env.adminEmail, env.adminPassword);
    await expect(page.getByTestId("nav-providers")).toBeVisible();
    const upstream = await mockUpstreamUrl(page.request, env.dashboardUrl);

    const providers = new ProvidersPage(page, env.dashboardUrl);
    await providers.open();
    await providers.addProvider({ name: providerName, type: "openai-compatible", baseUrl: upstream, models: "gpt-test" });
    await providers.addKey(providerName, { name: "main", value: `upstream-${run}`, weight: 2 });
    // The key value is write-only: only its last 4 characters come back.
    await expect(providers.card(providerName).getByTestId("provider-key-row")).toContainText(`••••${run.slice(-4)}`);
    // A real call to the upstream; the stack's strict mock has no GET /v1/models, so its
    // answer may be a 404: what matters is that the upstream's own status comes back.
    const test = await providers.testConnection(providerName);
    await expect(test).toContainText(/HTTP \d{3}/);
    await expect(test).toContainText(upstream);

    const keys = new KeysPage(page, env.dashboardUrl);
    await keys.open();
    const secret = await keys.createKey({ name: keyName, models: "*", providers: providerName, budgetUsd: "5" });
    // The list shows only the display form (head…tail) of the secret the dialog showed once.
    const [head, tail] = (await keys.row(keyName).getByTestId("key-prefix").innerText()).split("…");
    expect(head!.length).toBeGreaterThan(6);
    expect(secret.startsWith(head!) && secret.endsWith(tail ?? "")).toBe(true);
    await expect(keys.row(keyName).getByTestId("key-status")).toHaveText("Active");

    // The gateway picks new keys up via NOTIFY within milliseconds; poll rather than sleep.
    await expect
      .poll(
        async () => {
          const response = await fetch(`${env.gatewayUrl}/v1/chat/completions`, {
            method: "POST",
            headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
            body: JSON.stringify({ model: `${providerName}/gpt-test`, messages: [{ role: "user", content: `e2e ${run}` }] }),
          });
          return { status: response.status, provider: response.headers.get("x-switchyard-provider") };
        },
        { timeout: 10_000 },
      )
      .toEqual({ status: 200, provider: providerName });
  } finally {
    // Keys stay for the logs; revoking is enough. The provider goes, so reruns stay clean.
    const keyId = await idByName(page.request, `${env.dashboardUrl}/api/v1/virtual-keys`, keyName);
    if (keyId) await page.request.delete(`${env.dashboardUrl}/api/v1/virtual-keys/${keyId}`);
    const providerId = await idByName(page.request, `${env.dashboardUrl}/api/v1/providers`, providerName);
    if (providerId) await page.request.delete(`${env.dashboardUrl}/api/v1/providers/${providerId}`);
    await context.close();
  }
});

test("a routing rule with an invalid CEL condition shows the error and its position, and saves once fixed", async ({ browser }) => {
  const env = e2eEnv();
  const run = randomUUID().slice(0, 8);
  const ruleName = `e2e rule ${run}`;
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    const signIn = new SignInPage(page, env.dashboardUrl);
    await signIn.goto();
    await signIn.signIn(env.adminEmail, env.adminPassword);

    const routing = new RoutingPage(page, env.dashboardUrl);
    await routing.open();
    await routing.startRule({ name: ruleName, condition: `modle == "e2e-${run}"`, target: { provider: "mock", model: "gpt-test", weight: 100 } });
    await routing.addFallback("mock", "gpt-test-fallback");
    await routing.submit();
    await expect(routing.conditionError).toBeVisible();
    await expect(routing.conditionError).toContainText(/modle/);
    await expect(routing.conditionError.getByTestId("rule-condition-error-position")).toHaveText(/characters 0–\d+/);
    await expect(routing.rule(ruleName)).toHaveCount(0);

    // Matches only this run's made-up model, so the rule never reroutes another spec's traffic.
    await routing.setCondition(`model == "e2e-nomatch-${run}"`);
    await routing.submit();
    await expect(routing.dialog).toBeHidden();
    const row = routing.rule(ruleName);
    await expect(row).toBeVisible();
    await expect(row.getByTestId("rule-condition-text")).toHaveText(`model == "e2e-nomatch-${run}"`);
    await expect(row).toContainText("mock/gpt-test ×100");
  } finally {
    const ruleId = await idByName(page.request, `${env.dashboardUrl}/api/v1/routing-rules`, ruleName);
    if (ruleId) await page.request.delete(`${env.dashboardUrl}/api/v1/routing-rules/${ruleId}`);
    await context.close();
  }
});
