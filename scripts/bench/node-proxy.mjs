#!/usr/bin/env node
// Minimal Node reverse proxy: node:http server + undici Pool, streams the request body up and the
// response body (incl. SSE) down without parsing. The "floor" for any Node-based gateway.
//   UPSTREAM=http://127.0.0.1:18080 PORT=18083 node node-proxy.mjs
// PARSE=1 additionally buffers + JSON.parse/stringify the request and JSON.parse the (non-stream)
// response to read usage -- the floor for a gateway that must look at bodies.
import http from 'node:http';
import { pipeline } from 'node:stream/promises';
import { Pool } from 'undici';

const PORT = Number(process.env.PORT || 18083);
const UPSTREAM = process.env.UPSTREAM || 'http://127.0.0.1:18080';
const PARSE = process.env.PARSE === '1';
const pool = new Pool(UPSTREAM, { connections: 256, pipelining: 1, keepAliveTimeout: 60_000 });
// Written and never read on purpose: the parse must happen (it is the cost being measured), and
// the underscore keeps the linter from asking us to delete it.
let _totalTokens = 0;
const HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'host']);

function pickHeaders(h, drop) {
  const out = {};
  for (const k in h) if (!HOP.has(k) && k !== drop) out[k] = h[k];
  return out;
}

async function readBody(stream) {
  const parts = [];
  for await (const c of stream) parts.push(c);
  return Buffer.concat(parts);
}

const server = http.createServer(async (req, res) => {
  try {
    let body = req;
    const headers = pickHeaders(req.headers, PARSE ? 'content-length' : undefined);
    if (PARSE) body = JSON.stringify(JSON.parse(await readBody(req)));
    const up = await pool.request({ path: req.url, method: req.method, headers, body });
    const isSse = String(up.headers['content-type'] || '').startsWith('text/event-stream');
    if (PARSE && !isSse) {
      const buf = await readBody(up.body);
      _totalTokens += JSON.parse(buf).usage?.total_tokens ?? 0; // what a gateway would log
      res.writeHead(up.statusCode, pickHeaders(up.headers, 'content-length'));
      res.end(buf);
      return;
    }
    res.writeHead(up.statusCode, pickHeaders(up.headers));
    await pipeline(up.body, res);
  } catch (err) {
    if (res.headersSent) return void res.destroy(err);
    res.writeHead(502, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: String(err && err.message), type: 'proxy_error' } }));
  }
});
server.keepAliveTimeout = 120_000;
server.headersTimeout = 121_000;
server.listen(PORT, '127.0.0.1', () => console.log(`node-proxy on :${PORT} -> ${UPSTREAM} parse=${PARSE}`));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(0));
