/**
 * Property-based fuzzing of every contract operation over HTTP: random and malformed variables
 * and documents. Each request must get a valid result or an error with one of the contract's
 * codes, never a 5xx or an INTERNAL_SERVER_ERROR, and the database must hold no partial state.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { print } from "graphql";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  DecideDocument,
  GetProcessDocument,
  MyPendingTasksDocument,
  StartProcessDocument,
  ViewerDocument,
} from "./generated/graphql.js";
import { dataOf, gql, tokenFor } from "./support/client.js";
import { reportReliability } from "./support/report.js";
import { startTestServer, type TestServer } from "./support/server.js";

const ALLOWED_CODES = new Set(["UNAUTHENTICATED", "FORBIDDEN", "NOT_FOUND", "BAD_USER_INPUT", "CONFLICT"]);
const RUNS_PER_OPERATION = 400;

let server: TestServer;
let tokens: string[];
let processIds: string[];
let taskIds: string[];
let requests = 0;
let results = 0;
let errors = 0;

beforeAll(async () => {
  server = await startTestServer({ env: { MAX_BODY_BYTES: "50000" } });
  const [alice, bob, carol, admin] = await Promise.all([
    tokenFor("alice"),
    tokenFor("bob", { groups: ["finance"] }),
    tokenFor("carol", { groups: ["finance"] }),
    tokenFor("root", { roles: ["admin"] }),
  ]);
  tokens = [alice, bob, carol, admin];
  processIds = [];
  taskIds = [];
  for (let i = 0; i < 3; i++) {
    const process = dataOf(
      await gql(
        server.url,
        StartProcessDocument,
        { input: { approver: "bob", amount: "10.00", description: `seed ${i}` } },
        { token: alice },
      ),
    ).startProcess.process;
    processIds.push(process.id);
    taskIds.push(process.pendingTasks[0]?.id as string);
  }
});

afterAll(() => server.close());

/** Any JSON value, biased towards the shapes and edge cases that break input handling. */
const jsonValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom(0, -1, 2 ** 31, -(2 ** 53), 1e21, 0.1, 1.005),
    fc.string(),
    fc.string({ unit: "grapheme", maxLength: 50 }),
    fc.constantFrom(
      "",
      " ",
      "0",
      "-0",
      "1e3",
      "12,50",
      "NaN",
      "Infinity",
      "0x10",
      "１２３",
      "\u0000",
      "'; drop table processes; --",
      "x".repeat(2_000),
    ),
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 10 }), tie("value"), { maxKeys: 4 }),
  ),
})).value;

/** Mostly plausible values (so that the business paths run too), sometimes anything at all. */
const mostly = <T>(plausible: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: plausible, weight: 4 }, { arbitrary: jsonValue, weight: 1 });
const amount = mostly(fc.constantFrom("1.00", "0.01", "999999999999999.99", "1250", "0", "-5", "1.001", "12.5"));
const currency = mostly(fc.constantFrom("USD", "EUR", "JPY", "KWD", "usd", "XXX", "ABCD", null));
const id = () => fc.oneof(fc.constantFrom(...processIds), fc.uuid(), jsonValue);
/** Text with a character that storage or encoding may choke on (NUL, a lone surrogate, bidi, controls). */
const awkwardText = fc
  .tuple(
    fc.string({ maxLength: 20 }),
    fc.constantFrom("\u0000", "\ud800", "\udfff", "\u202e", "\u0007", "\r\n"),
    fc.string({ maxLength: 20 }),
  )
  .map(([before, character, after]) => before + character + after);
const maybeMissing = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined, freq: 4 });

const startInput = () =>
  fc.record(
    {
      approver: mostly(fc.oneof(fc.constantFrom("bob", "carol", "alice", ""), awkwardText)),
      amount,
      currency: maybeMissing(currency),
      description: mostly(fc.oneof(fc.string({ minLength: 1, maxLength: 40 }), fc.string({ maxLength: 1_100 }), awkwardText)),
      idempotencyKey: maybeMissing(fc.oneof(fc.string({ maxLength: 210 }), awkwardText, jsonValue)),
    },
    { requiredKeys: ["approver", "amount", "description"] },
  );

const decideInput = () =>
  fc.record(
    {
      processId: id(),
      taskId: maybeMissing(fc.oneof(fc.constantFrom(...taskIdsOrEmpty()), fc.uuid(), jsonValue)),
      decision: mostly(fc.constantFrom("APPROVE", "REJECT", "MAYBE", "approve")),
      comment: maybeMissing(fc.oneof(fc.string({ maxLength: 2_100 }), awkwardText, jsonValue)),
      idempotencyKey: maybeMissing(fc.oneof(fc.string({ maxLength: 20 }), awkwardText, jsonValue)),
      expectedVersion: maybeMissing(fc.oneof(fc.integer({ min: -2, max: 10 }), jsonValue)),
    },
    { requiredKeys: ["processId", "decision"] },
  );

function taskIdsOrEmpty(): string[] {
  return taskIds;
}

const operations: Array<{ name: string; document: string; variables: () => fc.Arbitrary<unknown> }> = [
  {
    name: "StartProcess",
    document: print(StartProcessDocument),
    variables: () => mostly(fc.record({ input: startInput() })),
  },
  { name: "Decide", document: print(DecideDocument), variables: () => mostly(fc.record({ input: decideInput() })) },
  {
    name: "GetProcess",
    document: print(GetProcessDocument),
    variables: () => mostly(fc.record({ id: id() })),
  },
  {
    name: "MyPendingTasks",
    document: print(MyPendingTasksDocument),
    variables: () =>
      fc.oneof(
        fc.record(
          { first: maybeMissing(fc.oneof(fc.integer({ min: -5, max: 200 }), jsonValue)), after: maybeMissing(jsonValue) },
          { requiredKeys: [] },
        ),
        jsonValue,
      ),
  },
  { name: "Viewer", document: print(ViewerDocument), variables: () => jsonValue },
];

/** Sends one request and checks the answer's shape; returns a description of what is wrong, if anything. */
async function exchange(body: string, token: string | null): Promise<string | null> {
  requests++;
  const response = await fetch(server.url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });
  if (response.status >= 500) return `status ${response.status}`;
  const text = await response.text();
  let parsed: { data?: unknown; errors?: Array<{ message?: string; extensions?: { code?: string } }> };
  try {
    parsed = JSON.parse(text);
  } catch {
    return `not JSON: ${text.slice(0, 200)}`;
  }
  if (!parsed.errors?.length) {
    results++;
    return parsed.data ? null : `neither data nor errors: ${text.slice(0, 200)}`;
  }
  errors++;
  for (const error of parsed.errors) {
    const code = error.extensions?.code;
    if (!code || !ALLOWED_CODES.has(code)) return `code ${code}: ${error.message}`;
  }
  return null;
}

const token = () =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...tokensOrEmpty()), weight: 6 },
    { arbitrary: fc.constant(null), weight: 1 },
    { arbitrary: fc.string({ maxLength: 40 }), weight: 1 },
  );
function tokensOrEmpty(): string[] {
  return tokens;
}

it(`${RUNS_PER_OPERATION} random variable sets for each contract operation, plus mangled documents`, async () => {
  for (const operation of operations) {
    await fc.assert(
      fc.asyncProperty(operation.variables(), token(), async (variables, bearer) => {
        const problem = await exchange(JSON.stringify({ query: operation.document, variables }), bearer);
        expect(problem, `${operation.name} ${JSON.stringify(variables).slice(0, 300)}`).toBeNull();
      }),
      { numRuns: RUNS_PER_OPERATION, seed: 20_261_121 + operation.name.length },
    );
  }

  // Whole documents: the contract's operations cut, spliced and salted with junk.
  const contract = readContract();
  await fc.assert(
    fc.asyncProperty(
      fc.nat({ max: contract.length }),
      fc.nat({ max: 200 }),
      fc.oneof(
        fc.string({ maxLength: 30 }),
        fc.constantFrom("{", "}", "...", "$", "@include", "fragment", "query", "mutation", "\u0000"),
      ),
      fc.oneof(jsonValue, fc.record({ id: id(), input: fc.oneof(startInput(), decideInput()) })),
      token(),
      async (at, cut, junk, variables, bearer) => {
        const document = contract.slice(0, at) + junk + contract.slice(Math.min(contract.length, at + cut));
        const names = ["StartProcess", "Decide", "GetProcess", "MyPendingTasks", "Viewer", undefined];
        const operationName = names[at % names.length];
        const problem = await exchange(JSON.stringify({ query: document, variables, operationName }), bearer);
        expect(problem, document.slice(Math.max(0, at - 40), at + 40)).toBeNull();
      },
    ),
    { numRuns: 400, seed: 42 },
  );

  // Raw bodies that are not GraphQL requests at all.
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(
        fc.string({ maxLength: 300 }),
        jsonValue.map((value) => JSON.stringify(value)),
      ),
      async (body) => {
        expect(await exchange(body, tokens[0] ?? null)).toBeNull();
      },
    ),
    { numRuns: 200, seed: 7 },
  );

  // The server is still up and consistent.
  expect((await fetch(`${new URL(server.url).origin}/health`)).status).toBe(200);
  const checks = await server.sql.query(`
    select
      (select count(*) from processes where status = 'RUNNING')::int as running,
      (select count(*) from processes p where not exists (select 1 from process_events e where e.process_id = p.id))::int as without_events,
      (select count(*) from processes p where p.last_sequence <> (select count(*) from process_events e where e.process_id = p.id)
         or p.last_sequence <> coalesce((select max(sequence) from process_events e where e.process_id = p.id), 0))::int as sequence_gaps,
      (select count(*) from processes p where p.status = 'PENDING_REVIEW'
         and not exists (select 1 from tasks t where t.process_id = p.id and t.status = 'OPEN'))::int as pending_without_task,
      (select count(*) from decisions d join tasks t on t.id = d.task_id where t.status <> 'COMPLETED')::int as decided_but_open,
      (select count(*) from processes)::int as processes`);
  const state = checks.rows[0];
  expect(state).toMatchObject({ running: 0, without_events: 0, sequence_gaps: 0, pending_without_task: 0, decided_but_open: 0 });
  reportReliability({
    case: "input fuzzing (fast-check)",
    did: `${requests} requests: ${RUNS_PER_OPERATION} random variable sets per contract operation, 400 mangled documents, 200 raw bodies`,
    checked: "HTTP status, error codes, then the database's invariants",
    result: `0 × 5xx, 0 × INTERNAL_SERVER_ERROR (${results} results, ${errors} coded errors); ${state.processes} processes, none partial`,
  });
});

function readContract(): string {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  try {
    return readFileSync(path.resolve(root, "../shared/contract/operations.graphql"), "utf8");
  } catch {
    return [StartProcessDocument, DecideDocument, GetProcessDocument, MyPendingTasksDocument, ViewerDocument]
      .map((d) => print(d))
      .join("\n");
  }
}
