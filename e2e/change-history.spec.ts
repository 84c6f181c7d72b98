// Config versioning in the dashboard (issue 10 item 4): a routing rule's History link shows its
// changes, and reverting the last update brings the previous condition back.
import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { deleteByName } from "./admin-api";
import { e2eEnv } from "./e2e-env";
import { RoutingPage } from "./pages/routing-page";
import { SignInPage } from "./pages/sign-in-page";

test("a rule's history lists its changes and one update can be reverted", async ({ browser }) => {
  const env = e2eEnv();
  const run = randomUUID().slice(0, 8);
  const ruleName = `history ${run}`;
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    const signIn = new SignInPage(page, env.dashboardUrl);
    await signIn.goto();
    await signIn.signIn(env.adminEmail, env.adminPassword);
    await expect(page.getByTestId("nav-routing")).toBeVisible();
    const created = await page.request.post(`${env.dashboardUrl}/api/v1/routing-rules`, { data: { name: ruleName, condition: `model == "first-${run}"`, targets: [{ provider: "mock", model: "gpt-test" }] } });
    expect(created.status(), await created.text()).toBe(201);
    const { data } = (await created.json()) as { data: { id: string } };
    const changed = await page.request.patch(`${env.dashboardUrl}/api/v1/routing-rules/${data.id}`, { data: { condition: `model == "second-${run}"` } });
    expect(changed.status()).toBe(200);

    const routing = new RoutingPage(page, env.dashboardUrl);
    await routing.open();
    await expect(routing.rule(ruleName).getByTestId("rule-condition-text")).toHaveText(`model == "second-${run}"`);
    await routing.rule(ruleName).getByTestId("history-link").click();
    await expect(page.getByTestId("audit-history-of")).toContainText(ruleName);
    const rows = page.getByTestId("audit-row");
    await expect(rows).toHaveCount(2);
    const update = page.locator('[data-testid="audit-row"][data-action="update"]');
    await update.getByTestId("audit-revert").click();
    await update.getByTestId("audit-revert-confirm").click();
    await expect(update.getByTestId("audit-reverted")).toBeVisible();
    // The revert is itself a change in the history.
    await expect(rows).toHaveCount(3);

    await routing.open();
    await expect(routing.rule(ruleName).getByTestId("rule-condition-text")).toHaveText(`model == "first-${run}"`);
  } finally {
    await deleteByName(page.request, env.dashboardUrl, [["routing-rules", ruleName]]);
    await context.close();
  }
});
