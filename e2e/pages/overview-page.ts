import { expect, type Locator, type Page } from "@playwright/test";
import { AppShell } from "./app-shell";

export class OverviewPage extends AppShell {
  readonly requests: Locator;
  readonly spend: Locator;
  readonly tokens: Locator;
  readonly errors: Locator;
  readonly chart: Locator;

  constructor(page: Page, private readonly baseUrl: string) {
    super(page);
    this.requests = page.getByTestId("stat-requests");
    this.spend = page.getByTestId("stat-spend");
    this.tokens = page.getByTestId("stat-tokens");
    this.errors = page.getByTestId("stat-errors");
    this.chart = page.getByTestId("usage-chart");
  }

  async goto(range?: "24h" | "7d" | "30d"): Promise<void> {
    await this.page.goto(`${this.baseUrl}/${range ? `?range=${range}` : ""}`);
    await this.expectLoaded();
  }

  async expectLoaded(): Promise<void> {
    await expect(this.page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
    await expect(this.requests).toBeVisible();
  }

  async selectRange(range: "24h" | "7d" | "30d"): Promise<void> {
    await this.page.getByTestId(`range-${range}`).click();
    await expect(this.page.getByTestId(`range-${range}`)).toHaveAttribute("aria-current", "page");
  }

  /** The request count as a number ("1,234" → 1234). */
  async requestCount(): Promise<number> {
    return Number((await this.requests.innerText()).replace(/[^\d]/g, ""));
  }
}
