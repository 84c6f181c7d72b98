import { expect, type Page } from "@playwright/test";

/** Sidebar and user menu, present on every signed-in page. */
export class AppShell {
  constructor(protected readonly page: Page) {}

  async openLogs(): Promise<void> {
    await this.page.getByTestId("nav-logs").click();
    await expect(this.page).toHaveURL(/\/logs(\?|$)/);
  }

  async openOverview(): Promise<void> {
    await this.page.getByTestId("nav-overview").click();
  }

  async navLabels(): Promise<string[]> {
    return this.page.getByTestId("sidebar-nav").getByRole("link").allInnerTexts();
  }

  async signOut(): Promise<void> {
    await this.page.getByTestId("user-menu-button").click();
    await this.page.getByTestId("sign-out").click();
    await expect(this.page).toHaveURL(/\/signin/);
  }
}
