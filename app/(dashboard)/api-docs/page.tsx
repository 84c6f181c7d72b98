import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageSession } from "@/app/_data/page-session";
import { adminApiDocument } from "@/lib/openapi/build-document";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "API" };

const METHOD_TONE: Record<string, string> = {
  get: "bg-sky-50 text-sky-800 ring-sky-600/20",
  post: "bg-emerald-50 text-emerald-800 ring-emerald-600/20",
  put: "bg-amber-50 text-amber-800 ring-amber-600/20",
  patch: "bg-amber-50 text-amber-800 ring-amber-600/20",
  delete: "bg-rose-50 text-rose-700 ring-rose-600/20",
};

interface RenderedOperation {
  method: string;
  path: string;
  summary: string;
  description: string;
  parameters: Array<{ name: string; in: string; required?: boolean }>;
  requestBody: unknown;
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

function Json({ value }: { value: unknown }) {
  return <pre className="max-h-80 overflow-auto rounded-md bg-slate-900 p-3 text-xs text-slate-100">{JSON.stringify(value, null, 2)}</pre>;
}

/** The admin API's OpenAPI document (lib/openapi), rendered: every operation by tag, its permission and schemas. */
export default async function ApiDocsPage() {
  await requirePageSession();
  const doc = adminApiDocument();
  const byTag = new Map<string, RenderedOperation[]>();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of ["get", "post", "put", "patch", "delete"] as const) {
      const op = (item as Record<string, unknown>)[method] as (RenderedOperation & { tags?: string[] }) | undefined;
      if (!op) continue;
      const tag = op.tags?.[0] ?? "Other";
      byTag.set(tag, [...(byTag.get(tag) ?? []), { ...op, method, path }]);
    }
  }
  const tags = [...byTag.keys()].sort();
  return (
    <>
      <PageHeader
        title="API"
        description="The admin REST API the dashboard itself uses, generated from its zod schemas. Authenticate with a session or Authorization: Bearer $SWITCHYARD_ADMIN_TOKEN."
      />
      <p className="mb-6 text-sm">
        <a href="/api/v1/openapi.json" className="font-medium text-indigo-700 hover:text-indigo-900" data-testid="openapi-download">Download openapi.json</a>
        <span className="text-slate-500"> · OpenAPI {doc.openapi} · {Object.keys(doc.paths ?? {}).length} paths</span>
      </p>
      <div className="space-y-8" data-testid="api-operations">
        {tags.map((tag) => (
          <section key={tag} aria-labelledby={`tag-${tag}`}>
            <h2 id={`tag-${tag}`} className="mb-3 text-base font-semibold text-slate-900">{tag}</h2>
            <ul className="divide-y divide-slate-100 overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
              {byTag.get(tag)!.map((op) => (
                <li key={`${op.method} ${op.path}`} data-testid="api-operation">
                  <details className="group px-4 py-3">
                    <summary className="flex cursor-pointer flex-wrap items-center gap-3 text-sm">
                      <span className={`inline-flex w-16 justify-center rounded px-1.5 py-0.5 font-mono text-xs font-semibold uppercase ring-1 ring-inset ${METHOD_TONE[op.method]}`}>{op.method}</span>
                      <code className="font-mono text-slate-900">{op.path}</code>
                      <span className="text-slate-600">{op.summary}</span>
                    </summary>
                    <div className="mt-3 space-y-3 text-sm">
                      <p className="text-slate-600">{op.description}</p>
                      {op.parameters?.length ? (
                        <p className="text-slate-700">
                          Parameters: {op.parameters.map((p) => `${p.name} (${p.in}${p.required ? ", required" : ""})`).join(", ")}
                        </p>
                      ) : null}
                      {op.requestBody ? (
                        <div>
                          <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">Request body</h3>
                          <Json value={(op.requestBody as { content?: Record<string, { schema?: unknown }> }).content?.["application/json"]?.schema} />
                        </div>
                      ) : null}
                      {Object.entries(op.responses ?? {})
                        .filter(([status]) => status.startsWith("2"))
                        .map(([status, response]) => (
                          <div key={status}>
                            <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">{status} {Object.keys(response.content ?? {})[0]}</h3>
                            <Json value={Object.values(response.content ?? {})[0]?.schema} />
                          </div>
                        ))}
                    </div>
                  </details>
                </li>
              ))}
            </ul>
          </section>
        ))}
        <section>
          <h2 className="mb-3 text-base font-semibold text-slate-900">Shared schemas</h2>
          <Json value={doc.components?.schemas} />
        </section>
      </div>
    </>
  );
}
