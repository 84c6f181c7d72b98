// Liveness of the dashboard process (used by `npm start` to know it is up).
export const dynamic = "force-dynamic";

export function GET(): Response {
  return Response.json({ status: "ok" });
}
