import { afterAll, beforeAll, expect, it } from "vitest";
import {
  DecideMinimalDocument,
  ProcessDetailsDocument,
  ProcessEventsDocument,
  StartMinimalDocument,
} from "./generated/graphql.js";
import { dataOf, gql, subscribe, tokenFor, wsClient } from "./support/client.js";
import { startTestServer, type TestServer } from "./support/server.js";

let server: TestServer;
const failing = new Set<string>();
const disposers: Array<() => unknown> = [];

beforeAll(async () => {
  server = await startTestServer({
    hooks: {
      onReviewResumed: (threadId) => {
        if (failing.has(threadId)) throw new Error("ledger service unavailable");
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
  const started = dataOf(
    await gql(
      server.url,
      StartMinimalDocument,
      { input: { approver: "bob", amount: "3.00", description: "Will fail" } },
      { token: alice },
    ),
  ).startProcess.process;
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
