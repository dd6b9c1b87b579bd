/**
 * Subscribers of one process that send the same operation get one execution per live event,
 * shared, instead of one each; a result that depends on who asks is never handed to someone else.
 */
import { buildSchema, type DocumentNode, type ExecutionResult, parse } from "graphql";
import { createYoga } from "graphql-yoga";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Context } from "../src/context.js";
import { useSharedSubscriptionExecution } from "../src/subscription-execution.js";
import { DecideMinimalDocument, ProcessEventsDocument } from "./generated/graphql.js";
import { dataOf, gql, startProcessAs, subscribe, tokenFor, wsClient } from "./support/client.js";
import { startTestServer, type TestServer } from "./support/server.js";
import { recordStatements } from "./support/statements.js";

let server: TestServer;
const disposers: Array<() => unknown> = [];

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  for (const dispose of disposers.splice(0)) await dispose();
  await server.close();
});

/** How many process ids the server looked up by id in the statements recorded. */
const processLookups = (sent: Array<{ text: string; values: unknown[] }>) =>
  sent
    .filter((s) => /from "processes" where "processes"."id" = any\(/.test(s.text))
    .reduce((sum, s) => sum + (s.values[0] as unknown[]).length, 0);

it("one execution per live event for subscribers of the same operation, whoever they are; each gets the right result", async () => {
  const [alice, bob, admin] = await Promise.all([tokenFor("alice"), tokenFor("bob"), tokenFor("root", { roles: ["admin"] })]);
  const { id } = await startProcessAs(server.url, alice, { approver: "bob", amount: "12.50", description: "Shared" });
  // What a decision reads by itself, with nobody watching.
  const unwatched = await startProcessAs(server.url, alice, { approver: "bob", amount: "1.00", description: "Unwatched" });
  const baseline = recordStatements();
  try {
    dataOf(
      await gql(server.url, DecideMinimalDocument, { input: { processId: unwatched.id, decision: "APPROVE" } }, { token: bob }),
    );
  } finally {
    baseline.stop();
  }

  // Five subscribers of one operation (four as the initiator, one as an admin), one of another.
  const tokens = [alice, alice, alice, alice, admin];
  const same = tokens.map((token) => {
    const client = wsClient(server.wsUrl, token);
    disposers.push(() => client.dispose());
    return subscribe(client, ProcessEventsDocument, { id, after: 1 });
  });
  const otherClient = wsClient(server.wsUrl, alice);
  disposers.push(() => otherClient.dispose());
  const other = subscribe<{ processUpdated: { sequence: number; type: string } }, { id: string }>(
    otherClient,
    "subscription($id: ID!) { processUpdated(id: $id, after: 1) { sequence type } }",
    { id },
  );
  // Each has replayed TASK_CREATED from the log (its own read): all are live now.
  await Promise.all([...same, other].map((s) => s.waitFor(1)));

  const statements = recordStatements();
  try {
    dataOf(await gql(server.url, DecideMinimalDocument, { input: { processId: id, decision: "APPROVE" } }, { token: bob }));
    const results = await Promise.all(same.map((s) => s.waitFor(3)));
    const others = await other.waitFor(3);

    for (const result of results) expect(result).toEqual(results[0]);
    const events = (results[0] ?? []).map((r) => r.data?.processUpdated);
    expect(events.map((e) => `${e?.sequence}:${e?.type}`)).toEqual(["2:TASK_CREATED", "3:DECIDED", "4:COMPLETED"]);
    expect(events.every((e) => e?.process.id === id)).toBe(true);
    expect(events[2]?.process.status).toBe("APPROVED");
    expect(events[1]?.task?.status).toBe("COMPLETED");
    expect(others.map((r) => r.data?.processUpdated)).toEqual([
      { sequence: 2, type: "TASK_CREATED" },
      { sequence: 3, type: "DECIDED" },
      { sequence: 4, type: "COMPLETED" },
    ]);
    // Two live events, each executed once for the five: two more lookups of the process, not ten.
    expect(processLookups(statements.sent)).toBe(processLookups(baseline.sent) + 2);
  } finally {
    statements.stop();
  }
});

/** A bus of its own: the same event object goes to every subscriber, as the process bus does. */
function eventSource() {
  const queues = new Set<{ push(event: object): void }>();
  return {
    publish(event: object) {
      for (const queue of queues) queue.push(event);
    },
    subscribe(): AsyncIterableIterator<object> {
      const ready: object[] = [];
      let waiting: ((result: IteratorResult<object>) => void) | null = null;
      const queue = {
        push(event: object) {
          if (waiting) {
            waiting({ value: event, done: false });
            waiting = null;
          } else ready.push(event);
        },
      };
      queues.add(queue);
      return {
        next: () => {
          const event = ready.shift();
          if (event) return Promise.resolve({ value: event, done: false });
          return new Promise((resolve) => {
            waiting = resolve;
          });
        },
        return: () => {
          queues.delete(queue);
          return Promise.resolve({ value: undefined, done: true });
        },
        [Symbol.asyncIterator]() {
          return this;
        },
      };
    },
  };
}

it("a result that read the viewer is shared only with the same viewer; one that did not, with everyone", async () => {
  const source = eventSource();
  const runs = { plain: 0, personal: 0 };
  const schema = buildSchema(`
    type Query { ok: Boolean }
    type Tick { n: Int, plain: String, personal: String }
    type Subscription { ticks: Tick }
  `);
  const subscription = schema.getSubscriptionType()?.getFields().ticks;
  const tick = schema.getType("Tick") as unknown as { getFields(): Record<string, { resolve?: unknown }> };
  if (!subscription) throw new Error("no ticks field");
  subscription.subscribe = () => source.subscribe();
  subscription.resolve = (event: unknown) => event;
  const fields = tick.getFields();
  (fields.plain as { resolve: unknown }).resolve = () => `plain ${++runs.plain}`;
  (fields.personal as { resolve: unknown }).resolve = (_: unknown, __: unknown, ctx: Context) => {
    runs.personal++;
    return `for ${ctx.viewer?.id}`;
  };
  const yoga = createYoga({ schema, plugins: [useSharedSubscriptionExecution()] });

  const viewers = ["ann", "ann", "ben", "cy"].map((id) => Object.freeze({ id, name: null, roles: [], groups: [] }));
  // One document per operation, as the server's parser cache hands out.
  const open = async (document: DocumentNode, viewer: (typeof viewers)[number]) => {
    const { subscribe: run } = yoga.getEnveloped({});
    const contextValue = { viewer, authError: null } as unknown as Context;
    return (await run({ schema, document, contextValue })) as AsyncIterableIterator<ExecutionResult>;
  };
  const plainQuery = parse("subscription { ticks { n plain } }");
  const personalQuery = parse("subscription { ticks { n personal } }");
  const plain = await Promise.all(viewers.map((viewer) => open(plainQuery, viewer)));
  const personal = await Promise.all(viewers.map((viewer) => open(personalQuery, viewer)));

  for (let n = 1; n <= 2; n++) {
    source.publish({ n });
    const plainResults = await Promise.all(plain.map((iterator) => iterator.next()));
    const personalResults = await Promise.all(personal.map((iterator) => iterator.next()));
    // Four subscribers, one execution each time, the same result for all.
    expect(plainResults.map((r) => r.value?.data)).toEqual(viewers.map(() => ({ ticks: { n, plain: `plain ${n}` } })));
    // Each sees its own name; ann's two subscriptions share one execution: three per event.
    expect(personalResults.map((r) => r.value?.data)).toEqual(viewers.map((v) => ({ ticks: { n, personal: `for ${v.id}` } })));
    expect(runs).toEqual({ plain: n, personal: 3 * n });
  }
  for (const iterator of [...plain, ...personal]) await iterator.return?.();
});

it("subscribers replaying one process at once share their reads of the log, and the executions of what they replay", async () => {
  const alice = await tokenFor("alice");
  const { id } = await startProcessAs(server.url, alice, { approver: "bob", amount: "2.50", description: "Replayed" });
  const clients = Array.from({ length: 20 }, () => {
    const client = wsClient(server.wsUrl, alice);
    disposers.push(() => client.dispose());
    return client;
  });
  // Every connection is open before the subscriptions go out together.
  await Promise.all(clients.map((client) => new Promise<void>((resolve) => client.on("connected", () => resolve()))));
  const statements = recordStatements();
  try {
    const subscriptions = clients.map((client) => subscribe(client, ProcessEventsDocument, { id, after: 0 }));
    const results = await Promise.all(subscriptions.map((s) => s.waitFor(2)));
    for (const result of results) expect(result.map((r) => r.data?.processUpdated.sequence)).toEqual([1, 2]);
    const logReads = statements.sent.filter((s) => /from "process_events"/.test(s.text) && /"sequence" >/.test(s.text)).length;
    // One read each would be 20 reads and 40 lookups (2 replayed events × 20); shared: 4 or 5 and
    // 8 or 10 in runs here (subscriptions that arrive while a read is under way join it).
    expect(logReads).toBeLessThan(10);
    expect(processLookups(statements.sent)).toBeLessThan(20);
  } finally {
    statements.stop();
  }
});
