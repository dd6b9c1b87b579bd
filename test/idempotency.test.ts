import { afterAll, beforeAll, expect, it } from "vitest";
import { DecideMinimalDocument, StartMinimalDocument } from "./generated/graphql.js";
import { codesOf, dataOf, gql, tokenFor, until } from "./support/client.js";
import { startTestServer, type TestServer } from "./support/server.js";

let server: TestServer;
let alice: string;
let bob: string;

beforeAll(async () => {
  server = await startTestServer({ env: { RECOVERY_INTERVAL_MS: "200" } });
  [alice, bob] = await Promise.all([tokenFor("alice"), tokenFor("bob")]);
});

afterAll(() => server.close());

const input = { approver: "bob", amount: "64.00", description: "Retried request" };
const count = async (sql: string, params: unknown[]) => (await server.sql.query(sql, params)).rows[0].n as number;

it("startProcess retried with one key, in sequence and at once, creates one process", async () => {
  const first = dataOf(
    await gql(server.url, StartMinimalDocument, { input: { ...input, idempotencyKey: "seq" } }, { token: alice }),
  );
  for (let i = 0; i < 5; i++) {
    const again = dataOf(
      await gql(server.url, StartMinimalDocument, { input: { ...input, idempotencyKey: "seq" } }, { token: alice }),
    );
    expect(again.startProcess.process).toEqual(first.startProcess.process);
  }
  const burst = await Promise.all(
    Array.from({ length: 10 }, () =>
      gql(server.url, StartMinimalDocument, { input: { ...input, idempotencyKey: "burst" } }, { token: alice }),
    ),
  );
  const ids = new Set(burst.map((response) => dataOf(response).startProcess.process.id));
  expect(ids.size).toBe(1);
  for (const response of burst) expect(dataOf(response).startProcess.process.status).toBe("PENDING_REVIEW");
  expect(await count("select count(*)::int as n from processes where description = $1", [input.description])).toBe(2);
});

it("keys are the caller's own: the same key from another user starts another process", async () => {
  const erin = await tokenFor("erin");
  const a = dataOf(
    await gql(server.url, StartMinimalDocument, { input: { ...input, idempotencyKey: "shared" } }, { token: alice }),
  );
  const e = dataOf(
    await gql(server.url, StartMinimalDocument, { input: { ...input, idempotencyKey: "shared" } }, { token: erin }),
  );
  expect(a.startProcess.process.id).not.toBe(e.startProcess.process.id);
});

it("decide retried with its key returns the first result instead of CONFLICT, and decides once", async () => {
  const started = dataOf(await gql(server.url, StartMinimalDocument, { input }, { token: alice })).startProcess.process;
  const decision = { processId: started.id, decision: "APPROVE" as const, comment: "ok", idempotencyKey: "decide-1" };
  const first = dataOf(await gql(server.url, DecideMinimalDocument, { input: decision }, { token: bob }));
  const retry = dataOf(await gql(server.url, DecideMinimalDocument, { input: decision }, { token: bob }));
  expect(retry.decide.process).toEqual(first.decide.process);
  expect(first.decide.process.status).toBe("APPROVED");
  expect(await count("select count(*)::int as n from decisions where process_id = $1", [started.id])).toBe(1);

  const changed = await gql(server.url, DecideMinimalDocument, { input: { ...decision, decision: "REJECT" } }, { token: bob });
  expect(codesOf(changed)).toEqual(["BAD_USER_INPUT"]);
  expect(changed.errors?.[0]?.extensions?.field).toBe("idempotencyKey");
  // Without a key, the same request is a second decision and conflicts.
  const { idempotencyKey: _, ...withoutKey } = decision;
  expect(codesOf(await gql(server.url, DecideMinimalDocument, { input: withoutKey }, { token: bob }))).toEqual(["CONFLICT"]);
});

it("decide sent many times at once with one key: every copy answers the one decision, none CONFLICT", async () => {
  for (const [round, expectedVersion] of [
    [1, undefined],
    [2, 2],
  ] as const) {
    const started = dataOf(await gql(server.url, StartMinimalDocument, { input }, { token: alice })).startProcess.process;
    const decision = {
      processId: started.id,
      decision: "APPROVE" as const,
      idempotencyKey: `burst-${round}`,
      ...(expectedVersion === undefined ? {} : { expectedVersion }),
    };
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => gql(server.url, DecideMinimalDocument, { input: decision }, { token: bob })),
    );
    expect(answers.flatMap(codesOf)).toEqual([]);
    expect(new Set(answers.map((answer) => answer.data?.decide.process.status))).toEqual(new Set(["APPROVED"]));
    expect(await count("select count(*)::int as n from decisions where process_id = $1", [started.id])).toBe(1);
  }
});

it("keys are kept for at least 24 hours and forgotten after their time-to-live", async () => {
  const young = dataOf(
    await gql(server.url, StartMinimalDocument, { input: { ...input, idempotencyKey: "young" } }, { token: alice }),
  );
  dataOf(await gql(server.url, StartMinimalDocument, { input: { ...input, idempotencyKey: "old" } }, { token: alice }));
  // Aged by hand: 23 hours is kept, 49 hours (past the 48-hour default) is forgotten.
  await server.sql.query("update idempotency_keys set created_at = now() - interval '23 hours' where key = 'young'");
  await server.sql.query("update idempotency_keys set created_at = now() - interval '49 hours' where key = 'old'");
  // Once the maintenance pass has forgotten the old key, the young one must still be there.
  await until(async () => (await count("select count(*)::int as n from idempotency_keys where key = 'old'", [])) === 0);
  expect(await count("select count(*)::int as n from idempotency_keys where key = 'young'", [])).toBe(1);
  const replay = dataOf(
    await gql(server.url, StartMinimalDocument, { input: { ...input, idempotencyKey: "young" } }, { token: alice }),
  );
  expect(replay.startProcess.process.id).toBe(young.startProcess.process.id);
});
