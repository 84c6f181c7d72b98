// Small reads and clean-ups through the dashboard's admin API, with the signed-in page's
// session: what specs need to find (the stack's mock upstream) or remove (what a run made).
import { expect, type APIRequestContext } from "@playwright/test";

interface ApiProvider {
  id: string;
  name: string;
  base_url: string | null;
}

/** The mock upstream's URL is not exported to the specs; the stack's own provider points at it. */
export async function mockUpstreamUrl(request: APIRequestContext, dashboardUrl: string): Promise<string> {
  const response = await request.get(`${dashboardUrl}/api/v1/providers`);
  expect(response.status()).toBe(200);
  const { data } = (await response.json()) as { data: ApiProvider[] };
  const mock = data.find((p) => p.name === "mock" && p.base_url);
  expect(mock, "the e2e stack's config defines provider 'mock'").toBeTruthy();
  return mock!.base_url!;
}

export async function idByName(request: APIRequestContext, url: string, name: string): Promise<string | undefined> {
  const response = await request.get(url);
  if (!response.ok()) return undefined;
  const { data } = (await response.json()) as { data: { id: string; name: string }[] };
  return data.find((item) => item.name === name)?.id;
}

/** Deletes what a run created, by name, in the order given (rules before their providers). */
export async function deleteByName(request: APIRequestContext, dashboardUrl: string, items: Array<[collection: string, name: string]>): Promise<void> {
  for (const [collection, name] of items) {
    const id = await idByName(request, `${dashboardUrl}/api/v1/${collection}`, name);
    if (id) await request.delete(`${dashboardUrl}/api/v1/${collection}/${id}`);
  }
}
