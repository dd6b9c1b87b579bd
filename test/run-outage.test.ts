/**
 * The database goes away for a moment in the middle of a graph run (after the decision was
 * recorded, before the run's result): that is not the workflow failing. The caller gets
 * SERVICE_UNAVAILABLE, the process is not marked FAILED even though the database is back before
 * the run's error could be recorded, and the recovery pass finishes the run with the decision that
 * was recorded, exactly once.
 */
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DecideMinimalDocument, ProcessDetailsDocument, ProcessEventsDocument } from "./generated/graphql.js";
import { codesOf, dataOf, gql, startProcessAs, subscribe, tokenFor, until, wsClient } from "./support/client.js";
import { startTestServer, type TestServer } from "./support/server.js";

let server: TestServer;
let admin: pg.Client;
let databaseName: string;
const cutOff = new Set<string>();
const disposers: Array<() => unknown> = [];

const allowConnections = (allow: boolean) => admin.query(`alter database "${databaseName}" allow_connections ${allow}`);

/** Refuses new connections to the test database and ends the ones it has, for `ms`: a blip for this server. */
async function takeDatabaseAway(ms: number): Promise<void> {
  await allowConnections(false);
  await admin.query("select pg_terminate_backend(pid) from pg_stat_activity where datname = $1", [databaseName]);
  setTimeout(() => void allowConnections(true), ms);
}

beforeAll(async () => {
  server = await startTestServer({
    hooks: {
      // Inside the review node, after the decision was recorded and before the run's checkpoint.
      onReviewResumed: async (threadId) => {
        if (cutOff.delete(threadId)) await takeDatabaseAway(300);
      },
    },
    env: { RUN_LEASE_MS: "1000", RECOVERY_INTERVAL_MS: "200" },
  });
  databaseName = new URL(server.databaseUrl).pathname.slice(1);
  const maintenance = new URL(server.databaseUrl);
  maintenance.pathname = "/postgres";
  admin = new pg.Client({ connectionString: maintenance.toString() });
  await admin.connect();
});

afterAll(async () => {
  for (const dispose of disposers.splice(0)) await dispose();
  await allowConnections(true).catch(() => {});
  await admin.end();
  await server.close();
});

it("a run cut off by a database blip answers SERVICE_UNAVAILABLE and is finished by the recovery pass, not FAILED", async () => {
  const [alice, bob] = await Promise.all([tokenFor("alice"), tokenFor("bob")]);
  const started = await startProcessAs(server.url, alice, { approver: "bob", amount: "8.00", description: "outage mid-run" });
  cutOff.add(started.id);

  const decided = await gql(
    server.url,
    DecideMinimalDocument,
    { input: { processId: started.id, decision: "APPROVE" } },
    { token: bob },
  );
  expect(codesOf(decided)).toEqual(["SERVICE_UNAVAILABLE"]);
  expect(decided.errors?.[0]?.extensions?.processId).toBe(started.id);

  await until(async () => {
    const response = await gql(server.url, ProcessDetailsDocument, { id: started.id }, { token: alice });
    return response.data?.process?.status === "APPROVED";
  }, 20_000);

  const details = dataOf(await gql(server.url, ProcessDetailsDocument, { id: started.id }, { token: alice })).process;
  expect(details?.failure).toBeNull();
  expect(details?.decisions).toEqual([expect.objectContaining({ decision: "APPROVE", decidedBy: "bob" })]);
  const client = wsClient(server.wsUrl, alice);
  disposers.push(() => client.dispose());
  const sub = subscribe(client, ProcessEventsDocument, { id: started.id, after: 0 });
  disposers.push(sub.dispose);
  expect((await sub.waitFor(4)).map((result) => result.data?.processUpdated.type)).toEqual([
    "STARTED",
    "TASK_CREATED",
    "DECIDED",
    "COMPLETED",
  ]);
});
