/**
 * A database connection that ends while a transaction holds it (a restart, a failover, a proxy
 * dropping connections) fails that request with SERVICE_UNAVAILABLE, and the server goes on.
 *
 * pg emits 'error' on a client whose connection ends; pg-pool listens for it only while the client
 * is idle in the pool, so a client checked out for a transaction needs a listener of its own or
 * the error ends the process. The server runs as a child process here, so that a crash is seen.
 */
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { StartMinimalDocument } from "./generated/graphql.js";
import { codesOf, dataOf, gql, tokenFor, until } from "./support/client.js";
import { createTestDatabase } from "./support/database.js";
import { type ServerProcess, startServerProcess } from "./support/process.js";
import { reportReliability } from "./support/report.js";
import { TEST_SECRET } from "./support/server.js";

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ServerProcess;
let url: string;
let admin: pg.Client;

beforeAll(async () => {
  database = await createTestDatabase();
  server = startServerProcess({ DATABASE_URL: database.url, JWT_SECRET: TEST_SECRET });
  url = await server.url;
  admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
});

afterAll(async () => {
  await admin.end();
  server.child.kill("SIGTERM");
  await server.exited;
  await database.drop();
});

/** The server's connections that wait on a lock (its transaction, blocked inside). */
const blockedServerConnections = async () =>
  (
    await admin.query(
      `select count(*)::int as n from pg_stat_activity
       where datname = current_database() and application_name = 'approval-api' and wait_event_type = 'Lock'`,
    )
  ).rows[0].n as number;

it("a connection lost inside a transaction fails that request with SERVICE_UNAVAILABLE; the server goes on", async () => {
  const alice = await tokenFor("alice");
  const input = { approver: "bob", amount: "3.00", description: "connection lost", idempotencyKey: "lost-1" };

  // Hold the idempotency keys so that startProcess's transaction waits inside, then end the
  // server's connections to the database while it waits.
  await admin.query("begin");
  await admin.query("lock table idempotency_keys in access exclusive mode");
  const pending = gql(url, StartMinimalDocument, { input }, { token: alice });
  await until(async () => (await blockedServerConnections()) === 1);
  await admin.query(
    `select pg_terminate_backend(pid) from pg_stat_activity
     where datname = current_database() and application_name = 'approval-api'`,
  );
  await admin.query("rollback");

  const answered = await pending;
  expect(codesOf(answered)).toEqual(["SERVICE_UNAVAILABLE"]);
  // The server is still up, and the retry with the same key starts the process, once.
  const retried = dataOf(await gql(url, StartMinimalDocument, { input }, { token: alice })).startProcess.process;
  expect(retried.status).toBe("PENDING_REVIEW");
  const again = dataOf(await gql(url, StartMinimalDocument, { input }, { token: alice })).startProcess.process;
  expect(again.id).toBe(retried.id);
  expect((await admin.query("select count(*)::int as n from processes")).rows[0].n).toBe(1);
  expect(server.child.exitCode).toBeNull();
  reportReliability({
    case: "connection lost inside a transaction",
    did: "startProcess with a key held inside its transaction (table lock), then pg_terminate_backend on the server's connections",
    checked: "the answer, the server process, a retry with the key",
    result: "SERVICE_UNAVAILABLE; server still up; the retry started the process once (1 row)",
  });
});
