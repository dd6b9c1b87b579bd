/**
 * Every operation × every kind of caller, with the exact outcome expected: a table, run over
 * HTTP, and for processUpdated over WebSocket.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { mintToken } from "../src/auth.js";
import { codesOf, dataOf, gql, subscribe, tokenFor, wsClient } from "./support/client.js";
import { reportReliability } from "./support/report.js";
import { startTestServer, TEST_SECRET, type TestServer } from "./support/server.js";

type Role =
  | "initiator"
  | "assignee"
  | "groupMember"
  | "otherUser"
  | "admin"
  | "anonymous"
  | "expired"
  | "otherSecret"
  | "algNone";
type Operation = "viewer" | "process" | "processes" | "pendingTasks" | "startProcess" | "decide" | "retryProcess";
type Outcome = "OK" | "UNAUTHENTICATED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT";

const ROLES: Role[] = [
  "initiator",
  "assignee",
  "groupMember",
  "otherUser",
  "admin",
  "anonymous",
  "expired",
  "otherSecret",
  "algNone",
];
const UNAUTHENTICATED_ROLES: Role[] = ["anonymous", "expired", "otherSecret", "algNone"];

/** The expected outcome of each operation for each authenticated role (the rest: UNAUTHENTICATED). */
const EXPECTED: Record<Operation, Partial<Record<Role, Outcome>>> = {
  viewer: { initiator: "OK", assignee: "OK", groupMember: "OK", otherUser: "OK", admin: "OK" },
  process: { initiator: "OK", assignee: "OK", groupMember: "OK", otherUser: "NOT_FOUND", admin: "OK" },
  processes: { initiator: "OK", assignee: "OK", groupMember: "OK", otherUser: "OK", admin: "OK" },
  pendingTasks: { initiator: "OK", assignee: "OK", groupMember: "OK", otherUser: "OK", admin: "OK" },
  startProcess: { initiator: "OK", assignee: "OK", groupMember: "OK", otherUser: "OK", admin: "OK" },
  decide: { initiator: "FORBIDDEN", assignee: "OK", groupMember: "OK", otherUser: "FORBIDDEN", admin: "FORBIDDEN" },
  retryProcess: {
    initiator: "FORBIDDEN",
    assignee: "FORBIDDEN",
    groupMember: "FORBIDDEN",
    otherUser: "FORBIDDEN",
    admin: "CONFLICT",
  },
};

const expected = (operation: Operation, role: Role): Outcome =>
  UNAUTHENTICATED_ROLES.includes(role) ? "UNAUTHENTICATED" : (EXPECTED[operation][role] as Outcome);

let server: TestServer;
const tokens = {} as Record<Role, string | null>;
const disposers: Array<() => unknown> = [];

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");

beforeAll(async () => {
  server = await startTestServer();
  const now = Math.floor(Date.now() / 1000);
  tokens.initiator = await tokenFor("alice");
  tokens.assignee = await tokenFor("bob");
  tokens.groupMember = await tokenFor("carol", { groups: ["finance"] });
  tokens.otherUser = await tokenFor("mallory", { groups: ["sales"] });
  tokens.admin = await tokenFor("root", { roles: ["admin"] });
  tokens.anonymous = null;
  tokens.expired = await mintToken(TEST_SECRET, { sub: "alice" }, "-5m");
  tokens.otherSecret = await mintToken("another-secret-entirely-0123456789abcdef", { sub: "alice", roles: ["admin"] });
  tokens.algNone = `${base64url({ alg: "none", typ: "JWT" })}.${base64url({ sub: "root", roles: ["admin"], iat: now, exp: now + 600 })}.`;
});

afterAll(async () => {
  for (const dispose of disposers.splice(0)) await dispose();
  await server.close();
});

/** A process of alice's, reviewed by bob, whose task is also offered to the finance group. */
async function sharedProcess(): Promise<{ id: string; taskId: string }> {
  const started = dataOf(
    await gql<{ startProcess: { process: { id: string; pendingTasks: Array<{ id: string }> } } }, unknown>(
      server.url,
      'mutation { startProcess(input: { approver: "bob", amount: "3.00", description: "matrix" }) { process { id pendingTasks { id } } } }',
      undefined,
      { token: tokens.initiator },
    ),
  ).startProcess.process;
  await server.sql.query("update tasks set candidate_groups = '{finance}' where process_id = $1", [started.id]);
  return { id: started.id, taskId: started.pendingTasks[0]?.id as string };
}

async function run(operation: Operation, role: Role): Promise<Outcome | string> {
  const token = tokens[role];
  const target = await sharedProcess();
  const documents: Record<Operation, [string, Record<string, unknown>]> = {
    viewer: ["{ viewer { id } }", {}],
    process: ["query($id: ID!) { process(id: $id) { id } }", { id: target.id }],
    processes: ["{ processes { totalCount } }", {}],
    pendingTasks: ["{ pendingTasks { totalCount } }", {}],
    startProcess: [
      'mutation { startProcess(input: { approver: "dave", amount: "1.00", description: "matrix start" }) { process { id } } }',
      {},
    ],
    decide: [
      "mutation($input: DecideInput!) { decide(input: $input) { process { status } } }",
      { input: { processId: target.id, taskId: target.taskId, decision: "APPROVE" } },
    ],
    retryProcess: ["mutation($id: ID!) { retryProcess(id: $id) { process { id } } }", { id: target.id }],
  };
  const [document, variables] = documents[operation];
  const response = await gql<Record<string, unknown>, Record<string, unknown>>(server.url, document, variables, { token });
  if (!response.errors?.length) return "OK";
  return codesOf(response).join(",");
}

describe("over HTTP", () => {
  const cases = (Object.keys(EXPECTED) as Operation[]).flatMap((operation) => ROLES.map((role) => [operation, role] as const));
  it.each(cases)("%s as %s", async (operation, role) => {
    expect(await run(operation, role)).toBe(expected(operation, role));
  });

  it("covers every operation for every role", () => {
    expect(cases).toHaveLength(7 * 9);
    reportReliability({
      case: "authorization matrix",
      did: `${cases.length} HTTP cases (7 operations × 9 callers) + 9 WebSocket cases for processUpdated`,
      checked: "the exact outcome of each case against a table",
      result:
        "all as tabled: UNAUTHENTICATED for no/expired/foreign/alg-none tokens, NOT_FOUND for outsiders' reads, FORBIDDEN for decisions that are not the caller's",
    });
  });
});

describe("processUpdated over WebSocket", () => {
  const wsExpected: Record<Role, Outcome | "CLOSED_4403"> = {
    initiator: "OK",
    assignee: "OK",
    groupMember: "OK",
    otherUser: "NOT_FOUND",
    admin: "OK",
    anonymous: "CLOSED_4403",
    expired: "CLOSED_4403",
    otherSecret: "CLOSED_4403",
    algNone: "CLOSED_4403",
  };

  it.each(ROLES)("as %s", async (role) => {
    const target = await sharedProcess();
    const token = tokens[role];
    if (wsExpected[role] === "CLOSED_4403") {
      const code = await new Promise<number>((resolve) => {
        const socket = new WebSocket(server.wsUrl, "graphql-transport-ws");
        socket.once("open", () =>
          socket.send(JSON.stringify({ type: "connection_init", payload: token ? { authorization: `Bearer ${token}` } : {} })),
        );
        socket.once("close", (closeCode) => resolve(closeCode));
      });
      expect(code).toBe(4403);
      return;
    }
    const client = wsClient(server.wsUrl, token);
    disposers.push(() => client.dispose());
    const sub = subscribe<{ processUpdated: { sequence: number } }, { id: string }>(
      client,
      "subscription($id: ID!) { processUpdated(id: $id, after: 0) { sequence } }",
      { id: target.id },
    );
    disposers.push(sub.dispose);
    const [first] = await sub.waitFor(1);
    const outcome = first?.errors?.length ? first.errors.map((e) => e.extensions?.code).join(",") : "OK";
    expect(outcome).toBe(wsExpected[role]);
    if (outcome === "OK") expect(first?.data?.processUpdated.sequence).toBe(1);
  });
});
