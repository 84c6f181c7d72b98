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
  async createKey(input: { name: string; models: string; providers?: string; budgetUsd?: string; budgetWindow?: string; team?: string; owner?: string; copy?: boolean }): Promise<string> {
    await this.page.getByTestId("create-key-open").click();
    const dialog = this.page.getByTestId("create-key-dialog");
    await dialog.getByTestId("key-name").fill(input.name);
    if (input.team) await dialog.getByTestId("key-team").selectOption(input.team);
    if (input.owner) {
      // The members of the chosen team load after the team is picked.
      await expect(dialog.getByTestId("key-user").locator(`option[value="${input.owner}"]`)).toHaveCount(1);
      await dialog.getByTestId("key-user").selectOption(input.owner);
    }
    if (input.budgetWindow) await dialog.getByTestId("key-budget-window").selectOption(input.budgetWindow);
    await dialog.getByTestId("key-models").fill(input.models);
    if (input.providers) await dialog.getByTestId("key-providers").fill(input.providers);
    if (input.budgetUsd) await dialog.getByTestId("key-budget-usd").fill(input.budgetUsd);
    await dialog.getByTestId("create-key-submit").click();
    const secret = dialog.getByTestId("secret-value");
    await expect(secret).toHaveText(/^sk-sy-\S+$/);
    let value = (await secret.innerText()).trim();
    if (input.copy) {
      // What a user does: the Copy button, then paste — the clipboard must hold the same secret.
      await dialog.getByTestId("secret-copy").click();
      await expect(dialog.getByTestId("secret-copy")).toHaveText("Copied");
      const pasted = await this.page.evaluate(() => navigator.clipboard.readText());
      expect(pasted).toBe(value);
      value = pasted;
    }
    await dialog.getByTestId("create-key-done").click();
    await expect(dialog).toBeHidden();
    await expect(this.row(input.name)).toBeVisible();
    return value;
  }

  async revoke(name: string): Promise<void> {
    await this.row(name).getByTestId("key-revoke").click();
    await this.page.getByTestId("revoke-confirm").click();
    await expect(this.row(name).getByTestId("key-status")).toHaveText("Revoked");
  }
}
