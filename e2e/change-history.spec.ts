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
    await new SignInPage(page, env.dashboardUrl).signInAndWait(env.adminEmail, env.adminPassword);
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

test("rules are reordered by dragging the handle", async ({ browser }) => {
  const env = e2eEnv();
  const run = randomUUID().slice(0, 8);
  const names = [`drag a ${run}`, `drag b ${run}`];
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await new SignInPage(page, env.dashboardUrl).signInAndWait(env.adminEmail, env.adminPassword);
    for (const name of names) {
      const created = await page.request.post(`${env.dashboardUrl}/api/v1/routing-rules`, { data: { name, condition: `model == "${name}"`, targets: [{ provider: "mock", model: "gpt-test" }] } });
      expect(created.status(), await created.text()).toBe(201);
    }
    const routing = new RoutingPage(page, env.dashboardUrl);
    await routing.open();
    const order = async () => (await page.getByTestId("rule-row").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-rule-name")))).filter((n): n is string => names.includes(n ?? ""));
    for (const name of names) await expect(routing.rule(name)).toBeVisible();
    const before = await order();
    expect(before).toHaveLength(2);
    const lower = before[1]!;
    const handle = await routing.rule(lower).getByTestId("rule-drag-handle").boundingBox();
    const target = await routing.rule(before[0]!).boundingBox();
    expect(handle && target).toBeTruthy();
    // A real pointer drag: press on the handle, move above the other rule in steps, release.
    await page.mouse.move(handle!.x + handle!.width / 2, handle!.y + handle!.height / 2);
    await page.mouse.down();
    await page.mouse.move(handle!.x + handle!.width / 2, target!.y + 2, { steps: 12 });
    await page.mouse.up();
    await expect.poll(order).toEqual([before[1], before[0]]);
    // Saved on the server, not only on screen.
    const response = await page.request.get(`${env.dashboardUrl}/api/v1/routing-rules`);
    const saved = ((await response.json()) as { data: { name: string }[] }).data.map((r) => r.name).filter((n) => names.includes(n));
    expect(saved).toEqual([before[1], before[0]]);
  } finally {
    await deleteByName(page.request, env.dashboardUrl, names.map((name) => ["routing-rules", name] as [string, string]));
    await context.close();
  }
});
