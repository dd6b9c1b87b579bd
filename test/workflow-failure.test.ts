import { afterAll, beforeAll, expect, it } from "vitest";
import { DecideMinimalDocument, ProcessDetailsDocument, ProcessEventsDocument } from "./generated/graphql.js";
import { codesOf, dataOf, gql, startProcessAs, subscribe, tokenFor, wsClient } from "./support/client.js";
import { startTestServer, type TestServer } from "./support/server.js";

let server: TestServer;
const failing = new Set<string>();
/** Processes whose review node's own call to another service is refused (ECONNREFUSED). */
const refused = new Set<string>();
const disposers: Array<() => unknown> = [];

beforeAll(async () => {
  server = await startTestServer({
    hooks: {
      onReviewResumed: (threadId) => {
        if (failing.has(threadId)) throw new Error("ledger service unavailable");
        if (refused.has(threadId)) throw Object.assign(new Error("connect ECONNREFUSED 10.0.0.1:443"), { code: "ECONNREFUSED" });
      },
    },
  });
});

afterAll(async () => {
  for (const dispose of disposers.splice(0)) await dispose();
  await server.close();
});

it("a node that throws leaves the process FAILED with the failure recorded and a FAILED event", async () => {
  const [alice, bob] = await Promise.all([tokenFor("alice"), tokenFor("bob")]);
  const started = await startProcessAs(server.url, alice, { approver: "bob", amount: "3.00", description: "Will fail" });
  failing.add(started.id);

  const decided = dataOf(
    await gql(server.url, DecideMinimalDocument, { input: { processId: started.id, decision: "APPROVE" } }, { token: bob }),
  );
  expect(decided.decide.process.status).toBe("FAILED");
  // The decision was acknowledged before the graph ran, so it stays recorded.
  expect(decided.decide.process.decisions).toEqual([{ decision: "APPROVE", decidedBy: "bob" }]);

  const details = dataOf(await gql(server.url, ProcessDetailsDocument, { id: started.id }, { token: alice })).process;
  expect(details?.failure).toMatchObject({ message: "ledger service unavailable", node: "review" });
  expect(JSON.stringify(details?.failure)).not.toMatch(/\.ts|at [A-Za-z]+ \(/);

  const client = wsClient(server.wsUrl, alice);
  disposers.push(() => client.dispose());
  const sub = subscribe(client, ProcessEventsDocument, { id: started.id, after: 0 });
  disposers.push(sub.dispose);
  const events = (await sub.waitFor(4)).map((result) => result.data?.processUpdated);
  expect(events.map((event) => `${event?.sequence}:${event?.type}:${event?.processStatus}`)).toEqual([
    "1:STARTED:RUNNING",
    "2:TASK_CREATED:PENDING_REVIEW",
    "3:DECIDED:RUNNING",
    "4:FAILED:FAILED",
  ]);
});

it("retryProcess is for admins only and resumes a FAILED process from its last checkpoint", async () => {
  const [alice, bob, admin] = await Promise.all([tokenFor("alice"), tokenFor("bob"), tokenFor("root", { roles: ["admin"] })]);
  const started = await startProcessAs(server.url, alice, { approver: "bob", amount: "4.00", description: "Retry me" });
  failing.add(started.id);
  const failed = dataOf(
    await gql(
      server.url,
      DecideMinimalDocument,
      { input: { processId: started.id, decision: "REJECT", comment: "no" } },
      { token: bob },
    ),
  );
  expect(failed.decide.process.status).toBe("FAILED");

  const retry = `mutation($id: ID!) { retryProcess(id: $id) { process { id status failure { message } decisions { decision } } } }`;
  for (const token of [alice, bob]) {
    expect(codesOf(await gql(server.url, retry, { id: started.id }, { token }))).toEqual(["FORBIDDEN"]);
  }
  // Still failing: it fails again, with the failure recorded again.
  const again = await gql<{ retryProcess: { process: { status: string; failure: { message: string } | null } } }, unknown>(
    server.url,
    retry,
    { id: started.id },
    { token: admin },
  );
  expect(dataOf(again).retryProcess.process).toMatchObject({
    status: "FAILED",
    failure: { message: "ledger service unavailable" },
  });

  failing.delete(started.id);
  const fixed = await gql<{ retryProcess: { process: { status: string; failure: unknown; decisions: unknown[] } } }, unknown>(
    server.url,
    retry,
    { id: started.id },
    { token: admin },
  );
  expect(dataOf(fixed).retryProcess.process).toEqual({
    id: started.id,
    status: "REJECTED",
    failure: null,
    decisions: [{ decision: "REJECT" }],
  });
  expect(codesOf(await gql(server.url, retry, { id: started.id }, { token: admin }))).toEqual(["CONFLICT"]);

  const details = dataOf(await gql(server.url, ProcessDetailsDocument, { id: started.id }, { token: alice })).process;
  const state = details?.state as { outcome: string; history: Array<{ node: string }> };
  expect(state.outcome).toBe("REJECTED");
  expect(state.history.filter((entry) => entry.node === "review")).toHaveLength(1);
  const { rows } = await server.sql.query(
    "select string_agg(type, ',' order by sequence) as types from process_events where process_id = $1",
    [started.id],
  );
  expect(rows[0].types).toBe("STARTED,TASK_CREATED,DECIDED,FAILED,STARTED,FAILED,STARTED,COMPLETED");
});

it("a result that cannot be recorded for a reason other than an outage leaves the process FAILED, not RUNNING forever", async () => {
  const alice = await tokenFor("alice");
  // The database refuses the task the run would create (as a broken invariant would), every time.
  await server.sql.query("alter table tasks add constraint refuse_13_13 check (title not like '%13.13 USD%') not valid");
  try {
    const started = await startProcessAs(server.url, alice, { approver: "bob", amount: "13.13", description: "Unrecordable" });
    expect(started.status).toBe("FAILED");
    const details = dataOf(await gql(server.url, ProcessDetailsDocument, { id: started.id }, { token: alice })).process;
    // What failed inside the database stays in the log.
    expect(details?.failure?.message).toBe("The workflow failed because of an internal error.");
    const { rows } = await server.sql.query(
      "select status, run_token, (select string_agg(type, ',' order by sequence) from process_events where process_id = $1) as types from processes where id = $1",
      [started.id],
    );
    expect(rows[0]).toEqual({ status: "FAILED", run_token: null, types: "STARTED,FAILED" });
  } finally {
    await server.sql.query("alter table tasks drop constraint refuse_13_13");
  }
});

it("a node whose own call is refused fails the run, though the error looks like an outage: the database answers", async () => {
  const [alice, bob] = await Promise.all([tokenFor("alice"), tokenFor("bob")]);
  const started = await startProcessAs(server.url, alice, { approver: "bob", amount: "14.00", description: "Ledger down" });
  refused.add(started.id);
  const decided = dataOf(
    await gql(server.url, DecideMinimalDocument, { input: { processId: started.id, decision: "APPROVE" } }, { token: bob }),
  );
  expect(decided.decide.process.status).toBe("FAILED");
  const details = dataOf(await gql(server.url, ProcessDetailsDocument, { id: started.id }, { token: alice })).process;
  // A system error's text (addresses, ports) stays in the log.
  expect(details?.failure).toMatchObject({ message: "The workflow failed because of an internal error.", node: "review" });
});
