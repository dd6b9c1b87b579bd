/** What every benchmark needs: a PostgreSQL, fresh databases, real server processes, clients, statistics. */
import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { mintToken } from "../src/auth.js";
import { type EmbeddedDatabase, startEmbeddedPostgres } from "../src/db/embedded.js";
import { createLogger } from "../src/logging.js";
import { createDatabase } from "../test/support/fresh-database.js";
import { type ServerProcess, startServerProcess } from "../test/support/process.js";

export const BENCH_SECRET = "benchmark-secret-0123456789abcdef0123456789";

export type BenchDatabase = { adminUrl: string; stop(): Promise<void>; version: string };

/** BENCH_DATABASE_URL when set, else an embedded PostgreSQL in a temporary directory. */
export async function benchDatabase(): Promise<BenchDatabase> {
  let embedded: EmbeddedDatabase | undefined;
  let dir: string | undefined;
  let adminUrl = process.env.BENCH_DATABASE_URL;
  if (!adminUrl) {
    dir = mkdtempSync(path.join(os.tmpdir(), "approval-bench-"));
    chmodSync(dir, 0o755);
    embedded = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), log: createLogger("warn") });
    adminUrl = embedded.url;
  }
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  const version = (await client.query("show server_version")).rows[0].server_version as string;
  await client.end();
  return {
    adminUrl,
    version,
    async stop() {
      await embedded?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A new, empty database on the benchmark server; dropped by the returned function. */
export const freshDatabase = (adminUrl: string) => createDatabase(adminUrl, "bench");

export type BenchServer = { url: string; wsUrl: string; pid: number; stop(): Promise<void> };

/** The API as its own process, like production, on a database of the benchmark's. */
export async function startBenchServer(databaseUrl: string, env: Record<string, string> = {}): Promise<BenchServer> {
  const server: ServerProcess = startServerProcess({
    NODE_ENV: "production",
    DATABASE_URL: databaseUrl,
    JWT_SECRET: BENCH_SECRET,
    LOG_LEVEL: "info",
    GRAPHIQL: "false",
    ...env,
  });
  const url = await server.url;
  return {
    url,
    wsUrl: url.replace(/^http/, "ws"),
    pid: server.child.pid as number,
    async stop() {
      server.child.kill("SIGTERM");
      await server.exited;
    },
  };
}

export const benchToken = (sub: string) => mintToken(BENCH_SECRET, { sub }, "2h");

/**
 * The load generator's HTTP client: node:http with keep-alive. The benchmarks share two cores
 * with the server and PostgreSQL, and `fetch` costs the client several times the CPU per request,
 * which the server would then be measured without.
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/** POSTs a GraphQL request and returns its data, failing loudly on errors. */
export function post<T>(url: string, token: string, query: string, variables?: Record<string, unknown>): Promise<T> {
  const body = JSON.stringify({ query, variables });
  return new Promise<T>((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: "POST",
        agent,
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          authorization: `Bearer ${token}`,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", reject);
        response.on("end", () => {
          try {
            const parsed = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { data?: T; errors?: unknown };
            if (parsed.errors || !parsed.data) throw new Error(`GraphQL error: ${JSON.stringify(parsed.errors)}`);
            resolve(parsed.data);
          } catch (error) {
            reject(error);
          }
        });
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

export const START = `mutation($input: StartProcessInput!) { startProcess(input: $input) { process { id status } } }`;
export const DECIDE = `mutation($input: DecideInput!) { decide(input: $input) { process { id status } } }`;

/** Runs `work` on `concurrency` workers until `durationMs` has passed; returns completions per second. */
export async function closedLoop(
  concurrency: number,
  durationMs: number,
  work: (worker: number) => Promise<void>,
): Promise<{ completed: number; perSecond: number }> {
  const deadline = performance.now() + durationMs;
  const started = performance.now();
  let completed = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (performance.now() < deadline) {
        await work(worker);
        completed++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { completed, perSecond: completed / seconds };
}

export function percentiles(samples: number[]): { p50: number; p95: number; p99: number; n: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), n: sorted.length };
}

/** Resident memory of a process, in bytes (Linux /proc). */
export function rssOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((l) => l.startsWith("VmRSS:"));
  return Number.parseInt(line?.replace(/\D+/g, "") ?? "0", 10) * 1024;
}

export function machine(postgresVersion: string): string {
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  let kernel = os.release();
  try {
    kernel = execFileSync("uname", ["-r"], { encoding: "utf8" }).trim();
  } catch {}
  return `${os.cpus().length} cores (${cpu}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${kernel}, Node ${process.version}, PostgreSQL ${postgresVersion}`;
}

export const round = (value: number, digits = 1) => Number(value.toFixed(digits));
