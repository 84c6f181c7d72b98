import { expect, type Locator, type Page } from "@playwright/test";
import { AppShell } from "./app-shell";

export class ProvidersPage extends AppShell {
  constructor(page: Page, private readonly baseUrl: string) {
    super(page);
  }

  async open(): Promise<void> {
    await this.page.getByTestId("nav-providers").click();
    await expect(this.page.getByRole("heading", { level: 1, name: "Providers" })).toBeVisible();
  }

  card(name: string): Locator {
    return this.page.locator(`[data-testid="provider-card"][data-provider-name="${name}"]`);
  }

  /** `settings` fills the type's adapter fields by name (region, project_id, wire_api, ...). */
  async addProvider(input: { name: string; type: string; baseUrl: string; models: string; settings?: Record<string, string> }): Promise<Locator> {
    await this.page.getByTestId("create-provider-open").click();
    const dialog = this.page.getByTestId("create-provider-dialog");
    await dialog.getByTestId("provider-name").fill(input.name);
    await dialog.getByTestId("provider-type").selectOption(input.type);
    await dialog.getByTestId("provider-base-url").fill(input.baseUrl);
    await dialog.getByTestId("provider-models").fill(input.models);
    for (const [field, value] of Object.entries(input.settings ?? {})) {
      const control = dialog.getByTestId(`provider-setting-${field}`);
      if (field === "wire_api") await control.selectOption(value);
      else await control.fill(value);
    }
    await dialog.getByTestId("create-provider-submit").click();
    await expect(dialog).toBeHidden();
    const card = this.card(input.name);
    await expect(card).toBeVisible();
    return card;
  }

  async addKey(providerName: string, key: { name: string; value: string; weight: number }): Promise<void> {
    const card = this.card(providerName);
    await card.getByTestId("provider-key-name").fill(key.name);
    await card.getByTestId("provider-key-value").fill(key.value);
    await card.getByTestId("provider-key-weight").fill(String(key.weight));
    await card.getByTestId("provider-key-submit").click();
    await expect(card.locator(`[data-testid="provider-key-row"][data-key-name="${key.name}"]`)).toBeVisible();
  }

  /** Clicks "Test connection" and answers the result panel. */
  async testConnection(providerName: string): Promise<Locator> {
    const card = this.card(providerName);
    await card.getByTestId("provider-test").click();
    const result = card.getByTestId("provider-test-result");
    await expect(result).toBeVisible();
    return result;
  }

  async goto(): Promise<void> {
    await this.page.goto(`${this.baseUrl}/providers`);
    await expect(this.page.getByRole("heading", { level: 1, name: "Providers" })).toBeVisible();
  }
}
