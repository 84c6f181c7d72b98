// The contract between the playground page and its relay (app/api/v1/playground/chat):
// plain constants, no browser or Node APIs, so both sides import the same names.

/** POST target of the playground: same origin, so no CORS is involved. */
export const PLAYGROUND_CHAT_PATH = "/api/v1/playground/chat";
/** The pasted virtual key travels here; Authorization belongs to the dashboard session / admin token. */
export const PLAYGROUND_KEY_HEADER = "x-switchyard-virtual-key";
/** Extra SSE event the relay appends to a stream: `data` is the gateway's x-switchyard-* trailers as JSON. */
export const PLAYGROUND_TRAILERS_EVENT = "switchyard-trailers";
