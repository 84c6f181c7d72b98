// CSV (RFC 4180) for the log and usage exports, streamed so that a 100k-row export never
// sits in memory at once.

/**
 * One CSV field. Quoted when it holds a comma, quote, CR or LF (quotes doubled). Text that
 * a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading `'`
 * (OWASP "CSV injection"): error messages and tags come from API clients. Numbers are
 * written as they are, so negative numbers stay numbers.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") return String(value);
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvField).join(",")}\r\n`;
}

/** A streamed CSV body: the header line, then the lines of each batch the source yields. */
export function csvStream<T>(header: readonly string[], source: AsyncIterable<T[]>, toValues: (row: T) => unknown[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = source[Symbol.asyncIterator]();
  let headerSent = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(csvLine(header)));
        return;
      }
      const next = await iterator.next();
      if (next.done) {
        controller.close();
        return;
      }
      controller.enqueue(encoder.encode(next.value.map((row) => csvLine(toValues(row))).join("")));
    },
    async cancel() {
      // The client went away: stop querying further pages.
      await iterator.return?.(undefined);
    },
  });
}

export function csvResponse(body: ReadableStream<Uint8Array>, filename: string): Response {
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "no-store",
    },
  });
}
