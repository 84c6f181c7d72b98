// Everyday flow 2 (issue 7): with the logs page open, a request made by an outside client
// through the gateway appears within 1 s without a reload — pushed over the gateway's
// live-log socket — and its detail drawer shows tokens and cost. Also: pause holds new rows
// back until resume, and URL filters are applied to what is pushed.
import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { e2eEnv } from "./e2e-env";
import { chatCompletion, splitModel } from "./gateway-client";
import { LogsPage } from "./pages/logs-page";
import { SignInPage } from "./pages/sign-in-page";

test("a request made through the gateway appears on the open logs page within 1 s, with tokens and cost in its drawer", async ({ browser }) => {
  const env = e2eEnv();
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await new SignInPage(page, env.dashboardUrl).signInAndWait(env.adminEmail, env.adminPassword);
    const logs = new LogsPage(page, env.dashboardUrl);
    await logs.goto();
    await logs.waitForLive();
    // No reload from here on: navigations would show up as a new document.
    const navigations: string[] = [];
    page.on("framenavigated", (frame) => {
      if (frame === page.mainFrame()) navigations.push(frame.url());
    });

    const result = await chatCompletion(env, `live ${randomUUID()}`);
    expect(result.status, JSON.stringify(result.body)).toBe(200);
    const requestId = result.requestId!;
    const row = logs.row(requestId);
    await expect(row).toBeVisible({ timeout: 1_000 });
    await expect(row).toHaveAttribute("data-status", "200", { timeout: 1_000 });
    await expect(row.getByTestId("log-model")).toHaveText(splitModel(env.model).model);
    await expect(logs.rows.first()).toHaveAttribute("data-log-id", requestId);
    expect(navigations).toEqual([]);

    const drawer = await logs.openDetail(requestId);
    await expect(drawer.getByTestId("log-detail-tokens-input")).not.toHaveText("0");
    await expect(drawer.getByTestId("log-detail-tokens-output")).not.toHaveText("0");
    await expect(drawer.getByTestId("log-detail-cost-total")).toHaveText(/^\$0\.0*[1-9]/);
    // The stored record loads into the drawer: the attempt trail names the provider.
    await expect(drawer.getByTestId("log-detail-attempts")).toContainText(splitModel(env.model).provider ?? "");
    await page.keyboard.press("Escape");
    await expect(drawer).toBeHidden();

    // Paused: a new request is held back; resume shows it.
    await logs.pause();
    const held = await chatCompletion(env, `held ${randomUUID()}`);
    await expect(page.getByTestId("live-state")).toContainText("1 new");
    await expect(logs.row(held.requestId!)).toHaveCount(0);
    await logs.resume();
    await expect(logs.row(held.requestId!)).toBeVisible();
  } finally {
    await context.close();
  }
});

test("filters in the URL narrow what the live view receives", async ({ browser }) => {
  const env = e2eEnv();
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await new SignInPage(page, env.dashboardUrl).signInAndWait(env.adminEmail, env.adminPassword);
    const logs = new LogsPage(page, env.dashboardUrl);
    await logs.goto();
    await logs.filterBy("model", "no-such-model");
    await expect(page).toHaveURL(/model=no-such-model/);
    await logs.waitForLive();
    const hidden = await chatCompletion(env, `filtered ${randomUUID()}`);
    expect(hidden.status).toBe(200);
    // A matching filter on a second page sees it, so the first had every chance to.
    const other = await context.newPage();
    const matching = new LogsPage(other, env.dashboardUrl);
    await other.goto(`${env.dashboardUrl}/logs?model=${encodeURIComponent(splitModel(env.model).model)}`);
    await matching.waitForLive();
    const shown = await chatCompletion(env, `shown ${randomUUID()}`);
    await expect(matching.row(shown.requestId!)).toBeVisible({ timeout: 1_000 });
    await expect(logs.row(shown.requestId!)).toHaveCount(0);
    await expect(logs.row(hidden.requestId!)).toHaveCount(0);
  } finally {
    await context.close();
  }
});
