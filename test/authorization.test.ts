import { getIntrospectionQuery } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { mintToken } from "../src/auth.js";
import {
  DecideDocument,
  GetProcessDocument,
  MyPendingTasksDocument,
  ProcessEventsDocument,
  ProcessesPageDocument,
  StartMinimalDocument,
  StartProcessDocument,
  ViewerDetailsDocument,
  ViewerDocument,
} from "./generated/graphql.js";
import { codesOf, dataOf, gql, subscribe, tokenFor, wsClient } from "./support/client.js";
import { startTestServer, type TestServer } from "./support/server.js";

let server: TestServer;
const tokens: Record<string, string> = {};
const disposers: Array<() => unknown> = [];
let processId: string;
let taskId: string;

/** startProcess as alice with bob as approver; the process, with its pending task. */
async function aliceAsksBob(amount: string, description: string) {
  return dataOf(
    await gql(server.url, StartProcessDocument, { input: { approver: "bob", amount, description } }, { token: tokens.alice }),
  ).startProcess.process;
}

/** Offers a process's tasks to the finance group too (the workflow itself assigns one person). */
const offerToFinance = (id: string) =>
  server.sql.query("update tasks set candidate_groups = '{finance}' where process_id = $1", [id]);

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** Tokens that must all be refused. */
async function badTokens(): Promise<Record<string, string>> {
  const now = Math.floor(Date.now() / 1000);
  return {
    expired: await tokenFor("alice", {}, "-1m"),
    otherSecret: await mintToken("a-completely-different-secret-of-enough-length", { sub: "alice" }),
    algNone: `${base64url({ alg: "none", typ: "JWT" })}.${base64url({ sub: "admin", roles: ["admin"], iat: now, exp: now + 600 })}.`,
    garbage: "not.a.token",
    noSub: await mintToken("test-secret-for-the-approval-api-suite-0123456789", { sub: "" } as { sub: string }),
    // Validly signed, but with claims the database could not store or compare (they used to get
    // through, then fail every operation with INTERNAL_SERVER_ERROR or leave a process FAILED).
    subWithNul: await tokenFor("al\u0000ice"),
    subWithLoneSurrogate: await tokenFor("al\ud800ice"),
    subTooLong: await tokenFor("a".repeat(201)),
    subPadded: await tokenFor(" alice"),
    groupWithNul: await tokenFor("alice", { groups: ["fin\u0000"] }),
    tooManyGroups: await tokenFor("alice", { groups: Array.from({ length: 1_001 }, (_, i) => `g${i}`) }),
  };
}

/** Opens a raw graphql-ws connection, sends connection_init and reports how the server answered. */
function rawConnect(url: string, payload: Record<string, unknown> | undefined): Promise<{ ack: boolean; closeCode?: number }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, "graphql-transport-ws");
    socket.once("open", () => socket.send(JSON.stringify({ type: "connection_init", payload })));
    socket.on("message", (raw) => {
      const message = JSON.parse(String(raw)) as { type: string };
      if (message.type === "connection_ack") {
        socket.close(1000);
        resolve({ ack: true });
      }
    });
    socket.once("close", (code) => resolve({ ack: false, closeCode: code }));
    socket.once("error", reject);
  });
}

beforeAll(async () => {
  server = await startTestServer();
  tokens.alice = await tokenFor("alice");
  tokens.bob = await tokenFor("bob");
  tokens.carol = await tokenFor("carol", { groups: ["finance"] });
  tokens.mallory = await tokenFor("mallory", { groups: ["sales"] });
  tokens.admin = await tokenFor("root", { roles: ["admin"] });
  const started = dataOf(
    await gql(
      server.url,
      StartProcessDocument,
      { input: { approver: "bob", amount: "42.00", description: "Books" } },
      { token: tokens.alice },
    ),
  ).startProcess.process;
  processId = started.id;
  taskId = started.pendingTasks[0]?.id as string;
});

afterAll(async () => {
  for (const dispose of disposers.splice(0)) await dispose();
  await server.close();
});

describe("authentication over HTTP", () => {
  const operations = () => [
    { name: "viewer", run: (auth: { token?: string; authorization?: string }) => gql(server.url, ViewerDocument, {}, auth) },
    {
      name: "process",
      run: (auth: { token?: string; authorization?: string }) => gql(server.url, GetProcessDocument, { id: processId }, auth),
    },
    {
      name: "processes",
      run: (auth: { token?: string; authorization?: string }) => gql(server.url, ProcessesPageDocument, {}, auth),
    },
    {
      name: "pendingTasks",
      run: (auth: { token?: string; authorization?: string }) => gql(server.url, MyPendingTasksDocument, {}, auth),
    },
    {
      name: "startProcess",
      run: (auth: { token?: string; authorization?: string }) =>
        gql(server.url, StartProcessDocument, { input: { approver: "bob", amount: "1", description: "x" } }, auth),
    },
    {
      name: "decide",
      run: (auth: { token?: string; authorization?: string }) =>
        gql(server.url, DecideDocument, { input: { processId, decision: "APPROVE" } }, auth),
    },
  ];

  it("every operation without a token is UNAUTHENTICATED and changes nothing", async () => {
    const before = await server.sql.query("select count(*)::int as n from processes");
    for (const operation of operations()) {
      const response = await operation.run({});
      expect(codesOf(response), operation.name).toEqual(["UNAUTHENTICATED"]);
    }
    // Bad variables do not get past the missing token either.
    const badAmount = await gql(server.url, StartProcessDocument, {
      input: { approver: "bob", amount: "abc", description: "x" },
    });
    expect(codesOf(badAmount)).toEqual(["UNAUTHENTICATED"]);
    const missingId = await gql(server.url, GetProcessDocument, {} as { id: string });
    expect(codesOf(missingId)).toEqual(["UNAUTHENTICATED"]);
    const after = await server.sql.query("select count(*)::int as n from processes");
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it("expired, foreign, unsigned, malformed and subject-less tokens, and claims the database cannot hold, are UNAUTHENTICATED", async () => {
    for (const [kind, token] of Object.entries(await badTokens())) {
      for (const operation of operations()) {
        const response = await operation.run({ token });
        expect(codesOf(response), `${kind} / ${operation.name}`).toEqual(["UNAUTHENTICATED"]);
      }
    }
    const response = await gql(server.url, ViewerDocument, {}, { authorization: "Basic YWxpY2U6cHc=" });
    expect(codesOf(response)).toEqual(["UNAUTHENTICATED"]);
  });

  it("an approver any valid token can name can decide: ids are measured alike for both (code points)", async () => {
    const approver = "𠀀".repeat(150); // 150 characters, 300 UTF-16 units
    const started = dataOf(
      await gql(
        server.url,
        StartMinimalDocument,
        { input: { approver, amount: "2.00", description: "astral" } },
        { token: tokens.alice },
      ),
    ).startProcess.process;
    const decided = await gql(
      server.url,
      DecideDocument,
      { input: { processId: started.id, decision: "APPROVE" } },
      { token: await tokenFor(approver, { name: `${"n".repeat(199)}😀` }) },
    );
    expect(decided.errors).toBeUndefined();
    // A long display name is cut to 200 characters, never inside one.
    const erin = await tokenFor("erin", { name: `${"n".repeat(199)}😀😀` });
    const viewer = dataOf(await gql(server.url, ViewerDetailsDocument, {}, { token: erin }));
    expect(viewer.viewer.name).toBe(`${"n".repeat(199)}😀`);
  });

  it("a token that was accepted is refused once it expires (verified tokens are remembered only until exp)", async () => {
    const shortLived = await tokenFor("alice", {}, "6s");
    expect(dataOf(await gql(server.url, ViewerDocument, {}, { token: shortLived })).viewer.id).toBe("alice");
    expect(dataOf(await gql(server.url, ViewerDocument, {}, { token: shortLived })).viewer.id).toBe("alice");
    await new Promise((resolve) => setTimeout(resolve, 6_100));
    expect(codesOf(await gql(server.url, ViewerDocument, {}, { token: shortLived }))).toEqual(["UNAUTHENTICATED"]);
    expect(await rawConnect(server.wsUrl, { authorization: `Bearer ${shortLived}` })).toEqual({ ack: false, closeCode: 4403 });
  });

  it("introspection works without a token", async () => {
    const response = await gql<{ __schema: { queryType: { name: string } } }, unknown>(server.url, getIntrospectionQuery());
    expect(response.errors).toBeUndefined();
    expect(response.data?.__schema.queryType.name).toBe("Query");
  });

  it("viewer reflects the token's claims", async () => {
    expect(dataOf(await gql(server.url, ViewerDocument, {}, { token: tokens.carol })).viewer).toEqual({ id: "carol", roles: [] });
    expect(dataOf(await gql(server.url, ViewerDocument, {}, { token: tokens.admin })).viewer).toEqual({
      id: "root",
      roles: ["admin"],
    });
  });
});

describe("visibility of a process", () => {
  it("is visible to its initiator, its assignee and admins", async () => {
    for (const who of ["alice", "bob", "admin"]) {
      const response = await gql(server.url, GetProcessDocument, { id: processId }, { token: tokens[who] });
      expect(dataOf(response).process?.id, who).toBe(processId);
    }
  });

  it("is NOT_FOUND for anyone else, exactly as an id that does not exist", async () => {
    const hidden = await gql(server.url, GetProcessDocument, { id: processId }, { token: tokens.mallory });
    const missing = await gql(
      server.url,
      GetProcessDocument,
      { id: "00000000-0000-4000-8000-000000000000" },
      { token: tokens.mallory },
    );
    const malformed = await gql(server.url, GetProcessDocument, { id: "not-a-uuid" }, { token: tokens.mallory });
    for (const response of [hidden, missing, malformed]) {
      expect(codesOf(response)).toEqual(["NOT_FOUND"]);
      expect(response.data?.process ?? null).toBeNull();
    }
    const shape = (message: string) => message.replace(/"[^"]*"/, '"<id>"');
    expect(shape(hidden.errors?.[0]?.message ?? "")).toBe(shape(missing.errors?.[0]?.message ?? ""));
  });

  it("is visible to members of a group that holds one of its tasks", async () => {
    const started = await aliceAsksBob("5", "group");
    expect(codesOf(await gql(server.url, GetProcessDocument, { id: started.id }, { token: tokens.carol }))).toEqual([
      "NOT_FOUND",
    ]);
    await offerToFinance(started.id);
    expect(dataOf(await gql(server.url, GetProcessDocument, { id: started.id }, { token: tokens.carol })).process?.id).toBe(
      started.id,
    );
  });

  it("a group member who decided keeps seeing the process after leaving the group", async () => {
    const started = await aliceAsksBob("6", "decided through a group");
    await offerToFinance(started.id);
    const decided = await gql(
      server.url,
      DecideDocument,
      { input: { processId: started.id, decision: "APPROVE" } },
      { token: tokens.carol },
    );
    expect(decided.errors).toBeUndefined();
    const carolOutsideFinance = await tokenFor("carol");
    expect(
      dataOf(await gql(server.url, GetProcessDocument, { id: started.id }, { token: carolOutsideFinance })).process?.id,
    ).toBe(started.id);
    const listed = dataOf(await gql(server.url, ProcessesPageDocument, { first: 100 }, { token: carolOutsideFinance })).processes;
    expect(listed.edges.map((edge) => edge.node.id)).toContain(started.id);
  });

  it("processes lists only what the caller may see; admins see everything", async () => {
    const mine = dataOf(await gql(server.url, ProcessesPageDocument, { first: 100 }, { token: tokens.mallory })).processes;
    expect(mine.totalCount).toBe(0);
    const bobs = dataOf(await gql(server.url, ProcessesPageDocument, { first: 100 }, { token: tokens.bob })).processes;
    expect(bobs.edges.map((edge) => edge.node.id)).toContain(processId);
    const { rows } = await server.sql.query("select count(*)::int as n from processes");
    const all = dataOf(await gql(server.url, ProcessesPageDocument, { first: 100 }, { token: tokens.admin })).processes;
    expect(all.totalCount).toBe(rows[0].n);
  });

  it("pendingTasks holds only the caller's tasks, never their own request", async () => {
    expect(dataOf(await gql(server.url, MyPendingTasksDocument, {}, { token: tokens.mallory })).pendingTasks.totalCount).toBe(0);
    expect(dataOf(await gql(server.url, MyPendingTasksDocument, {}, { token: tokens.admin })).pendingTasks.totalCount).toBe(0);
    // alice is in the group her own request's task is offered to: it still is not hers to decide.
    const aliceInFinance = await tokenFor("alice", { groups: ["finance"] });
    const inbox = dataOf(await gql(server.url, MyPendingTasksDocument, { first: 100 }, { token: aliceInFinance })).pendingTasks;
    expect(inbox.totalCount).toBe(0);
    const bobs = dataOf(await gql(server.url, MyPendingTasksDocument, { first: 100 }, { token: tokens.bob })).pendingTasks;
    expect(bobs.edges.map((edge) => edge.node.id)).toContain(taskId);
  });
});

describe("who may decide", () => {
  it("the initiator may not decide their own request, even through a group", async () => {
    const aliceInFinance = await tokenFor("alice", { groups: ["finance"] });
    const started = await aliceAsksBob("7", "own");
    await offerToFinance(started.id);
    const task = started.pendingTasks[0]?.id;
    for (const token of [tokens.alice, aliceInFinance]) {
      const response = await gql(
        server.url,
        DecideDocument,
        { input: { processId: started.id, taskId: task, decision: "APPROVE" } },
        { token },
      );
      expect(codesOf(response)).toEqual(["FORBIDDEN"]);
    }
  });

  it("deciding a task that is not yours is FORBIDDEN, for an admin or an outsider; an unknown process is NOT_FOUND", async () => {
    const decideAs = (token: string | undefined, input: { processId: string; taskId?: string }) =>
      gql(server.url, DecideDocument, { input: { ...input, decision: "APPROVE" as const } }, { token });
    expect(codesOf(await decideAs(tokens.admin, { processId, taskId }))).toEqual(["FORBIDDEN"]);
    expect(codesOf(await decideAs(tokens.mallory, { processId, taskId }))).toEqual(["FORBIDDEN"]);
    expect(codesOf(await decideAs(tokens.mallory, { processId }))).toEqual(["FORBIDDEN"]);
    expect(codesOf(await decideAs(tokens.mallory, { processId: "00000000-0000-4000-8000-000000000000" }))).toEqual(["NOT_FOUND"]);
    const { rows } = await server.sql.query("select count(*)::int as n from decisions where process_id = $1", [processId]);
    expect(rows[0].n).toBe(0);
  });

  it("a task of another process is NOT_FOUND", async () => {
    const other = await aliceAsksBob("8", "other");
    const response = await gql(
      server.url,
      DecideDocument,
      { input: { processId: other.id, taskId, decision: "APPROVE" } },
      { token: tokens.bob },
    );
    expect(codesOf(response)).toEqual(["NOT_FOUND"]);
  });

  it("a decided task is CONFLICT for the next decision by whoever could decide it, FORBIDDEN for anyone else", async () => {
    const started = await aliceAsksBob("9", "twice");
    const task = started.pendingTasks[0]?.id;
    dataOf(
      await gql(
        server.url,
        DecideDocument,
        { input: { processId: started.id, taskId: task, decision: "APPROVE" } },
        { token: tokens.bob },
      ),
    );
    // Anyone who never held a task on it is told FORBIDDEN, as while it was open: nothing of
    // its state (decided or not) reaches an outsider.
    for (const [token, code] of [
      [tokens.bob, "CONFLICT"],
      [tokens.mallory, "FORBIDDEN"],
    ] as const) {
      for (const input of [{ processId: started.id, taskId: task }, { processId: started.id }]) {
        const again = await gql(server.url, DecideDocument, { input: { ...input, decision: "REJECT" as const } }, { token });
        expect(codesOf(again), `${code} ${JSON.stringify(input)}`).toEqual([code]);
      }
    }
  });
});

describe("authentication and visibility over WebSocket", () => {
  it("a connection without a valid token is closed with 4403", async () => {
    expect(await rawConnect(server.wsUrl, undefined)).toEqual({ ack: false, closeCode: 4403 });
    expect(await rawConnect(server.wsUrl, {})).toEqual({ ack: false, closeCode: 4403 });
    for (const [kind, token] of Object.entries(await badTokens())) {
      expect(await rawConnect(server.wsUrl, { authorization: `Bearer ${token}` }), kind).toEqual({ ack: false, closeCode: 4403 });
    }
    expect(await rawConnect(server.wsUrl, { authorization: `Bearer ${tokens.alice}` })).toEqual({ ack: true });
  });

  it("processUpdated is NOT_FOUND for outsiders and unknown ids, and works for participants and admins", async () => {
    for (const [who, id] of [
      ["mallory", processId],
      ["alice", "00000000-0000-4000-8000-000000000000"],
    ] as const) {
      const client = wsClient(server.wsUrl, tokens[who] as string);
      disposers.push(() => client.dispose());
      const sub = subscribe(client, ProcessEventsDocument, { id, after: 0 });
      const [result] = await sub.waitFor(1);
      expect(
        result?.errors?.map((e) => e.extensions?.code),
        who,
      ).toEqual(["NOT_FOUND"]);
    }
    for (const who of ["alice", "bob", "admin"]) {
      const client = wsClient(server.wsUrl, tokens[who] as string);
      disposers.push(() => client.dispose());
      const sub = subscribe(client, ProcessEventsDocument, { id: processId, after: 0 });
      disposers.push(sub.dispose);
      const results = await sub.waitFor(2);
      expect(
        results.map((r) => r.data?.processUpdated.type),
        who,
      ).toEqual(["STARTED", "TASK_CREATED"]);
    }
  });

  it("queries and mutations over WebSocket follow the same rules as over HTTP", async () => {
    const client = wsClient(server.wsUrl, tokens.mallory as string);
    disposers.push(() => client.dispose());
    const sub = subscribe(client, GetProcessDocument, { id: processId });
    const [result] = await sub.waitFor(1);
    expect(result?.errors?.map((e) => e.extensions?.code)).toEqual(["NOT_FOUND"]);
  });
});
