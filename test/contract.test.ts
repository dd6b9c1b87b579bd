/**
 * Serves ../shared/contract exactly: every operation there validates against schema.graphql, the
 * minimum schema has no breaking change against ours, and each operation runs against a real
 * server over HTTP and over WebSocket.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildSchema, findBreakingChanges, type OperationDefinitionNode, parse, validate } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dataOf, gql, subscribe, tokenFor, until, wsClient } from "./support/client.js";
import { startTestServer, type TestServer } from "./support/server.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const contractDir = path.resolve(root, "../shared/contract");
const hasContract = existsSync(contractDir);
const ourSchema = buildSchema(readFileSync(path.join(root, "schema.graphql"), "utf8"));

const documentFiles = hasContract
  ? readdirSync(contractDir)
      .filter((file) => file.endsWith(".graphql") && file !== "minimum-schema.graphql")
      .map((file) => path.join(contractDir, file))
  : [];
const contractText = documentFiles.map((file) => readFileSync(file, "utf8")).join("\n");
const operations = hasContract
  ? parse(contractText).definitions.filter((d): d is OperationDefinitionNode => d.kind === "OperationDefinition")
  : [];

describe.skipIf(!hasContract)("contract documents (../shared/contract)", () => {
  it("has operations to check", () => {
    expect(operations.map((op) => op.name?.value)).toEqual(
      expect.arrayContaining(["StartProcess", "Decide", "GetProcess", "MyPendingTasks", "Viewer", "ProcessUpdated"]),
    );
  });

  it("every document validates against schema.graphql", () => {
    expect(validate(ourSchema, parse(contractText)).map((error) => error.message)).toEqual([]);
  });

  it("minimum-schema.graphql has no breaking change against schema.graphql", () => {
    const minimumFile = path.join(contractDir, "minimum-schema.graphql");
    if (!existsSync(minimumFile)) return;
    const minimum = buildSchema(readFileSync(minimumFile, "utf8"));
    expect(findBreakingChanges(minimum, ourSchema).map((change) => `${change.type}: ${change.description}`)).toEqual([]);
  });
});

if (!hasContract) {
  it("contract folder is absent", () => {
    console.warn(`skipping contract checks: ${contractDir} does not exist`);
  });
}

describe.skipIf(!hasContract)("contract operations against a running server", () => {
  let server: TestServer;
  let alice: string;
  let bob: string;
  const disposers: Array<() => unknown> = [];

  beforeAll(async () => {
    server = await startTestServer();
    [alice, bob] = await Promise.all([tokenFor("alice"), tokenFor("bob", { groups: ["finance"] })]);
  });

  afterAll(async () => {
    for (const dispose of disposers.splice(0)) await dispose();
    await server?.close();
  });

  type ContractProcess = {
    id: string;
    status: string;
    initiator: string;
    approver: string;
    amount: string;
    currency: string;
    version: number;
    pendingTasks: Array<{ id: string; kind: string; status: string; assignee: string; processId: string }>;
    decisions: Array<{ taskId: string; decision: string; decidedBy: string; comment: string | null }>;
  };

  const run = <T>(operationName: string, variables: Record<string, unknown>, token: string) =>
    gql<T, Record<string, unknown>>(server.url, contractText, variables, { token, operationName });

  it("Viewer, StartProcess, MyPendingTasks, ProcessUpdated, Decide and GetProcess, over HTTP and WebSocket", async () => {
    expect(dataOf(await run<{ viewer: unknown }>("Viewer", {}, bob)).viewer).toEqual({ id: "bob", roles: [] });

    const start = await run<{ startProcess: { process: ContractProcess } }>(
      "StartProcess",
      { input: { approver: "bob", amount: "1250.00", description: "Contract run", idempotencyKey: "contract-1" } },
      alice,
    );
    const process = dataOf(start).startProcess.process;
    expect(process).toMatchObject({
      status: "PENDING_REVIEW",
      initiator: "alice",
      approver: "bob",
      amount: "1250.00",
      currency: "USD",
    });
    expect(process.pendingTasks).toEqual([
      expect.objectContaining({ kind: "REVIEW", status: "OPEN", assignee: "bob", processId: process.id }),
    ]);

    const inbox = dataOf(
      await run<{ pendingTasks: { totalCount: number; edges: Array<{ node: { id: string; process: { id: string } } }> } }>(
        "MyPendingTasks",
        { first: 10 },
        bob,
      ),
    ).pendingTasks;
    expect(inbox.totalCount).toBe(1);
    expect(inbox.edges[0]?.node).toMatchObject({ id: process.pendingTasks[0]?.id, process: { id: process.id } });

    const client = wsClient(server.wsUrl, alice);
    disposers.push(() => client.dispose());
    const sub = subscribe<
      { processUpdated: { sequence: number; type: string; task: { id: string } | null } },
      Record<string, unknown>
    >(client, contractText, { id: process.id }, "ProcessUpdated");
    disposers.push(sub.dispose);

    // The same contract query over WebSocket (urql and Apollo may send every operation there).
    const bobsClient = wsClient(server.wsUrl, bob);
    disposers.push(() => bobsClient.dispose());
    const overWs = subscribe<{ viewer: { id: string } }, Record<string, unknown>>(bobsClient, contractText, {}, "Viewer");
    expect((await overWs.waitFor(1))[0]?.data?.viewer).toEqual({ id: "bob", roles: [] });
    await until(() => server.app.liveSubscribers(process.id) === 1);

    const decide = await run<{ decide: { process: ContractProcess } }>(
      "Decide",
      {
        input: {
          processId: process.id,
          taskId: process.pendingTasks[0]?.id,
          decision: "APPROVE",
          comment: "ok",
          idempotencyKey: "d-1",
        },
      },
      bob,
    );
    const decided = dataOf(decide).decide.process;
    expect(decided.status).toBe("APPROVED");
    expect(decided.decisions).toEqual([expect.objectContaining({ decision: "APPROVE", decidedBy: "bob", comment: "ok" })]);

    const events = (await sub.waitFor(2)).map((result) => result.data?.processUpdated);
    expect(events.map((event) => `${event?.sequence}:${event?.type}`)).toEqual(["3:DECIDED", "4:COMPLETED"]);

    const got = dataOf(
      await run<{ process: ContractProcess & { state: unknown; history: Array<{ step: number }> } }>(
        "GetProcess",
        { id: process.id },
        alice,
      ),
    ).process;
    expect(got.status).toBe("APPROVED");
    expect(got.history.length).toBeGreaterThanOrEqual(2);
    expect(got.state).toMatchObject({ outcome: "APPROVED" });
  });
});
