// Adapter settings from the provider form (issue 3): the fields a type needs appear when it is
// picked (a Bedrock region, a Vertex project, Azure deployments, the Responses wire API) and are
// stored as the provider's settings, which the gateway reads.
import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { deleteByName } from "./admin-api";
import { e2eEnv } from "./e2e-env";
import { ProvidersPage } from "./pages/providers-page";
import { SignInPage } from "./pages/sign-in-page";

interface ApiProvider {
  name: string;
  type: string;
  settings: Record<string, unknown>;
}

test("a provider's type shows its adapter settings, and they are saved", async ({ browser }) => {
  const env = e2eEnv();
  const run = randomUUID().slice(0, 8);
  const bedrock = `bedrock-${run}`;
  const responses = `responses-${run}`;
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await new SignInPage(page, env.dashboardUrl).signInAndWait(env.adminEmail, env.adminPassword);
    const providers = new ProvidersPage(page, env.dashboardUrl);
    await providers.open();
    await providers.addProvider({ name: bedrock, type: "bedrock", baseUrl: "", models: "anthropic.claude-*", settings: { region: "eu-west-1" } });
    await providers.addProvider({ name: responses, type: "openai-compatible", baseUrl: "http://127.0.0.1:9/v1", models: "gpt-5", settings: { wire_api: "responses" } });

    // Fields belong to their types: a Gemini provider has none of these.
    await page.getByTestId("create-provider-open").click();
    const dialog = page.getByTestId("create-provider-dialog");
    await dialog.getByTestId("provider-type").selectOption("vertex");
    await expect(dialog.getByTestId("provider-setting-project_id")).toBeVisible();
    await dialog.getByTestId("provider-type").selectOption("gemini");
    await expect(dialog.getByTestId("provider-setting-project_id")).toHaveCount(0);
    await expect(dialog.getByTestId("provider-setting-region")).toHaveCount(0);
    await page.keyboard.press("Escape");

    const listed = await page.request.get(`${env.dashboardUrl}/api/v1/providers`);
    const { data } = (await listed.json()) as { data: ApiProvider[] };
    expect(data.find((p) => p.name === bedrock)).toMatchObject({ type: "bedrock", settings: { region: "eu-west-1" } });
    expect(data.find((p) => p.name === responses)).toMatchObject({ settings: { wire_api: "responses" } });
  } finally {
    await deleteByName(page.request, env.dashboardUrl, [
      ["providers", bedrock],
      ["providers", responses],
    ]);
    await context.close();
  }
});
