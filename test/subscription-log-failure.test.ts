/**
 * A subscription whose event-log reads fail: it keeps trying for SUBSCRIPTION_LOG_WAIT_MS and
 * delivers everything once the log can be read again; past that it ends with a masked, coded
 * error (never the SQL of the failed read), and the server goes on serving others.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { ProcessEventsDocument } from "./generated/graphql.js";
import { startProcessAs, subscribe, tokenFor, wsClient } from "./support/client.js";
import { startTestServer, type TestServer } from "./support/server.js";

let server: TestServer;
let alice: string;
const disposers: Array<() => unknown> = [];

beforeAll(async () => {
  server = await startTestServer({ env: { SUBSCRIPTION_LOG_WAIT_MS: "2000" } });
  alice = await tokenFor("alice");
});

afterAll(async () => {
  for (const dispose of disposers.splice(0)) await dispose();
  await server.close();
});

/** Makes the event log unreadable (as a missing table), runs `during`, then restores it. */
async function withoutEventLog<T>(during: () => Promise<T>): Promise<T> {
  await server.sql.query("alter table process_events rename to process_events_away");
  try {
    return await during();
  } finally {
    await server.sql.query("alter table process_events_away rename to process_events");
  }
}

function watch(processId: string) {
  const client = wsClient(server.url.replace(/^http/, "ws"), alice);
  disposers.push(() => client.dispose());
  const sub = subscribe(client, ProcessEventsDocument, { id: processId, after: 0 });
  disposers.push(sub.dispose);
  return sub;
}

it("retries a replay the log cannot serve yet, then delivers every event in order", async () => {
  const started = await startProcessAs(server.url, alice, { approver: "bob", amount: "3.00", description: "log away" });
  const sub = await withoutEventLog(async () => {
    const sub = watch(started.id);
    // Longer than the first few retries, well within the wait.
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(sub.results).toEqual([]);
    return sub;
  });
  const results = await sub.waitFor(2);
  expect(results.map((result) => [result.data?.processUpdated.sequence, result.data?.processUpdated.type])).toEqual([
    [1, "STARTED"],
    [2, "TASK_CREATED"],
  ]);
});

it("ends with a masked, coded error once the log stays unreadable past the wait, and keeps serving", async () => {
  const started = await startProcessAs(server.url, alice, { approver: "bob", amount: "4.00", description: "log gone" });
  const ended = await withoutEventLog(() => watch(started.id).ended);
  expect(ended).toEqual([
    expect.objectContaining({ message: "Unexpected error.", extensions: { code: "INTERNAL_SERVER_ERROR" } }),
  ]);
  expect(JSON.stringify(ended)).not.toMatch(/process_events|relation|select|stack/i);
  // Others are served as before.
  expect((await watch(started.id).waitFor(2)).map((result) => result.data?.processUpdated.type)).toEqual([
    "STARTED",
    "TASK_CREATED",
  ]);
});
