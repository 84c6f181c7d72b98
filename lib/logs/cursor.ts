// Opaque keyset cursor for the request log listing: the (created_at, id) of the last row
// of a page. Clients must treat it as opaque; we only promise that next_cursor works.

export interface LogCursor {
  createdAt: Date;
  id: string;
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** base64url of `<ISO time>|<uuid>`. */
export function encodeCursor(cursor: LogCursor): string {
  return Buffer.from(`${cursor.createdAt.toISOString()}|${cursor.id}`, "utf8").toString("base64url");
}

export function decodeCursor(raw: string): LogCursor | undefined {
  const [time, id, extra] = Buffer.from(raw, "base64url").toString("utf8").split("|");
  if (time === undefined || id === undefined || extra !== undefined || !UUID_RE.test(id)) return undefined;
  const createdAt = new Date(time);
  // Round-tripping the ISO string rejects anything we did not produce ourselves.
  if (Number.isNaN(createdAt.getTime()) || createdAt.toISOString() !== time) return undefined;
  return { createdAt, id };
}
