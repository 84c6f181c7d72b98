import { expect, type Locator, type Page } from "@playwright/test";
import { AppShell } from "./app-shell";

export class KeysPage extends AppShell {
  constructor(page: Page, private readonly baseUrl: string) {
    super(page);
  }

  async open(): Promise<void> {
    await this.page.getByTestId("nav-keys").click();
    await expect(this.page.getByRole("heading", { level: 1, name: "Virtual keys" })).toBeVisible();
  }

  async goto(): Promise<void> {
    await this.page.goto(`${this.baseUrl}/keys`);
    await expect(this.page.getByRole("heading", { level: 1, name: "Virtual keys" })).toBeVisible();
  }

  row(name: string): Locator {
    return this.page.locator(`[data-testid="key-row"][data-key-name="${name}"]`);
  }

  /** Creates a key through the dialog and answers the secret as the page shows it, once. */
  async createKey(input: { name: string; models: string; providers?: string; budgetUsd?: string }): Promise<string> {
    await this.page.getByTestId("create-key-open").click();
    const dialog = this.page.getByTestId("create-key-dialog");
    await dialog.getByTestId("key-name").fill(input.name);
    await dialog.getByTestId("key-models").fill(input.models);
    if (input.providers) await dialog.getByTestId("key-providers").fill(input.providers);
    if (input.budgetUsd) await dialog.getByTestId("key-budget-usd").fill(input.budgetUsd);
    await dialog.getByTestId("create-key-submit").click();
    const secret = dialog.getByTestId("secret-value");
    await expect(secret).toHaveText(/^sk-sy-\S+$/);
    const value = (await secret.innerText()).trim();
    await dialog.getByTestId("create-key-done").click();
    await expect(dialog).toBeHidden();
    await expect(this.row(input.name)).toBeVisible();
    return value;
  }
}
