/**
 * Exactly once under retries and races: 50 retries of one startProcess, and 50 concurrent
 * decisions on one task spread over two server instances sharing the database.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { DecideMinimalDocument, StartMinimalDocument } from "./generated/graphql.js";
import { codesOf, dataOf, gql, startProcessAs, tokenFor } from "./support/client.js";
import { reportReliability } from "./support/report.js";
import { startApp, startTestServer, type TestServer } from "./support/server.js";

let first: TestServer;
let second: Awaited<ReturnType<typeof startApp>>;
const resumed = new Map<string, number>();
const countResume = (threadId: string) => void resumed.set(threadId, (resumed.get(threadId) ?? 0) + 1);

beforeAll(async () => {
  first = await startTestServer({ hooks: { onReviewResumed: countResume } });
  second = await startApp(first.databaseUrl, { onReviewResumed: countResume });
});

afterAll(async () => {
  await second.app.stop();
  await first.close();
});

it("50 retries of one startProcess (same key, half of them at once, over both instances) create one process", async () => {
  const alice = await tokenFor("alice");
  const input = { approver: "bob", amount: "50.00", description: "Fifty retries", idempotencyKey: "retry-50" };
  const send = (i: number) => gql(i % 2 ? second.url : first.url, StartMinimalDocument, { input }, { token: alice });
  const sequential = [];
  for (let i = 0; i < 25; i++) sequential.push(await send(i));
  const concurrent = await Promise.all(Array.from({ length: 25 }, (_, i) => send(i)));
  const ids = new Set([...sequential, ...concurrent].map((response) => dataOf(response).startProcess.process.id));
  const { rows } = await first.sql.query("select count(*)::int as n from processes where description = $1", [input.description]);
  expect(ids.size).toBe(1);
  expect(rows[0].n).toBe(1);
  const events = await first.sql.query("select count(*)::int as n from process_events where process_id = $1", [[...ids][0]]);
  expect(events.rows[0].n).toBe(2);
  reportReliability({
    case: "startProcess retried 50 times with one idempotencyKey",
    did: "25 sequential + 25 concurrent calls, alternating two instances",
    checked: "distinct process ids returned; process rows; events",
    result: `${ids.size} id, ${rows[0].n} row, ${events.rows[0].n} events (STARTED, TASK_CREATED)`,
  });
});

it("50 concurrent decisions on one task over two instances: one success, 49 CONFLICT, one decision, one resume", async () => {
  const [alice, bob] = await Promise.all([tokenFor("alice"), tokenFor("bob")]);
  const started = await startProcessAs(first.url, alice, { approver: "bob", amount: "7.00", description: "Fifty deciders" });
  const taskId = started.pendingTasks[0]?.id;
  const responses = await Promise.all(
    Array.from({ length: 50 }, (_, i) =>
      gql(
        i % 2 ? second.url : first.url,
        DecideMinimalDocument,
        { input: { processId: started.id, taskId, decision: i % 3 ? "APPROVE" : "REJECT", comment: `decider ${i}` } },
        { token: bob },
      ),
    ),
  );
  const successes = responses.filter((response) => !response.errors);
  const conflicts = responses.filter((response) => codesOf(response).join() === "CONFLICT");
  const { rows } = await first.sql.query("select count(*)::int as n from decisions where task_id = $1", [taskId]);
  expect(successes).toHaveLength(1);
  expect(conflicts).toHaveLength(49);
  expect(rows[0].n).toBe(1);
  expect(resumed.get(started.id)).toBe(1);
  reportReliability({
    case: "50 concurrent decide on one task",
    did: "50 calls at once, alternating two instances on one database",
    checked: "successes; CONFLICT answers; decision rows; review node resumes (counted in the node)",
    result: `${successes.length} success, ${conflicts.length} CONFLICT, ${rows[0].n} decision row, ${resumed.get(started.id)} resume`,
  });
});
