import pg from "pg";
import { type App, buildApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import type { ExpenseApprovalHooks } from "../../src/workflows/expense-approval.js";
import { createTestDatabase } from "./database.js";

export const TEST_SECRET = "test-secret-for-the-approval-api-suite-0123456789";

export type TestServer = {
  url: string;
  wsUrl: string;
  databaseUrl: string;
  app: App;
  /** A small pool on the same database, for assertions on rows. */
  sql: pg.Pool;
  /** Stops the server but keeps the database (for restart tests). */
  stopServer(): Promise<void>;
  /** Stops the server, ends the assertion pool and drops the database. */
  close(): Promise<void>;
};

export async function startApp(
  databaseUrl: string,
  hooks?: ExpenseApprovalHooks,
  env: Record<string, string> = {},
): Promise<{ app: App; url: string }> {
  const app = buildApp(
    loadConfig({
      NODE_ENV: "test",
      DATABASE_URL: databaseUrl,
      JWT_SECRET: TEST_SECRET,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
      DB_POOL_MAX: "10",
      // The suite can be run under another checkpoint durability: GRAPH_DURABILITY=sync npm test
      ...(process.env.GRAPH_DURABILITY ? { GRAPH_DURABILITY: process.env.GRAPH_DURABILITY } : {}),
      ...env,
    }),
    { workflowHooks: hooks },
  );
  const { url } = await app.start(0);
  return { app, url };
}

/** A real server on port 0 over a fresh database of its own. */
export async function startTestServer(
  options: { hooks?: ExpenseApprovalHooks; env?: Record<string, string> } = {},
): Promise<TestServer> {
  const database = await createTestDatabase();
  const { app, url } = await startApp(database.url, options.hooks, options.env);
  const sql = new pg.Pool({ connectionString: database.url, max: 3 });
  // pool.end() resolves before its connections have closed; dropping the database (with force)
  // then terminates them, and an unheard error event would crash the test run.
  sql.on("error", () => {});
  let stopped = false;
  const stopServer = async () => {
    if (stopped) return;
    stopped = true;
    await app.stop();
  };
  return {
    url,
    wsUrl: url.replace(/^http/, "ws"),
    databaseUrl: database.url,
    app,
    sql,
    stopServer,
    async close() {
      await stopServer();
      await sql.end();
      await database.drop();
    },
  };
}
