import { expect, type Page } from "@playwright/test";

export class SignInPage {
  constructor(private readonly page: Page, private readonly baseUrl: string) {}

  async goto(): Promise<void> {
    await this.page.goto(`${this.baseUrl}/signin`);
    await expect(this.page.getByTestId("signin-form")).toBeVisible();
  }

  async signIn(email: string, password: string): Promise<void> {
    await this.page.getByTestId("signin-email").fill(email);
    await this.page.getByTestId("signin-password").fill(password);
    await this.page.getByTestId("signin-submit").click();
  }

  /** Opens the form, signs in, and waits until the dashboard shows its navigation. */
  async signInAndWait(email: string, password: string): Promise<void> {
    await this.goto();
    await this.signIn(email, password);
    await expect(this.page.getByTestId("nav-overview")).toBeVisible();
  }

  async expectError(): Promise<void> {
    await expect(this.page.getByTestId("signin-error")).toBeVisible();
  }
}
