import { expect, type Locator, type Page } from "@playwright/test";
import { AppShell } from "./app-shell";

export class LogsPage extends AppShell {
  readonly rows: Locator;

  constructor(page: Page, private readonly baseUrl: string) {
    super(page);
    this.rows = page.getByTestId("log-row");
  }

  async goto(): Promise<void> {
    await this.page.goto(`${this.baseUrl}/logs`);
    await expect(this.page.getByRole("heading", { level: 1, name: "Logs" })).toBeVisible();
  }

  row(logId: string): Locator {
    return this.page.locator(`[data-testid="log-row"][data-log-id="${logId}"]`);
  }

  rowsWithModel(model: string): Locator {
    return this.rows.filter({ has: this.page.getByTestId("log-model").getByText(model, { exact: true }) });
  }

  /**
   * Reloads until the row shows up: the gateway writes logs off the request path in
   * batches, so a request is visible a moment after its response, not at once.
   */
  async waitForRow(logId: string, timeout = 20_000): Promise<Locator> {
    const row = this.row(logId);
    await expect(async () => {
      await this.page.reload();
      await expect(row).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout, intervals: [250, 500, 1_000] });
    return row;
  }

  /** The socket is open: from now on new requests appear without a reload. */
  async waitForLive(): Promise<void> {
    await expect(this.page.getByTestId("live-state")).toHaveAttribute("data-state", "live");
  }

  async pause(): Promise<void> {
    await this.page.getByTestId("live-pause").click();
    await expect(this.page.getByTestId("live-state")).toHaveAttribute("data-state", "paused");
  }

  async resume(): Promise<void> {
    await this.page.getByTestId("live-resume").click();
    await expect(this.page.getByTestId("live-state")).toHaveAttribute("data-state", "live");
  }

  async filterBy(field: "provider" | "model" | "virtual-key" | "team", value: string): Promise<void> {
    await this.page.getByTestId(`filter-${field}`).fill(value);
    await this.page.getByTestId("filters-apply").click();
  }

  /** Opens the detail drawer of a row (a click, as a user would). */
  async openDetail(logId: string): Promise<Locator> {
    await this.row(logId).click();
    const drawer = this.page.getByTestId("log-detail");
    await expect(drawer).toBeVisible();
    await expect(drawer.getByTestId("log-detail-id")).toHaveText(logId);
    return drawer;
  }

  async olderPage(): Promise<void> {
    await this.page.getByTestId("logs-older").click();
    await expect(this.page).toHaveURL(/cursor=/);
  }
}
