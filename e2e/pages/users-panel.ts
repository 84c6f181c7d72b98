import { expect, type Locator, type Page } from "@playwright/test";
import { AppShell } from "./app-shell";

/** The Users panel of the Teams page, and the invitation link it shows once. */
export class UsersPanel extends AppShell {
  constructor(page: Page) {
    super(page);
  }

  async open(): Promise<void> {
    await this.page.getByTestId("nav-teams").click();
    await expect(this.page.getByTestId("users-table")).toBeVisible();
  }

  row(email: string): Locator {
    return this.page.locator(`[data-testid="user-row"][data-user-email="${email}"]`);
  }

  /** Invites through the dialog and answers the one-time link it shows. */
  async invite(input: { email: string; role: string; team?: string; teamRole?: string }): Promise<string> {
    await this.page.getByTestId("invite-user-open").click();
    const dialog = this.page.getByTestId("invite-user-dialog");
    await dialog.getByTestId("invite-email").fill(input.email);
    await dialog.getByTestId("invite-role").selectOption(input.role);
    if (input.team) {
      await dialog.getByTestId("invite-team").selectOption(input.team);
      if (input.teamRole) await dialog.getByTestId("invite-team-role").selectOption(input.teamRole);
    }
    await dialog.getByTestId("invite-submit-user").click();
    const url = dialog.getByTestId("invite-url");
    await expect(url).toHaveText(/\/invite\?token=/);
    const link = (await url.innerText()).trim();
    await dialog.getByTestId("invite-done").click();
    await expect(dialog).toBeHidden();
    await expect(this.row(input.email).getByTestId("user-status")).toHaveText("invited");
    return link;
  }
}
