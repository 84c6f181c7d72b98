// Soak test (issue 9 item 4): Switchyard alone under a fixed request rate for a long run
// (default 1,000,000 requests at 2,000 req/s), gateway pinned to one core, with virtual key,
// governance and request logging on — the same set-up as the `switchyard` target of bench.mjs.
// The run is cut into windows (default 30 s, one wrk fixed-rate run each); after every window
// the gateway's RSS (whole process tree) and the window's latency percentiles are recorded.
// The verdict is about a leak, not speed: RSS at the end ≤ the limit (200 MB) and no upward
// trend over the second half: the least-squares slope, against requests served, of the RSS
// floor (per-block minima: single samples swing with V8's GC cycle), with the V8 heap in use
// (from the gateway's /metrics) and p50/p99 reported beside it.
//
//   npm run bench -- --soak [--requests 1000000] [--rate 2000] [--window 30] [--rss-limit-mb 200]
//
// Writes bench-results/soak-<time>.{json,md} and prints the markdown.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const HERE = import.meta.dirname;
const ROOT = path.resolve(HERE, '..', '..');
const argv = process.argv.slice(2);
function flag(name, fallback) {
  const i = argv.indexOf(`--${name}`);
  if (i >= 0 && argv[i + 1] !== undefined) return argv[i + 1];
  const eq = argv.find((a) => a.startsWith(`--${name}=`));
  return eq ? eq.slice(name.length + 3) : fallback;
}
const C = {
  requests: Number(flag('requests', process.env.SOAK_REQUESTS ?? '1000000')),
  rate: Number(flag('rate', process.env.SOAK_RATE ?? '2000')),
  windowS: Number(flag('window', process.env.SOAK_WINDOW ?? '30')),
  conns: Number(flag('conns', '100')),
  rssLimitMb: Number(flag('rss-limit-mb', '200')),
  gwCpu: flag('gw-cpu', process.env.BENCH_GW_CPU ?? '1'),
  loadCpu: flag('load-cpu', process.env.BENCH_LOAD_CPU ?? '0'),
  portBase: Number(flag('port-base', '39400')),
};
const MOCK_PORT = C.portBase;
const GW_PORT = C.portBase + 6;
const WORK = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-soak-'));
const log = (line) => process.stderr.write(`[soak] ${line}\n`);
const procs = [];

function start(name, cpu, cmd, args, env = {}) {
  const out = fs.openSync(path.join(WORK, `${name}.log`), 'a');
  const child = spawn('taskset', ['-c', String(cpu), cmd, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', out, out] });
  procs.push(child);
  return child;
}

function stopAll() {
  for (const child of procs.reverse()) if (child.exitCode === null) child.kill('SIGTERM');
}
process.on('SIGINT', () => {
  stopAll();
  process.exit(130);
});

async function waitFor(check, what, timeoutMs = 120_000) {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what} (logs in ${WORK})`);
}

/** RSS of a process and all its descendants, in MB, from /proc. */
function treeRssMb(rootPid) {
  const children = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  let kb = 0;
  const stack = [rootPid];
  while (stack.length > 0) {
    const pid = stack.pop();
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (match) kb += Number(match[1]);
    } catch {
      // Gone.
    }
    stack.push(...(children.get(pid) ?? []));
  }
  return kb / 1024;
}

function runWrk(args) {
  const result = spawnSync('taskset', ['-c', String(C.loadCpu), 'wrk', ...args], { encoding: 'utf8', maxBuffer: 16 << 20 });
  const line = (result.stdout ?? '').split('\n').find((l) => l.startsWith('WRKJSON '));
  if (!line) throw new Error(`wrk gave no result: ${result.stderr || result.stdout}`);
  return JSON.parse(line.slice('WRKJSON '.length));
}

/** V8 heap in use, from the gateway's own /metrics (prom-client's default process metrics). */
async function heapUsedMb(gwUrl) {
  try {
    const text = await (await fetch(`${gwUrl}/metrics`)).text();
    const match = /^switchyard_nodejs_heap_size_used_bytes(?:\{[^}]*\})? ([0-9.e+]+)$/m.exec(text);
    return match ? Number(match[1]) / (1 << 20) : null;
  } catch {
    return null;
  }
}

/**
 * RSS sampled at a random point of V8's GC cycle swings by 100 MB between samples; a leak shows
 * in the floor, not in single samples. The floor of each block of `size` windows is its minimum.
 */
function blockFloors(windows, key, size = 4) {
  const floors = [];
  for (let i = 0; i < windows.length; i += size) {
    const block = windows.slice(i, i + size).filter((w) => w[key] !== null);
    if (block.length === 0) continue;
    floors.push({ servedTotal: block.at(-1).servedTotal, value: Math.min(...block.map((w) => w[key])) });
  }
  return floors;
}

/** Least-squares slope of y over x. */
function slope(xs, ys) {
  const n = xs.length;
  if (n < 2) return 0;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

async function main() {
  for (const tool of ['wrk', 'taskset']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) throw new Error(`${tool} is required (apt-get install -y wrk util-linux)`);
  }
  const mockUrl = `http://127.0.0.1:${MOCK_PORT}`;
  start('mock', C.loadCpu, process.execPath, [path.join(HERE, 'mock-upstream.mjs'), '--port', String(MOCK_PORT), '--latency', '0']);
  await waitFor(async () => (await fetch(`${mockUrl}/health`)).ok, 'the mock upstream');

  const readyFile = path.join(WORK, 'db.json');
  start('db', C.loadCpu, process.execPath, ['--import', 'tsx', path.join(HERE, 'switchyard-target.ts'), 'db', '--ready-file', readyFile], { MOCK_OPENAI_BASE_URL: `${mockUrl}/v1` });
  await waitFor(async () => fs.existsSync(readyFile) && fs.statSync(readyFile).size > 0, 'the database side', 180_000);
  const db = JSON.parse(fs.readFileSync(readyFile, 'utf8'));

  // The bundle npm run bench -- --soak built first (scripts/build-gateway.ts), as npm start runs it.
  const gateway = start('gateway', C.gwCpu, process.execPath, ['--enable-source-maps', path.join(HERE, '..', '..', '.build', 'gateway', 'bench-gateway.js')], {
    NODE_ENV: 'production',
    GW_PORT: String(GW_PORT),
    BENCH_DATABASE_URL: db.databaseUrl,
    SWITCHYARD_DATA_DIR: db.dataDir,
    BENCH_REDIS_URL: '',
  });
  const gwUrl = `http://127.0.0.1:${GW_PORT}`;
  await waitFor(async () => (await fetch(`${gwUrl}/health`)).ok, 'the gateway');
  // taskset execs the command, so the child's pid is the gateway's own.
  const gwPid = gateway.pid;

  const body = path.join(HERE, 'bodies', 'switchyard-chat.json');
  const headers = ['-H', `authorization: Bearer ${db.virtualKey}`];
  const url = `${gwUrl}/v1/chat/completions`;
  // Warm-up, unmeasured: JIT and connection pools settle first.
  runWrk(['-t1', `-c${C.conns}`, '-d10s', '--timeout', '10s', ...headers, '-s', path.join(HERE, 'lua', 'rate.lua'), url, '--', body, String(C.rate)]);
  const rssAfterWarmup = treeRssMb(gwPid);
  log(`warm; gateway pid ${gwPid}, RSS ${rssAfterWarmup.toFixed(1)} MB; ${C.requests.toLocaleString('en-US')} requests at ${C.rate} req/s in ${C.windowS} s windows`);

  const windows = [];
  let served = 0;
  const startedAt = new Date();
  while (served < C.requests) {
    const remaining = Math.ceil((C.requests - served) / C.rate);
    const duration = Math.max(1, Math.min(C.windowS, remaining));
    const r = runWrk(['-t1', `-c${C.conns}`, `-d${duration}s`, '--timeout', '10s', ...headers, '-s', path.join(HERE, 'lua', 'rate.lua'), url, '--', body, String(C.rate)]);
    served += r.requests;
    const errors = Object.values(r.errors).reduce((a, b) => a + b, 0);
    const w = { index: windows.length, requests: r.requests, servedTotal: served, rps: r.requests / (r.duration_us / 1e6), p50Ms: r.latency_us.p['50'] / 1000, p99Ms: r.latency_us.p['99'] / 1000, maxMs: r.latency_us.max / 1000, errors, late: r.late ?? null, rssMb: treeRssMb(gwPid), heapUsedMb: await heapUsedMb(gwUrl) };
    windows.push(w);
    log(`window ${w.index}: ${served.toLocaleString('en-US')} served, ${w.rps.toFixed(0)} req/s, p50 ${w.p50Ms.toFixed(3)} ms, p99 ${w.p99Ms.toFixed(3)} ms, errors ${errors}, RSS ${w.rssMb.toFixed(1)} MB, heap ${w.heapUsedMb?.toFixed(1) ?? '?'} MB`);
    if (gateway.exitCode !== null) throw new Error(`the gateway exited (${gateway.exitCode}); logs in ${WORK}`);
  }

  const second = windows.slice(Math.floor(windows.length / 2));
  const perHundredK = (points) => slope(points.map((p) => p.servedTotal), points.map((p) => p.value)) * 100_000;
  const secondHalfOf = (points) => points.slice(Math.floor(points.length / 2));
  // Trend of the floors (block minima) over the second half: what a leak would raise.
  const rssFloors = blockFloors(windows, 'rssMb');
  const heapFloors = blockFloors(windows, 'heapUsedMb');
  const rssSlope = perHundredK(secondHalfOf(rssFloors));
  const heapSlope = heapFloors.length > 1 ? perHundredK(secondHalfOf(heapFloors)) : null;
  const p50Slope = perHundredK(second.map((w) => ({ servedTotal: w.servedTotal, value: w.p50Ms })));
  const p99Slope = perHundredK(second.map((w) => ({ servedTotal: w.servedTotal, value: w.p99Ms })));
  const finalRss = windows.at(-1).rssMb;
  const secondHalfRequests = second.at(-1).servedTotal - second[0].servedTotal;
  // "Flat": what the floor's slope adds over the whole second half stays within 5 % of it.
  const meanFloor = secondHalfOf(rssFloors).reduce((a, p) => a + p.value, 0) / Math.max(1, secondHalfOf(rssFloors).length);
  const rssGrowthSecondHalf = (rssSlope * secondHalfRequests) / 100_000;
  const flat = rssGrowthSecondHalf <= 0.05 * meanFloor;
  const totalErrors = windows.reduce((a, w) => a + w.errors, 0);

  const result = {
    date: startedAt.toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? '', node: process.version, kernel: os.release() },
    config: C,
    rssAfterWarmupMb: rssAfterWarmup,
    finalRssMb: finalRss,
    maxRssMb: Math.max(...windows.map((w) => w.rssMb)),
    rssFloorsMb: rssFloors,
    heapFloorsMb: heapFloors,
    rssFloorSlopeMbPer100k: rssSlope,
    heapFloorSlopeMbPer100k: heapSlope,
    rssGrowthSecondHalfMb: rssGrowthSecondHalf,
    p50SlopeMsPer100k: p50Slope,
    p99SlopeMsPer100k: p99Slope,
    totalRequests: served,
    totalErrors,
    verdict: { rssWithinLimit: finalRss <= C.rssLimitMb, rssFlat: flat },
    windows,
  };
  const md = [
    `## Soak: ${served.toLocaleString('en-US')} requests at ${C.rate} req/s (${startedAt.toISOString()})`,
    '',
    `Machine: ${result.machine.cpus} CPUs (${result.machine.model}), Node ${result.machine.node}, Linux ${result.machine.kernel}. Gateway pinned to CPU ${C.gwCpu}, mock + wrk + PostgreSQL on CPU ${C.loadCpu}; virtual key, governance and request logging on.`,
    '',
    `- RSS after warm-up ${rssAfterWarmup.toFixed(1)} MB → end ${finalRss.toFixed(1)} MB (max ${result.maxRssMb.toFixed(1)} MB; limit ${C.rssLimitMb} MB: ${result.verdict.rssWithinLimit ? 'within' : '**over**'}).`,
    `- RSS floor (minimum of each block of 4 windows): ${rssFloors.map((p) => p.value.toFixed(1)).join(' → ')} MB; V8 heap in use, floor: ${heapFloors.map((p) => p.value.toFixed(1)).join(' → ') || 'n/a'} MB.`,
    `- Second half: RSS floor slope ${rssSlope.toFixed(3)} MB per 100k requests (${rssGrowthSecondHalf.toFixed(1)} MB over the half, ${flat ? 'flat' : '**rising**'}); heap floor slope ${heapSlope === null ? 'n/a' : heapSlope.toFixed(3)} MB per 100k; p50 slope ${p50Slope.toFixed(4)} ms, p99 slope ${p99Slope.toFixed(4)} ms per 100k requests.`,
    `- Errors: ${totalErrors} of ${served.toLocaleString('en-US')}.`,
    '',
    '| window | served | req/s | p50 ms | p99 ms | max ms | errors | RSS MB | heap used MB |',
    '|---|---|---|---|---|---|---|---|---|',
    ...windows.map((w) => `| ${w.index} | ${w.servedTotal.toLocaleString('en-US')} | ${w.rps.toFixed(0)} | ${w.p50Ms.toFixed(3)} | ${w.p99Ms.toFixed(3)} | ${w.maxMs.toFixed(1)} | ${w.errors} | ${w.rssMb.toFixed(1)} | ${w.heapUsedMb?.toFixed(1) ?? '–'} |`),
    '',
  ].join('\n');
  const outDir = path.join(ROOT, 'bench-results');
  fs.mkdirSync(outDir, { recursive: true });
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-').slice(0, 19);
  fs.writeFileSync(path.join(outDir, `soak-${stamp}.json`), JSON.stringify(result, null, 2));
  fs.writeFileSync(path.join(outDir, `soak-${stamp}.md`), md);
  process.stdout.write(md);
  return result.verdict.rssWithinLimit && result.verdict.rssFlat && totalErrors === 0 ? 0 : 2;
}

main()
  .then((code) => {
    stopAll();
    setTimeout(() => process.exit(code), 500);
  })
  .catch((error) => {
    log(String(error?.stack ?? error));
    stopAll();
    setTimeout(() => process.exit(1), 500);
  });
