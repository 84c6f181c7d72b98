// The log filters the logs page keeps in its URL and sends to the live socket. Outside the
// "use client" modules so the server page can read the list (a client module's exports are
// references on the server, not values).
export const LIVE_FILTER_FIELDS = ["provider", "model", "virtual_key", "team", "status"] as const;
export type LiveFilterField = (typeof LIVE_FILTER_FIELDS)[number];
