/**
 * A run that stalls past its lease is taken over by another server. The stalled server learns it
 * at its next lease renewal and stops its graph (its request answers with the new owner's
 * outcome); when the stalled node wakes up at last, nothing it does is recorded.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { DecideMinimalDocument } from "./generated/graphql.js";
import { dataOf, deferred, gql, startProcessAs, tokenFor, until } from "./support/client.js";
import { reportReliability } from "./support/report.js";
import { startApp, startTestServer, type TestServer } from "./support/server.js";

let first: TestServer;
let second: Awaited<ReturnType<typeof startApp>>;
const stall = deferred<void>();
const stalled = deferred<void>();
let resumedOnFirst = 0;
let resumedOnSecond = 0;

beforeAll(async () => {
  first = await startTestServer({
    // Renewals every 500 ms: the stalled server notices the takeover quickly.
    env: { RUN_LEASE_MS: "1500" },
    hooks: {
      onReviewResumed: async () => {
        resumedOnFirst++;
        stalled.resolve();
        await stall.promise;
        throw new Error("woke up too late");
      },
    },
  });
  second = await startApp(first.databaseUrl, { onReviewResumed: () => void resumedOnSecond++ }, { RECOVERY_INTERVAL_MS: "100" });
});

afterAll(async () => {
  stall.resolve();
  await second.app.stop();
  await first.close();
});

it("the stalled owner's late result is discarded; the new owner's outcome stands", async () => {
  const [alice, bob] = await Promise.all([tokenFor("alice"), tokenFor("bob")]);
  const started = await startProcessAs(first.url, alice, { approver: "bob", amount: "8.00", description: "Stall" });
  const decision = gql(
    first.url,
    DecideMinimalDocument,
    { input: { processId: started.id, decision: "APPROVE" } },
    { token: bob },
  );
  await stalled.promise;

  // The first server's lease runs out (as if its machine had paused), and the second takes over.
  const { rows } = await first.sql.query("select run_token from processes where id = $1", [started.id]);
  const firstToken = rows[0].run_token;
  await until(async () => {
    const current = await first.sql.query(
      "update processes set run_lease_until = now() - interval '1 second' where id = $1 and run_token = $2 returning id",
      [started.id, firstToken],
    );
    return current.rowCount === 0;
  });
  await until(
    async () => (await first.sql.query("select status from processes where id = $1", [started.id])).rows[0].status === "APPROVED",
  );
  expect(resumedOnSecond).toBe(1);

  // The stalled server stopped its run when its renewal found the process taken: the request
  // answers with the new owner's outcome while the stalled node is still stuck.
  const answered = dataOf(await decision).decide.process;
  expect(answered.status).toBe("APPROVED");
  stall.resolve();
  await new Promise((resolve) => setTimeout(resolve, 200));
  const events = await first.sql.query(
    "select string_agg(type, ',' order by sequence) as types from processes p join process_events e on e.process_id = p.id where p.id = $1",
    [started.id],
  );
  expect(events.rows[0].types).toBe("STARTED,TASK_CREATED,DECIDED,COMPLETED");
  const final = await first.sql.query("select status, failure_message from processes where id = $1", [started.id]);
  expect(final.rows[0]).toEqual({ status: "APPROVED", failure_message: null });
  expect(resumedOnFirst).toBe(1);
  reportReliability({
    case: "run stalled past its lease",
    did: "held one server's run inside the review node, expired its lease; a second server took over; then the first's node failed late",
    checked: "final status, events, failure",
    result:
      "the first server stopped its graph at its next renewal and answered APPROVED (the new owner's result) before its node woke; events STARTED,TASK_CREATED,DECIDED,COMPLETED; the late failure was discarded",
  });
});
