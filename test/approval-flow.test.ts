import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DecideDocument,
  MyPendingTasksDocument,
  type MyPendingTasksQuery,
  ProcessDetailsDocument,
  ProcessEventsDocument,
  ProcessesPageDocument,
  StartProcessDocument,
} from "./generated/graphql.js";
import { dataOf, gql, subscribe, tokenFor, until, wsClient } from "./support/client.js";
import { startTestServer, type TestServer } from "./support/server.js";
import { recordStatements } from "./support/statements.js";

let server: TestServer;
let alice: string;
let bob: string;
let carol: string;
const disposers: Array<() => unknown> = [];

beforeAll(async () => {
  server = await startTestServer();
  [alice, bob, carol] = await Promise.all([tokenFor("alice"), tokenFor("bob"), tokenFor("carol", { groups: ["finance"] })]);
});

afterAll(async () => {
  for (const dispose of disposers.splice(0)) await dispose();
  await server.close();
});

async function start(amount = "1250.00", description = "Team offsite", token = alice, approver = "bob") {
  const response = await gql(server.url, StartProcessDocument, { input: { approver, amount, description } }, { token });
  return dataOf(response).startProcess.process;
}

describe("approve and reject", () => {
  it("start returns the process paused for review with one open REVIEW task for the approver", async () => {
    const process = await start("1250");
    expect(process).toMatchObject({
      status: "PENDING_REVIEW",
      initiator: "alice",
      approver: "bob",
      amount: "1250.00",
      currency: "USD",
      description: "Team offsite",
      currentNode: "review",
      decisions: [],
    });
    expect(process.pendingTasks).toHaveLength(1);
    expect(process.pendingTasks[0]).toMatchObject({
      processId: process.id,
      kind: "REVIEW",
      status: "OPEN",
      assignee: "bob",
      candidateGroups: [],
      allowedDecisions: ["APPROVE", "REJECT"],
      completedAt: null,
    });
    const { rows } = await server.sql.query("select status, amount::text from processes where id = $1", [process.id]);
    expect(rows).toEqual([{ status: "PENDING_REVIEW", amount: "1250.00" }]);
  });

  it("approve resumes the graph to APPROVED and records the decision", async () => {
    const started = await start();
    const taskId = started.pendingTasks[0]?.id;
    const decided = dataOf(
      await gql(
        server.url,
        DecideDocument,
        { input: { processId: started.id, taskId, decision: "APPROVE", comment: "fine" } },
        { token: bob },
      ),
    ).decide.process;
    expect(decided.status).toBe("APPROVED");
    expect(decided.pendingTasks).toEqual([]);
    expect(decided.currentNode).toBeNull();
    expect(decided.version).toBeGreaterThan(started.version);
    expect(decided.decisions).toEqual([
      expect.objectContaining({ taskId, decision: "APPROVE", comment: "fine", decidedBy: "bob" }),
    ]);

    const details = dataOf(
      await gql(server.url, ProcessDetailsDocument, { id: started.id, historyFirst: 50 }, { token: alice }),
    ).process;
    expect(details?.tasks).toEqual([expect.objectContaining({ id: taskId, status: "COMPLETED", node: "review" })]);
    expect(details?.completedAt).not.toBeNull();
    const state = details?.state as { outcome: string; history: Array<{ node: string; message: string }> };
    expect(state.outcome).toBe("APPROVED");
    expect(state.history.map((entry) => entry.node)).toEqual(["submit", "review", "approved"]);
    expect(state.history[1]?.message).toBe("bob approved: fine");
    // Newest first, each pointing at the one before it. How many there are depends on
    // GRAPH_DURABILITY ("exit", the default, keeps one where the run waited and one at the end).
    const history = details?.history ?? [];
    expect(history.length).toBeGreaterThanOrEqual(2);
    expect(history[0]?.next).toEqual([]);
    expect(history[0]?.source).toBe("loop");
    const steps = history.map((entry) => entry.step);
    expect(steps).toEqual([...steps].sort((a, b) => b - a));
    expect(new Set(steps).size).toBe(steps.length);
    for (let i = 0; i < history.length - 1; i++) expect(history[i]?.parentCheckpointId).toBe(history[i + 1]?.checkpointId);
    // The node that wrote each checkpoint, under any durability: the newest was written by the
    // approved node; the one where the run waited for the review, by submit (review interrupted).
    expect(history[0]?.node).toBe("approved");
    const waited = history.findIndex((entry) => entry.next.includes("review"));
    expect(waited).toBeGreaterThan(0);
    expect(history[waited]?.node).toBe("submit");
    // Every checkpoint the loop wrote names its node; only the input checkpoint names none.
    for (const entry of history) expect(entry.node === null, JSON.stringify(entry)).toBe(entry.source === "input");
  });

  it("reject resumes the graph to REJECTED without naming the task when the caller has one", async () => {
    const started = await start("99.99", "Conference ticket");
    const decided = dataOf(
      await gql(
        server.url,
        DecideDocument,
        { input: { processId: started.id, decision: "REJECT", comment: "not this year" } },
        { token: bob },
      ),
    ).decide.process;
    expect(decided.status).toBe("REJECTED");
    expect(decided.decisions).toEqual([
      expect.objectContaining({ decision: "REJECT", comment: "not this year", decidedBy: "bob" }),
    ]);
    const { rows } = await server.sql.query("select count(*)::int as n from decisions where process_id = $1", [started.id]);
    expect(rows[0].n).toBe(1);
  });

  it("a group task can be decided by a member of the group", async () => {
    // The workflow assigns to a user; route one task to a group to prove the model carries groups.
    const started = await start("10.00", "Group review");
    await server.sql.query("update tasks set assignee = null, candidate_groups = '{finance}' where process_id = $1", [
      started.id,
    ]);
    const inbox = dataOf(await gql(server.url, MyPendingTasksDocument, { first: 50 }, { token: carol })).pendingTasks;
    expect(inbox.edges.map((edge) => edge.node.processId)).toContain(started.id);
    const decided = dataOf(
      await gql(server.url, DecideDocument, { input: { processId: started.id, decision: "APPROVE" } }, { token: carol }),
    ).decide.process;
    expect(decided.status).toBe("APPROVED");
    expect(decided.decisions[0]?.decidedBy).toBe("carol");
  });
});

describe("lists", () => {
  it("pendingTasks pages through the caller's open tasks oldest first", async () => {
    const dan = await tokenFor("dan");
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await start(`${i + 1}.00`, `item ${i}`, alice, "dan")).id);
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const page: MyPendingTasksQuery["pendingTasks"] = dataOf(
        await gql(server.url, MyPendingTasksDocument, { first: 2, after }, { token: dan }),
      ).pendingTasks;
      expect(page.totalCount).toBe(5);
      seen.push(...page.edges.map((edge) => edge.node.processId));
      pages++;
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor ?? null;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(ids);
    // Deciding one takes it out of the inbox.
    await gql(server.url, DecideDocument, { input: { processId: ids[0] as string, decision: "APPROVE" } }, { token: dan });
    const after1 = dataOf(await gql(server.url, MyPendingTasksDocument, { first: 10 }, { token: dan })).pendingTasks;
    expect(after1.totalCount).toBe(4);
    expect(after1.edges[0]?.node.process.id).toBe(ids[1]);
    // The page, its count, and the page's processes in one batched read: none per task.
    const recording = recordStatements();
    try {
      const inbox = dataOf(await gql(server.url, MyPendingTasksDocument, { first: 10 }, { token: dan })).pendingTasks;
      expect(inbox.edges.map((edge) => edge.node.process.id)).toEqual(ids.slice(1));
    } finally {
      recording.stop();
    }
    const reads = recording.sent.filter(({ text }) => /^\s*select/.test(text) && /from "(tasks|processes)"/.test(text));
    expect(reads).toHaveLength(3);
    expect(reads.filter(({ text }) => /"processes"\."id" = any\(/.test(text))).toHaveLength(1);
  });

  it("processes lists the caller's processes newest first, filtered by status", async () => {
    const erin = await tokenFor("erin");
    const first = await start("1.00", "first", erin, "bob");
    const second = await start("2.00", "second", erin, "bob");
    await gql(server.url, DecideDocument, { input: { processId: first.id, decision: "APPROVE" } }, { token: bob });
    const all = dataOf(await gql(server.url, ProcessesPageDocument, { first: 10 }, { token: erin })).processes;
    expect(all.totalCount).toBe(2);
    expect(all.edges.map((edge) => edge.node.id)).toEqual([second.id, first.id]);
    const pending = dataOf(await gql(server.url, ProcessesPageDocument, { status: "PENDING_REVIEW" }, { token: erin })).processes;
    expect(pending.edges.map((edge) => edge.node.id)).toEqual([second.id]);
    const page1 = dataOf(await gql(server.url, ProcessesPageDocument, { first: 1 }, { token: erin })).processes;
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = dataOf(
      await gql(server.url, ProcessesPageDocument, { first: 1, after: page1.pageInfo.endCursor }, { token: erin }),
    ).processes;
    expect(page2.edges.map((edge) => edge.node.id)).toEqual([first.id]);
    expect(page2.pageInfo.hasNextPage).toBe(false);
  });
});

describe("processUpdated", () => {
  it("delivers TASK_CREATED, DECIDED, COMPLETED in order with gap-free sequence", async () => {
    const started = await start("300.00", "Laptop");
    const client = wsClient(server.wsUrl, alice);
    disposers.push(() => client.dispose());
    const sub = subscribe(client, ProcessEventsDocument, { id: started.id, after: 0 });
    disposers.push(sub.dispose);
    // Replay from 0 brings the events so far; then the decision happens live.
    await sub.waitFor(2);
    await gql(server.url, DecideDocument, { input: { processId: started.id, decision: "APPROVE" } }, { token: bob });
    const results = await sub.waitFor(4);
    const events = results.map((result) => result.data?.processUpdated);
    expect(events.map((event) => event?.type)).toEqual(["STARTED", "TASK_CREATED", "DECIDED", "COMPLETED"]);
    expect(events.map((event) => event?.sequence)).toEqual([1, 2, 3, 4]);
    expect(events[1]?.task?.id).toBe(started.pendingTasks[0]?.id);
    expect(events[2]).toMatchObject({ actor: "bob", processStatus: "RUNNING", task: { status: "COMPLETED" } });
    expect(events[3]).toMatchObject({ processStatus: "APPROVED", process: { status: "APPROVED" } });
    const versions = events.map((event) => event?.processVersion ?? 0);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    const { rows } = await server.sql.query("select sequence, type from process_events where process_id = $1 order by sequence", [
      started.id,
    ]);
    expect(rows).toEqual([
      { sequence: 1, type: "STARTED" },
      { sequence: 2, type: "TASK_CREATED" },
      { sequence: 3, type: "DECIDED" },
      { sequence: 4, type: "COMPLETED" },
    ]);
  });

  it("a live subscriber (no replay) sees the decision's events as they commit", async () => {
    const started = await start("301.00", "Monitor");
    const client = wsClient(server.wsUrl, bob);
    disposers.push(() => client.dispose());
    const sub = subscribe(client, ProcessEventsDocument, { id: started.id });
    disposers.push(sub.dispose);
    await until(() => server.app.liveSubscribers(started.id) === 1);
    await gql(server.url, DecideDocument, { input: { processId: started.id, decision: "REJECT" } }, { token: bob });
    const results = await sub.waitFor(2);
    expect(results.map((result) => result.data?.processUpdated.type)).toEqual(["DECIDED", "COMPLETED"]);
    expect(results.map((result) => result.data?.processUpdated.sequence)).toEqual([3, 4]);
  });
});

describe("optimistic version", () => {
  it("decide with a stale expectedVersion is CONFLICT and changes nothing; the current one succeeds", async () => {
    const started = await start("77.00", "Versioned");
    const stale = await gql(
      server.url,
      DecideDocument,
      { input: { processId: started.id, decision: "APPROVE", expectedVersion: started.version - 1 } },
      { token: bob },
    );
    expect(stale.errors?.map((error) => error.extensions?.code)).toEqual(["CONFLICT"]);
    const { rows } = await server.sql.query("select status from tasks where process_id = $1", [started.id]);
    expect(rows).toEqual([{ status: "OPEN" }]);
    const current = await gql(
      server.url,
      DecideDocument,
      { input: { processId: started.id, decision: "APPROVE", expectedVersion: started.version } },
      { token: bob },
    );
    expect(dataOf(current).decide.process.status).toBe("APPROVED");
  });
});
