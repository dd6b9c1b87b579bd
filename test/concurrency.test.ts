import { afterAll, beforeAll, expect, it } from "vitest";
import { DecideDocument, GetProcessDocument, StartProcessDocument } from "./generated/graphql.js";
import { codesOf, dataOf, gql, tokenFor } from "./support/client.js";
import { startTestServer, type TestServer } from "./support/server.js";

let server: TestServer;
const resumes = new Map<string, number>();

beforeAll(async () => {
  server = await startTestServer({
    hooks: { onReviewResumed: (threadId) => void resumes.set(threadId, (resumes.get(threadId) ?? 0) + 1) },
  });
});

afterAll(() => server.close());

it("10 concurrent decisions on one task: one success, nine CONFLICT, one decision, one resume", async () => {
  const [alice, bob] = await Promise.all([tokenFor("alice"), tokenFor("bob")]);
  const started = dataOf(
    await gql(
      server.url,
      StartProcessDocument,
      { input: { approver: "bob", amount: "500.00", description: "Race" } },
      { token: alice },
    ),
  ).startProcess.process;
  const taskId = started.pendingTasks[0]?.id;

  const responses = await Promise.all(
    Array.from({ length: 10 }, (_, i) =>
      gql(
        server.url,
        DecideDocument,
        { input: { processId: started.id, taskId, decision: i % 2 === 0 ? "APPROVE" : "REJECT", comment: `attempt ${i}` } },
        { token: bob },
      ),
    ),
  );

  const succeeded = responses.filter((response) => !response.errors);
  const conflicts = responses.filter((response) => codesOf(response).join() === "CONFLICT");
  expect(succeeded).toHaveLength(1);
  expect(conflicts).toHaveLength(9);
  const winner = dataOf(succeeded[0] as (typeof responses)[number]).decide.process;
  expect(["APPROVED", "REJECTED"]).toContain(winner.status);

  const { rows: decisionRows } = await server.sql.query("select decision, comment from decisions where task_id = $1", [taskId]);
  expect(decisionRows).toHaveLength(1);
  expect(winner.decisions).toEqual([
    expect.objectContaining({ decision: decisionRows[0].decision, comment: decisionRows[0].comment }),
  ]);
  expect(resumes.get(started.id)).toBe(1);

  // The graph's own state agrees with the one recorded decision.
  const details = dataOf(await gql(server.url, GetProcessDocument, { id: started.id }, { token: alice })).process;
  const state = details?.state as { decision: { comment: string }; history: Array<{ node: string }> };
  expect(state.decision.comment).toBe(decisionRows[0].comment);
  expect(state.history.filter((entry) => entry.node === "review")).toHaveLength(1);
  const { rows: events } = await server.sql.query(
    "select type, sequence from process_events where process_id = $1 order by sequence",
    [started.id],
  );
  expect(events.map((event) => event.type)).toEqual(["STARTED", "TASK_CREATED", "DECIDED", "COMPLETED"]);
  expect(events.map((event) => event.sequence)).toEqual([1, 2, 3, 4]);
});

it("concurrent starts each get their own process and gap-free events", async () => {
  const alice = await tokenFor("alice");
  const responses = await Promise.all(
    Array.from({ length: 12 }, (_, i) =>
      gql(
        server.url,
        StartProcessDocument,
        { input: { approver: "bob", amount: `${i + 1}.00`, description: `parallel ${i}` } },
        { token: alice },
      ),
    ),
  );
  const ids = responses.map((response) => dataOf(response).startProcess.process.id);
  expect(new Set(ids).size).toBe(12);
  const { rows } = await server.sql.query(
    "select process_id, array_agg(sequence order by sequence) as seqs from process_events where process_id = any($1) group by process_id",
    [ids],
  );
  expect(rows).toHaveLength(12);
  for (const row of rows) expect(row.seqs).toEqual([1, 2]);
});
