/**
 * Graceful shutdown: once it begins, new work is refused with SERVICE_UNAVAILABLE (even on a
 * WebSocket that is still open), work in flight is finished and answered, and nothing is written
 * for the refused requests.
 */
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DecideMinimalDocument, StartMinimalDocument } from "./generated/graphql.js";
import { deferred, gql, startProcessAs, subscribe, tokenFor, wsClient } from "./support/client.js";
import { createTestDatabase } from "./support/database.js";
import { startApp } from "./support/server.js";

let database: Awaited<ReturnType<typeof createTestDatabase>>;
const disposers: Array<() => unknown> = [];

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  for (const dispose of disposers.splice(0)) await dispose();
  await database.drop();
});

it("refuses new work while draining, finishes the run in flight, and writes nothing for what it refused", async () => {
  const inReview = deferred<void>();
  const release = deferred<void>();
  const { app, url } = await startApp(database.url, {
    onReviewResumed: async () => {
      inReview.resolve();
      await release.promise;
    },
  });
  disposers.push(() => app.stop());
  const [alice, bob] = await Promise.all([tokenFor("alice"), tokenFor("bob")]);
  const started = await startProcessAs(url, alice, { approver: "bob", amount: "6.00", description: "shutdown" });
  const client = wsClient(url.replace(/^http/, "ws"), alice);
  disposers.push(() => client.dispose());

  // bob's decision is in flight, held inside the review node, when shutdown begins.
  const deciding = gql(url, DecideMinimalDocument, { input: { processId: started.id, decision: "APPROVE" } }, { token: bob });
  await inReview.promise;
  const stopped = app.stop();
  await new Promise((resolve) => setImmediate(resolve));

  // A start sent over the WebSocket that is still open is refused, before anything is written.
  const refused = await subscribe(client, StartMinimalDocument, {
    input: { approver: "bob", amount: "7.00", description: "too late" },
  }).waitFor(1);
  expect(refused[0]?.errors?.map((error) => error.extensions?.code)).toEqual(["SERVICE_UNAVAILABLE"]);

  release.resolve();
  const decided = await deciding;
  expect(decided.errors).toBeUndefined();
  expect(decided.data?.decide.process.status).toBe("APPROVED");
  await stopped;

  const sql = new pg.Client({ connectionString: database.url });
  await sql.connect();
  try {
    const { rows } = await sql.query("select description, status from processes order by created_at");
    expect(rows).toEqual([{ description: "shutdown", status: "APPROVED" }]);
  } finally {
    await sql.end();
  }
});
