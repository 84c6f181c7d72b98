// Everyday flow 1 (issue 7): an admin clicks through the setup of a new upstream. They add a
// custom OpenAI-compatible provider pointing at the stack's mock, test the connection (a real
// call), create a routing rule whose first target fails (the mock's 500 model) with a
// fallback to a working model, send a request from the playground, and find it in the logs
// with both attempts in its drawer.
import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { deleteByName, mockUpstreamUrl } from "./admin-api";
import { e2eEnv } from "./e2e-env";
import { LogsPage } from "./pages/logs-page";
import { PlaygroundPage } from "./pages/playground-page";
import { ProvidersPage } from "./pages/providers-page";
import { RoutingPage } from "./pages/routing-page";
import { SignInPage } from "./pages/sign-in-page";

test("add a provider, test it, route to it with a fallback, use it from the playground, see it in the logs", async ({ browser }) => {
  const env = e2eEnv();
  const run = randomUUID().slice(0, 8);
  const providerName = `setup-${run}`;
  const ruleName = `setup rule ${run}`;
  // A made-up model name only this run's rule matches: no other spec's traffic is rerouted.
  const requestedModel = `setup-model-${run}`;
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await new SignInPage(page, env.dashboardUrl).signInAndWait(env.adminEmail, env.adminPassword);
    const upstream = await mockUpstreamUrl(page.request, env.dashboardUrl);

    const providers = new ProvidersPage(page, env.dashboardUrl);
    await providers.open();
    await providers.addProvider({ name: providerName, type: "openai-compatible", baseUrl: upstream, models: "gpt-test" });
    await providers.addKey(providerName, { name: "main", value: `upstream-${run}`, weight: 1 });
    const connection = await providers.testConnection(providerName);
    await expect(connection).toContainText(/HTTP \d{3}/);
    await expect(connection).toContainText(upstream);

    const routing = new RoutingPage(page, env.dashboardUrl);
    await routing.open();
    // The mock answers this model with OpenAI's 500 body: the fallback must take over.
    await routing.startRule({ name: ruleName, condition: `model == "${requestedModel}"`, target: { provider: providerName, model: "mock-server-error", weight: 100 } });
    await routing.addFallback(providerName, "gpt-test");
    await routing.submit();
    await expect(routing.dialog).toBeHidden();
    await expect(routing.rule(ruleName)).toContainText(`${providerName}/mock-server-error ×100`);

    const playground = new PlaygroundPage(page);
    await playground.open();
    await playground.send({ virtualKey: env.virtualKey, model: requestedModel, message: `setup ${run}` });
    await expect(playground.output).toContainText(`setup ${run}`);
    await expect(playground.info("provider")).toHaveText(providerName);
    await expect(playground.info("served-model")).toHaveText("gpt-test");
    await expect(playground.info("attempts")).toHaveText("2");
    const requestId = (await playground.info("request-id").innerText()).trim();
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);

    const logs = new LogsPage(page, env.dashboardUrl);
    await logs.openLogs();
    const row = await logs.waitForRow(requestId);
    await expect(row).toHaveAttribute("data-status", "200");
    await expect(row.getByTestId("log-provider")).toHaveText(providerName);
    await expect(row.getByTestId("log-status")).toContainText("2 attempts");
    const drawer = await logs.openDetail(requestId);
    const attempts = drawer.getByTestId("log-detail-attempts").getByRole("listitem");
    await expect(attempts).toHaveCount(2);
    await expect(attempts.nth(0)).toContainText(`${providerName}/mock-server-error`);
    await expect(attempts.nth(0)).toContainText("500");
    await expect(attempts.nth(1)).toContainText(`${providerName}/gpt-test`);
    await expect(attempts.nth(1)).toContainText("200");
  } finally {
    await deleteByName(page.request, env.dashboardUrl, [["routing-rules", ruleName], ["providers", providerName]]);
    await context.close();
  }
});
