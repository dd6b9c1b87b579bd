/**
 * processUpdated(id, after): a client that was away replays exactly what it missed, then goes on
 * live, with no gap and no duplicate at the seam, even while events keep being committed.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { DecideMinimalDocument, ProcessEventsDocument } from "./generated/graphql.js";
import { dataOf, gql, startProcessAs, subscribe, tokenFor, wsClient } from "./support/client.js";
import { reportReliability } from "./support/report.js";
import { startTestServer, type TestServer } from "./support/server.js";

let server: TestServer;
const failing = new Set<string>();
const disposers: Array<() => unknown> = [];
let alice: string;
let admin: string;

beforeAll(async () => {
  server = await startTestServer({
    hooks: {
      onReviewResumed: (threadId) => {
        if (failing.has(threadId)) throw new Error("still failing");
      },
    },
  });
  [alice, admin] = await Promise.all([tokenFor("alice"), tokenFor("root", { roles: ["admin"] })]);
});

afterAll(async () => {
  for (const dispose of disposers.splice(0)) await dispose();
  await server.close();
});

const retry = (id: string) =>
  gql<{ retryProcess: { process: { status: string } } }, { id: string }>(
    server.url,
    "mutation($id: ID!) { retryProcess(id: $id) { process { status } } }",
    { id },
    { token: admin },
  );

/** A process whose review keeps failing: each admin retry adds two events (STARTED, FAILED). */
async function failingProcess(): Promise<string> {
  const bob = await tokenFor("bob");
  const started = await startProcessAs(server.url, alice, { approver: "bob", amount: "1.00", description: "Replay" });
  failing.add(started.id);
  await gql(server.url, DecideMinimalDocument, { input: { processId: started.id, decision: "APPROVE" } }, { token: bob });
  return started.id;
}

const eventsOf = (results: Array<{ data?: { processUpdated: { sequence: number; type: string } } | null }>) =>
  results.map((result) => `${result.data?.processUpdated.sequence}:${result.data?.processUpdated.type}`);

it("a client that disconnects while 20 events happen gets exactly those 20 on reconnecting, then live ones", async () => {
  const id = await failingProcess();
  const firstClient = wsClient(server.wsUrl, alice);
  const first = subscribe(firstClient, ProcessEventsDocument, { id, after: 0 });
  const seen = eventsOf(await first.waitFor(4));
  expect(seen).toEqual(["1:STARTED", "2:TASK_CREATED", "3:DECIDED", "4:FAILED"]);
  await firstClient.dispose();

  for (let i = 0; i < 10; i++) expect(dataOf(await retry(id)).retryProcess.process.status).toBe("FAILED");

  const secondClient = wsClient(server.wsUrl, alice);
  disposers.push(() => secondClient.dispose());
  const second = subscribe(secondClient, ProcessEventsDocument, { id, after: 4 });
  disposers.push(second.dispose);
  const missed = eventsOf(await second.waitFor(20));
  expect(missed).toEqual(Array.from({ length: 20 }, (_, i) => `${i + 5}:${i % 2 === 0 ? "STARTED" : "FAILED"}`));

  failing.delete(id);
  expect(dataOf(await retry(id)).retryProcess.process.status).toBe("APPROVED");
  const all = eventsOf(await second.waitFor(22));
  expect(all.slice(20)).toEqual(["25:STARTED", "26:COMPLETED"]);
  reportReliability({
    case: "processUpdated replay after a disconnect",
    did: "subscriber saw 4 events, disconnected; 20 events committed; resubscribed with after: 4; then 2 live events",
    checked: "sequences received after reconnecting",
    result: `${missed.length} replayed (5..24, in order), then ${all.length - missed.length} live (25, 26); no gap, no duplicate`,
  });
});

it("events committed while the replay is running are neither lost nor doubled at the seam", async () => {
  const id = await failingProcess();
  for (let i = 0; i < 5; i++) await retry(id);
  const client = wsClient(server.wsUrl, alice);
  disposers.push(() => client.dispose());
  // Subscribe from the start while ten more events are being committed.
  const committing = (async () => {
    for (let i = 0; i < 5; i++) await retry(id);
  })();
  const sub = subscribe(client, ProcessEventsDocument, { id, after: 0 });
  disposers.push(sub.dispose);
  await committing;
  const sequences = (await sub.waitFor(24)).map((result) => result.data?.processUpdated.sequence);
  expect(sequences).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
});

it("killing the relay's listening connection (pg_terminate_backend) loses nothing", async () => {
  const bob = await tokenFor("bob");
  const started = await startProcessAs(server.url, alice, { approver: "bob", amount: "2.00", description: "Relay kill" });
  const client = wsClient(server.wsUrl, alice);
  disposers.push(() => client.dispose());
  const sub = subscribe(client, ProcessEventsDocument, { id: started.id, after: 0 });
  disposers.push(sub.dispose);
  await sub.waitFor(2);

  const database = new URL(server.databaseUrl).pathname.slice(1);
  const killed = await server.sql.query(
    "select pg_terminate_backend(pid) as killed from pg_stat_activity where application_name = 'approval-api-relay' and datname = $1",
    [database],
  );
  expect(killed.rows.map((row) => row.killed)).toEqual([true]);
  // Committed while nobody listens: the NOTIFY is gone, the event log is not.
  const decided = dataOf(
    await gql(server.url, DecideMinimalDocument, { input: { processId: started.id, decision: "APPROVE" } }, { token: bob }),
  );
  expect(decided.decide.process.status).toBe("APPROVED");
  expect(eventsOf(await sub.waitFor(4))).toEqual(["1:STARTED", "2:TASK_CREATED", "3:DECIDED", "4:COMPLETED"]);
  reportReliability({
    case: "relay connection killed",
    did: "pg_terminate_backend on the LISTEN connection, then a decision committed before it listened again",
    checked: "events received by a subscriber opened before the kill",
    result: "4 of 4 (DECIDED and COMPLETED caught up from the event log after re-listening)",
  });
});
