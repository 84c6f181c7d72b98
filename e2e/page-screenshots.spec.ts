// Every page of the sidebar opens for an admin without a client-side error, and the run
// saves a screenshot of each (linked from the README) at desktop width and, for a few, at
// phone width. A page that throws, or renders no heading, fails here.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { NAV_ITEMS } from "../components/shell/nav-items";
import { e2eEnv } from "./e2e-env";
import { SignInPage } from "./pages/sign-in-page";

const SCREENSHOT_DIR = path.join(import.meta.dirname, "screenshots");

test("every dashboard page renders for an admin; screenshots are saved", async ({ browser }) => {
  test.setTimeout(180_000);
  const env = e2eEnv();
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  try {
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(`${page.url()}: ${error.message}`));
    const signIn = new SignInPage(page, env.dashboardUrl);
    await signIn.goto();
    await signIn.signIn(env.adminEmail, env.adminPassword);
    await expect(page.getByTestId("sidebar-nav")).toBeVisible();

    for (const item of NAV_ITEMS) {
      await page.getByTestId(item.testId).click();
      await expect(page).toHaveURL(new RegExp(`${item.href === "/" ? "/" : item.href}(\\?|$)`));
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      // Data-driven pages show a busy state while their queries load; wait for it to end.
      await expect(page.locator("[aria-busy=true]")).toHaveCount(0);
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${item.testId.replace(/^nav-/, "")}.png`), fullPage: true });
    }

    // Phone width: the shell collapses and the pages stay usable.
    await page.setViewportSize({ width: 390, height: 844 });
    for (const href of ["/", "/keys", "/logs"]) {
      await page.goto(`${env.dashboardUrl}${href}`);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `phone-${href === "/" ? "overview" : href.slice(1)}.png`), fullPage: true });
    }
    expect(pageErrors).toEqual([]);
  } finally {
    await context.close();
  }
});
