// Everyday flow 3 (issue 7): a team admin hands out a key. An admin invites the team admin
// (the Users panel's one-time link) and a member; the team admin accepts the invitation, signs
// in, creates a key for the member with a daily budget, copies the secret (shown once); the
// key works through the gateway, its budget usage shows up on the Keys page, and revoking it
// makes the next call fail with 401.
import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { e2eEnv, type E2eEnv } from "./e2e-env";
import { KeysPage } from "./pages/keys-page";
import { SignInPage } from "./pages/sign-in-page";
import { UsersPanel } from "./pages/users-panel";

async function chatWith(env: E2eEnv, key: string, content: string): Promise<number> {
  const response = await fetch(`${env.gatewayUrl}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model: env.model, messages: [{ role: "user", content }] }),
  });
  await response.arrayBuffer();
  return response.status;
}

test("a team admin creates a key for a member with a daily budget; it works, shows usage, and stops at revoke", async ({ browser }) => {
  const env = e2eEnv();
  const run = randomUUID().slice(0, 8);
  const team = `hand-${run}`;
  const leadEmail = `lead-${run}@e2e.switchyard.test`;
  const memberEmail = `member-${run}@e2e.switchyard.test`;
  const keyName = `for member ${run}`;
  const password = `team-admin-${run}-password`;

  // ── The admin: a team with its own daily budget, and two invitations. ──
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  let inviteLink: string;
  try {
    await new SignInPage(admin, env.dashboardUrl).signInAndWait(env.adminEmail, env.adminPassword);
    const created = await admin.request.post(`${env.dashboardUrl}/api/v1/teams`, { data: { name: team, budgets: [{ usd: 10, window: "1d" }] } });
    expect(created.status(), await created.text()).toBe(201);
    const users = new UsersPanel(admin);
    await users.open();
    inviteLink = await users.invite({ email: leadEmail, role: "team_admin", team, teamRole: "team_admin" });
    const member = await admin.request.post(`${env.dashboardUrl}/api/v1/users`, { data: { email: memberEmail, role: "member", teams: [{ team, role: "member" }] } });
    expect(member.status(), await member.text()).toBe(201);
  } finally {
    await adminContext.close();
  }

  // ── The team admin, in a browser of their own. ──
  const context = await browser.newContext();
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: env.dashboardUrl });
  const page = await context.newPage();
  try {
    await page.goto(inviteLink);
    await expect(page.getByTestId("invite-form")).toBeVisible();
    await page.getByTestId("invite-name").fill("Lead Person");
    await page.getByTestId("invite-password").fill(password);
    await page.getByTestId("invite-submit").click();
    await expect(page).toHaveURL(/\/signin\?invited=1/);
    await expect(page.getByTestId("signin-email")).toHaveValue(leadEmail);
    await page.getByTestId("signin-password").fill(password);
    await page.getByTestId("signin-submit").click();
    await expect(page.getByTestId("nav-keys")).toBeVisible();
    // The link worked once; a second use is refused.
    const second = await context.newPage();
    await second.goto(inviteLink);
    await expect(second.getByTestId("invite-unavailable")).toContainText("already used");
    await second.close();

    const keys = new KeysPage(page, env.dashboardUrl);
    await keys.open();
    const secret = await keys.createKey({ name: keyName, models: "*", team, owner: memberEmail, budgetUsd: "1", budgetWindow: "1d", copy: true });
    expect(secret).toMatch(/^sk-sy-/);
    // Shown once: after the dialog closed, the page holds only the display prefix.
    expect(await page.content()).not.toContain(secret);
    const row = keys.row(keyName);
    await expect(row.getByTestId("key-owner")).toHaveText(memberEmail);
    await expect(row.getByTestId("key-usage-text")).toContainText("of $1.00");

    // The gateway picks the key up through NOTIFY; poll rather than sleep.
    await expect.poll(() => chatWith(env, secret, `handed out ${run}`), { timeout: 10_000 }).toBe(200);

    // Usage: the budget bar of that key moves off zero once the request is recorded.
    await expect(async () => {
      await page.reload();
      await expect(row.getByTestId("key-usage-text")).not.toContainText("$0.00 of", { timeout: 1_000 });
    }).toPass({ timeout: 20_000, intervals: [250, 500, 1_000] });

    await keys.revoke(keyName);
    await expect.poll(() => chatWith(env, secret, `after revoke ${run}`), { timeout: 10_000 }).toBe(401);
  } finally {
    await context.close();
  }
});
