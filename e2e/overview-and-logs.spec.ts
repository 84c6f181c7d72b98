// An admin signs in, sees the overview, makes a chat completion through the gateway
// with a virtual key, and finds exactly that request on the logs page and in the API.
import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { NAV_ITEMS } from "../components/shell/nav-items";
import { e2eEnv } from "./e2e-env";
import { chatCompletion, splitModel } from "./gateway-client";
import { LogsPage } from "./pages/logs-page";
import { OverviewPage } from "./pages/overview-page";
import { SignInPage } from "./pages/sign-in-page";

test("a wrong password is refused", async ({ browser }) => {
  const env = e2eEnv();
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const signIn = new SignInPage(page, env.dashboardUrl);
    await signIn.goto();
    await signIn.signIn(env.adminEmail, `${env.adminPassword}-wrong`);
    await signIn.expectError();
    await expect(page).toHaveURL(/\/signin/);
    // The dashboard itself stays closed.
    await page.goto(`${env.dashboardUrl}/logs`);
    await expect(page).toHaveURL(/\/signin/);
  } finally {
    await context.close();
  }
});

test("a request made through the gateway shows up on the overview and the logs page", async ({ browser }) => {
  const env = e2eEnv();
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const signIn = new SignInPage(page, env.dashboardUrl);
    await signIn.goto();
    await signIn.signIn(env.adminEmail, env.adminPassword);

    const overview = new OverviewPage(page, env.dashboardUrl);
    await overview.expectLoaded();
    expect(await overview.navLabels()).toEqual(NAV_ITEMS.map((item) => item.label));
    await expect(overview.chart).toBeVisible();
    const requestsBefore = await overview.requestCount();

    const result = await chatCompletion(env, `e2e ${randomUUID()}: say hello`);
    expect(result.status, JSON.stringify(result.body)).toBe(200);
    expect(result.requestId, "gateway must send x-request-id").toMatch(/^[0-9a-f-]{36}$/);
    const requestId = result.requestId!;
    const expected = splitModel(env.model);

    const logs = new LogsPage(page, env.dashboardUrl);
    await overview.openLogs();
    const row = await logs.waitForRow(requestId);
    await expect(row.getByTestId("log-status")).toContainText("200");
    await expect(row.getByTestId("log-model")).toHaveText(expected.model);
    if (expected.provider) await expect(row.getByTestId("log-provider")).toHaveText(expected.provider);
    await expect(row.getByTestId("log-virtual-key")).not.toHaveText("—");
    expect(Number((await row.getByTestId("log-tokens-in").innerText()).replace(/\D/g, ""))).toBeGreaterThan(0);
    await expect(row.getByTestId("log-cost")).toHaveText(/^\$\d/);
    // Newest first: the request just made is the top row.
    await expect(logs.rows.first()).toHaveAttribute("data-log-id", requestId);

    if (env.preRestartModel) {
      // Written before the global setup restarted the stack: data survived the restart.
      await expect(logs.rowsWithModel(env.preRestartModel)).not.toHaveCount(0);
    }

    // The admin API the dashboard exposes sees the same record, with this session.
    const api = await page.request.get(`${env.dashboardUrl}/api/v1/logs?limit=5`);
    expect(api.status()).toBe(200);
    const body = (await api.json()) as { data: { id: string; status: number; model: string | null }[] };
    expect(body.data.find((log) => log.id === requestId)).toMatchObject({ status: 200, model: expected.model });

    await logs.openOverview();
    await expect.poll(async () => {
      await overview.goto();
      return overview.requestCount();
    }).toBeGreaterThan(requestsBefore);

    await overview.signOut();
  } finally {
    await context.close();
  }
});
