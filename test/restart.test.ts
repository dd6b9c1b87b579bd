import { afterAll, beforeAll, expect, it } from "vitest";
import { DecideDocument, GetProcessDocument, MyPendingTasksDocument, StartProcessDocument } from "./generated/graphql.js";
import { dataOf, gql, tokenFor } from "./support/client.js";
import { startApp, startTestServer, type TestServer } from "./support/server.js";

let server: TestServer;
let second: Awaited<ReturnType<typeof startApp>> | undefined;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await second?.app.stop();
  await server.close();
});

it("a server stopped between startProcess and decide, started again on the same database, completes the process", async () => {
  const [alice, bob] = await Promise.all([tokenFor("alice"), tokenFor("bob")]);
  const started = dataOf(
    await gql(
      server.url,
      StartProcessDocument,
      { input: { approver: "bob", amount: "75.50", description: "Before restart" } },
      { token: alice },
    ),
  ).startProcess.process;
  const before = dataOf(await gql(server.url, GetProcessDocument, { id: started.id }, { token: alice })).process;
  await server.stopServer();

  second = await startApp(server.databaseUrl);
  const inbox = dataOf(await gql(second.url, MyPendingTasksDocument, {}, { token: bob })).pendingTasks;
  expect(inbox.edges.map((edge) => edge.node.id)).toEqual([started.pendingTasks[0]?.id]);

  const decided = dataOf(
    await gql(
      second.url,
      DecideDocument,
      { input: { processId: started.id, decision: "APPROVE", comment: "after restart" } },
      { token: bob },
    ),
  ).decide.process;
  expect(decided.status).toBe("APPROVED");

  const after = dataOf(await gql(second.url, GetProcessDocument, { id: started.id }, { token: alice })).process;
  // Every checkpoint from before the restart is still in the history, under the newer ones.
  const beforeIds = (before?.history ?? []).map((entry) => entry.checkpointId);
  const afterIds = (after?.history ?? []).map((entry) => entry.checkpointId);
  expect(beforeIds.length).toBeGreaterThan(0);
  expect(afterIds.slice(-beforeIds.length)).toEqual(beforeIds);
  expect(afterIds.length).toBeGreaterThan(beforeIds.length);
  const state = after?.state as { outcome: string; history: Array<{ node: string; message: string }> };
  expect(state.outcome).toBe("APPROVED");
  expect(state.history.map((entry) => entry.node)).toEqual(["submit", "review", "approved"]);
  const { rows } = await server.sql.query("select sequence, type from process_events where process_id = $1 order by sequence", [
    started.id,
  ]);
  expect(rows.map((row) => `${row.sequence}:${row.type}`)).toEqual(["1:STARTED", "2:TASK_CREATED", "3:DECIDED", "4:COMPLETED"]);
});
