import { expect, type Locator, type Page } from "@playwright/test";
import { AppShell } from "./app-shell";

export class RoutingPage extends AppShell {
  readonly dialog: Locator;

  constructor(page: Page, private readonly baseUrl: string) {
    super(page);
    this.dialog = page.getByTestId("rule-dialog");
  }

  async open(): Promise<void> {
    await this.page.getByTestId("nav-routing").click();
    await expect(this.page.getByRole("heading", { level: 1, name: "Routing" })).toBeVisible();
  }

  rule(name: string): Locator {
    return this.page.locator(`[data-testid="rule-row"][data-rule-name="${name}"]`);
  }

  async startRule(input: { name: string; condition: string; target: { provider: string; model: string; weight: number } }): Promise<void> {
    await this.page.getByTestId("rule-create-open").click();
    await this.dialog.getByTestId("rule-name").fill(input.name);
    await this.dialog.getByTestId("rule-condition").fill(input.condition);
    await this.dialog.getByTestId("rule-targets-provider-0").selectOption(input.target.provider);
    await this.dialog.getByTestId("rule-targets-model-0").fill(input.target.model);
    await this.dialog.getByTestId("rule-targets-weight-0").fill(String(input.target.weight));
  }

  async addFallback(provider: string, model: string): Promise<void> {
    await this.dialog.getByTestId("rule-fallbacks-add").click();
    await this.dialog.getByTestId("rule-fallbacks-provider-0").selectOption(provider);
    await this.dialog.getByTestId("rule-fallbacks-model-0").fill(model);
  }

  async setCondition(condition: string): Promise<void> {
    await this.dialog.getByTestId("rule-condition").fill(condition);
  }

  async submit(): Promise<void> {
    await this.dialog.getByTestId("rule-submit").click();
  }

  get conditionError(): Locator {
    return this.dialog.getByTestId("rule-condition-error");
  }

  async goto(): Promise<void> {
    await this.page.goto(`${this.baseUrl}/routing`);
    await expect(this.page.getByRole("heading", { level: 1, name: "Routing" })).toBeVisible();
  }
}
