// The value of one series in Prometheus exposition text, by its exact name and labels as
// prom-client writes them (e.g. `foo_count{a="1"}`). For what the text parser cannot give
// per label set (it merges the series of a labeled histogram).
export function sampleValue(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  if (line === undefined) throw new Error(`${series} missing from /metrics`);
  return Number(line.slice(line.lastIndexOf(" ") + 1));
}
