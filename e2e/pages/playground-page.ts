import { expect, type Locator, type Page } from "@playwright/test";
import { AppShell } from "./app-shell";

export class PlaygroundPage extends AppShell {
  readonly output: Locator;

  constructor(page: Page) {
    super(page);
    this.output = page.getByTestId("playground-output");
  }

  async open(): Promise<void> {
    await this.page.getByTestId("nav-playground").click();
    await expect(this.page.getByTestId("playground-form")).toBeVisible();
  }

  /** Sends one message and waits until the answer is complete (the send button is back). */
  async send(input: { virtualKey: string; model: string; message: string }): Promise<void> {
    await this.page.getByTestId("playground-key").fill(input.virtualKey);
    await this.page.getByTestId("playground-model").fill(input.model);
    await this.page.getByTestId("playground-message").fill(input.message);
    await this.page.getByTestId("playground-send").click();
    await expect(this.page.getByTestId("playground-send")).toHaveText("Send");
    await expect(this.page.getByTestId("playground-elapsed")).not.toHaveText("…");
  }

  info(field: "provider" | "served-model" | "attempts" | "cache" | "cost" | "request-id"): Locator {
    return this.page.getByTestId(`playground-${field}`);
  }
}
