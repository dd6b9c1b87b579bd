import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DecideDocument,
  MyPendingTasksDocument,
  ProcessDetailsDocument,
  ProcessesPageDocument,
  StartMinimalDocument,
  StartProcessDocument,
} from "./generated/graphql.js";
import { codesOf, dataOf, gql, tokenFor } from "./support/client.js";
import { startTestServer, type TestServer } from "./support/server.js";

let server: TestServer;
let alice: string;
let bob: string;

beforeAll(async () => {
  server = await startTestServer();
  [alice, bob] = await Promise.all([tokenFor("alice"), tokenFor("bob")]);
});

afterAll(() => server.close());

const valid: { approver: string; amount: string; currency: string; description: string; idempotencyKey?: string } = {
  approver: "bob",
  amount: "100.00",
  currency: "USD",
  description: "Train tickets",
};

async function rowCounts() {
  const { rows } = await server.sql.query(
    "select (select count(*) from processes)::int as processes, (select count(*) from tasks)::int as tasks, (select count(*) from process_events)::int as events, (select count(*) from decisions)::int as decisions",
  );
  return rows[0];
}

describe("startProcess rejects bad input with BAD_USER_INPUT naming the field, and creates nothing", () => {
  const cases: Array<[string, Partial<typeof valid>, string]> = [
    ["zero amount", { amount: "0" }, "amount"],
    ["zero amount with decimals", { amount: "0.00" }, "amount"],
    ["negative amount", { amount: "-5.00" }, "amount"],
    ["over-precise USD amount", { amount: "10.001" }, "amount"],
    ["over-precise JPY amount", { amount: "10.5", currency: "JPY" }, "amount"],
    ["over-precise KWD amount", { amount: "1.0001", currency: "KWD" }, "amount"],
    ["too large an amount", { amount: "1234567890123456.00" }, "amount"],
    ["amount that is not a number", { amount: "12,50" }, "amount"],
    ["amount in exponent notation", { amount: "1e3" }, "amount"],
    ["empty description", { description: "" }, "description"],
    ["blank description", { description: "   " }, "description"],
    ["over-long description", { description: "x".repeat(1001) }, "description"],
    ["over-long description in emoji", { description: "🧾".repeat(1001) }, "description"],
    ["unknown currency code", { currency: "ABC" }, "currency"],
    ["malformed currency code", { currency: "US" }, "currency"],
    ["approver equal to initiator", { approver: "alice" }, "approver"],
    ["empty approver", { approver: "" }, "approver"],
    // No token could name such a user: the task could never be decided.
    ["control character in the approver", { approver: "bob\u0001" }, "approver"],
    ["over-long approver", { approver: "b".repeat(201) }, "approver"],
    // PostgreSQL's text cannot store NUL: refused as input, not failing in the database.
    ["NUL in the description", { description: "Train\u0000tickets" }, "description"],
    ["NUL in the approver", { approver: "bob\u0000" }, "approver"],
    ["NUL in the idempotency key", { idempotencyKey: "k\u0000" }, "idempotencyKey"],
    // A lone surrogate would reach the graph's jsonb checkpoint, which PostgreSQL refuses.
    ["lone surrogate in the approver", { approver: "\udfff" }, "approver"],
    ["lone surrogate in the description", { description: "Train \ud800tickets" }, "description"],
  ];

  for (const [name, change, field] of cases) {
    it(name, async () => {
      const before = await rowCounts();
      const response = await gql(server.url, StartProcessDocument, { input: { ...valid, ...change } }, { token: alice });
      expect(codesOf(response)).toEqual(["BAD_USER_INPUT"]);
      expect(response.errors?.[0]?.extensions?.field).toBe(field);
      expect(response.errors?.[0]?.message).not.toMatch(/postgres|sql|stack|node_modules/i);
      expect(await rowCounts()).toEqual(before);
    });
  }

  it("an amount sent as a JSON float is refused; money is never a float", async () => {
    const response = await gql(
      server.url,
      StartProcessDocument,
      { input: { ...valid, amount: 12.5 as unknown as string } },
      { token: alice },
    );
    expect(codesOf(response)).toEqual(["BAD_USER_INPUT"]);
    expect(response.errors?.[0]?.extensions?.field).toBe("amount");
  });

  it("idempotencyKey reused with a different input is refused", async () => {
    const first = dataOf(
      await gql(server.url, StartMinimalDocument, { input: { ...valid, idempotencyKey: "k-1" } }, { token: alice }),
    );
    const replay = dataOf(
      await gql(server.url, StartMinimalDocument, { input: { ...valid, idempotencyKey: "k-1" } }, { token: alice }),
    );
    expect(replay.startProcess.process.id).toBe(first.startProcess.process.id);
    const before = await rowCounts();
    const changed = await gql(
      server.url,
      StartMinimalDocument,
      { input: { ...valid, amount: "101.00", idempotencyKey: "k-1" } },
      { token: alice },
    );
    expect(codesOf(changed)).toEqual(["BAD_USER_INPUT"]);
    expect(changed.errors?.[0]?.extensions?.field).toBe("idempotencyKey");
    expect(await rowCounts()).toEqual(before);
  });
});

describe("accepted input is normalised", () => {
  it("amounts get the currency's minor units; currency defaults to USD and is upper-cased", async () => {
    const cases: Array<[Partial<typeof valid> & { currency?: string }, string, string]> = [
      [{ amount: "1250", currency: undefined }, "1250.00", "USD"],
      [{ amount: "0012.5", currency: "eur" }, "12.50", "EUR"],
      [{ amount: "1000", currency: "JPY" }, "1000", "JPY"],
      [{ amount: "1.250", currency: "KWD" }, "1.250", "KWD"],
      [{ amount: "99999999999999.99" }, "99999999999999.99", "USD"],
      // ISO 4217, not the locale data's display digits: HUF has 2 minor units, IQD 3.
      [{ amount: "1250.50", currency: "HUF" }, "1250.50", "HUF"],
      [{ amount: "1.250", currency: "IQD" }, "1.250", "IQD"],
      // ISO 4217 codes with 4 minor units, whether or not Node's ICU lists them.
      [{ amount: "1.2345", currency: "CLF" }, "1.2345", "CLF"],
      [{ amount: "1.5", currency: "UYW" }, "1.5000", "UYW"],
    ];
    for (const [change, amount, currency] of cases) {
      const input = { ...valid, ...change };
      if (change.currency === undefined) delete (input as { currency?: string }).currency;
      const process = dataOf(await gql(server.url, StartMinimalDocument, { input }, { token: alice })).startProcess.process;
      expect({ amount: process.amount, currency: process.currency }).toEqual({ amount, currency });
    }
  });
});

describe("text is measured in characters", () => {
  it("a description of 1,000 emoji is accepted (2,000 UTF-16 units, 1,000 characters)", async () => {
    const description = "🧾".repeat(1_000);
    const process = dataOf(await gql(server.url, StartMinimalDocument, { input: { ...valid, description } }, { token: alice }))
      .startProcess.process;
    expect(process.status).toBe("PENDING_REVIEW");
  });
});

describe("decide and lists reject bad input", () => {
  it("an over-long comment is BAD_USER_INPUT and the task stays open", async () => {
    const started = dataOf(await gql(server.url, StartMinimalDocument, { input: valid }, { token: alice })).startProcess.process;
    const response = await gql(
      server.url,
      DecideDocument,
      { input: { processId: started.id, decision: "APPROVE", comment: "x".repeat(2001) } },
      { token: bob },
    );
    expect(codesOf(response)).toEqual(["BAD_USER_INPUT"]);
    expect(response.errors?.[0]?.extensions?.field).toBe("comment");
    const details = dataOf(await gql(server.url, ProcessDetailsDocument, { id: started.id }, { token: bob })).process;
    expect(details?.status).toBe("PENDING_REVIEW");
    expect(details?.decisions).toEqual([]);
  });

  it("a comment with a NUL character is BAD_USER_INPUT and the task stays open", async () => {
    const started = dataOf(await gql(server.url, StartMinimalDocument, { input: valid }, { token: alice })).startProcess.process;
    const response = await gql(
      server.url,
      DecideDocument,
      { input: { processId: started.id, decision: "APPROVE", comment: "fine\u0000" } },
      { token: bob },
    );
    expect(codesOf(response)).toEqual(["BAD_USER_INPUT"]);
    expect(response.errors?.[0]?.extensions?.field).toBe("comment");
    const details = dataOf(await gql(server.url, ProcessDetailsDocument, { id: started.id }, { token: bob })).process;
    expect(details?.status).toBe("PENDING_REVIEW");
  });

  it("an unknown decision value is BAD_USER_INPUT", async () => {
    const started = dataOf(await gql(server.url, StartMinimalDocument, { input: valid }, { token: alice })).startProcess.process;
    const response = await gql(
      server.url,
      DecideDocument,
      { input: { processId: started.id, decision: "MAYBE" as "APPROVE" } },
      { token: bob },
    );
    expect(codesOf(response)).toEqual(["BAD_USER_INPUT"]);
    expect(response.errors?.[0]?.extensions?.field).toBe("decision");
  });

  it("a missing required input is BAD_USER_INPUT naming it", async () => {
    const response = await gql(
      server.url,
      StartProcessDocument,
      { input: { approver: "bob", amount: "1" } as typeof valid },
      { token: alice },
    );
    expect(codesOf(response)).toEqual(["BAD_USER_INPUT"]);
    expect(response.errors?.[0]?.extensions?.field).toBe("description");
  });

  it("values written in the document are named like variables are", async () => {
    const cases: Array<[string, string]> = [
      ['mutation { startProcess(input: { approver: "bob", amount: "abc", description: "x" }) { process { id } } }', "amount"],
      ['mutation { startProcess(input: { approver: "bob", amount: 12.5, description: "x" }) { process { id } } }', "amount"],
      ['mutation { startProcess(input: { approver: "bob", amount: "1" }) { process { id } } }', "description"],
      ['mutation { decide(input: { processId: "x", decision: MAYBE }) { process { id } } }', "decision"],
    ];
    for (const [document, field] of cases) {
      const response = await gql(server.url, document, undefined, { token: alice });
      expect(codesOf(response), document).toEqual(["BAD_USER_INPUT"]);
      expect(response.errors?.[0]?.extensions?.field, document).toBe(field);
    }
  });

  it("page sizes and cursors are checked", async () => {
    const tooMany = await gql(server.url, MyPendingTasksDocument, { first: 1000 }, { token: bob });
    expect(codesOf(tooMany)).toEqual(["BAD_USER_INPUT"]);
    expect(tooMany.errors?.[0]?.extensions?.field).toBe("first");
    const uuid = "00000000-0000-4000-8000-000000000000";
    const handMade = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const badCursors = [
      "bm90LWEtY3Vyc29y",
      // A bare number is a valid JS Date (the year 12345) that PostgreSQL cannot read.
      handMade([12345, uuid]),
      handMade(["2026-02-31T00:00:00.000Z", uuid]),
      handMade(["0000-01-01T00:00:00.000Z", uuid]),
      handMade(["2026-01-01", uuid]),
      handMade(["2026-01-01T00:00:00.000Z", uuid, "extra"]),
      handMade(["2026-01-01T00:00:00.000Z", "not-a-uuid"]),
      handMade({ createdAt: "2026-01-01T00:00:00.000Z", id: uuid }),
    ];
    for (const after of badCursors) {
      const badCursor = await gql(server.url, ProcessesPageDocument, { after }, { token: bob });
      expect(codesOf(badCursor), after).toEqual(["BAD_USER_INPUT"]);
      expect(badCursor.errors?.[0]?.extensions?.field).toBe("after");
    }
    // What the API hands out is accepted.
    const wellMade = await gql(
      server.url,
      ProcessesPageDocument,
      { after: handMade(["2026-01-01T00:00:00.000Z", uuid]) },
      { token: bob },
    );
    expect(wellMade.errors).toBeUndefined();
    // history(first) is checked the same way, not silently clamped.
    const started = dataOf(await gql(server.url, StartMinimalDocument, { input: valid }, { token: alice })).startProcess.process;
    for (const historyFirst of [-1, 101]) {
      const history = await gql(server.url, ProcessDetailsDocument, { id: started.id, historyFirst }, { token: alice });
      expect(codesOf(history), String(historyFirst)).toEqual(["BAD_USER_INPUT"]);
      expect(history.errors?.[0]?.extensions?.field).toBe("first");
    }
  });

  it("variables or extensions that are not JSON, in a query string or a form body, are BAD_USER_INPUT naming them", async () => {
    const cases: Array<{ field: string; request: () => Promise<Response> }> = [];
    for (const field of ["variables", "extensions"]) {
      const params = new URLSearchParams({ query: "{ viewer { id } }", [field]: "notjson" });
      const headers = { authorization: `Bearer ${bob}` };
      cases.push({ field, request: () => fetch(`${server.url}?${params}`, { headers }) });
      cases.push({
        field,
        request: () =>
          fetch(server.url, {
            method: "POST",
            headers: { ...headers, "content-type": "application/x-www-form-urlencoded" },
            body: params.toString(),
          }),
      });
    }
    for (const { field, request } of cases) {
      const response = await request();
      expect(response.status, field).toBe(400);
      expect(await response.json(), field).toMatchObject({ errors: [{ extensions: { code: "BAD_USER_INPUT", field } }] });
    }
    // A body of a type GraphQL over HTTP does not define is refused with a code too.
    const plain = await fetch(server.url, {
      method: "POST",
      headers: { authorization: `Bearer ${bob}`, "content-type": "text/plain" },
      body: JSON.stringify({ query: "{ viewer { id } }" }),
    });
    expect(plain.status).toBe(415);
    expect(await plain.json()).toMatchObject({ errors: [{ extensions: { code: "BAD_USER_INPUT", field: "body" } }] });
    // Other methods are 405 with Allow, whatever their body; a GET with a form Content-Type
    // header is still read from its query string.
    for (const method of ["PUT", "DELETE", "PATCH"]) {
      const other = await fetch(server.url, {
        method,
        headers: { authorization: `Bearer ${bob}`, "content-type": "application/json" },
        body: JSON.stringify({ query: "{ viewer { id } }" }),
      });
      expect(other.status, method).toBe(405);
      expect(other.headers.get("allow"), method).toBe("GET, POST");
    }
    const formHeaderGet = await fetch(`${server.url}?${new URLSearchParams({ query: "{ viewer { id } }" })}`, {
      headers: { authorization: `Bearer ${bob}`, "content-type": "application/x-www-form-urlencoded" },
    });
    expect(await formHeaderGet.json()).toEqual({ data: { viewer: { id: "bob" } } });
    // Well-formed ones still work.
    const fine = await fetch(`${server.url}?${new URLSearchParams({ query: "{ viewer { id } }", variables: "{}" })}`, {
      headers: { authorization: `Bearer ${bob}` },
    });
    expect(await fine.json()).toEqual({ data: { viewer: { id: "bob" } } });
    const fineForm = await fetch(server.url, {
      method: "POST",
      headers: { authorization: `Bearer ${bob}`, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        query: "query($n: Int) { pendingTasks(first: $n) { totalCount } }",
        variables: '{"n":1}',
      }).toString(),
    });
    expect(await fineForm.json()).toEqual({ data: { pendingTasks: { totalCount: expect.any(Number) } } });
  });

  it("a document that does not parse or validate is BAD_USER_INPUT on the query, with GraphQL's reason", async () => {
    const response = await gql(server.url, "{ process(id: 1) { nope } }", undefined, { token: bob });
    expect(response.errors?.length).toBeGreaterThan(0);
    for (const error of response.errors ?? []) {
      expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "query", reason: "GRAPHQL_VALIDATION_FAILED" });
    }
    const syntax = await gql(server.url, "{ process(id: ", undefined, { token: bob });
    expect(syntax.errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "query",
      reason: "GRAPHQL_PARSE_FAILED",
    });
  });
});

describe("unexpected failures are masked", () => {
  it("a database fault comes back as INTERNAL_SERVER_ERROR without internals", async () => {
    const started = dataOf(await gql(server.url, StartMinimalDocument, { input: valid }, { token: alice })).startProcess.process;
    await server.sql.query("alter table decisions rename to decisions_moved");
    try {
      const response = await gql(server.url, ProcessDetailsDocument, { id: started.id }, { token: alice });
      expect(codesOf(response)).toEqual(["INTERNAL_SERVER_ERROR"]);
      const [error] = response.errors ?? [];
      expect(error?.message).toBe("Unexpected error.");
      expect(Object.keys(error?.extensions ?? {})).toEqual(["code"]);
      expect(JSON.stringify(error)).not.toMatch(/relation|select|postgres|\.ts|stack/i);
      // The error stops at the nearest nullable field.
      expect(response.data).toEqual({ process: null });
    } finally {
      await server.sql.query("alter table decisions_moved rename to decisions");
    }
  });
});
