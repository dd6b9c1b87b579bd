/**
 * Graceful shutdown: once it begins, new work is refused with SERVICE_UNAVAILABLE (even on a
 * WebSocket that is still open), work in flight is finished and answered, and nothing is written
 * for the refused requests.
 */
import http from "node:http";
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

it("ends subscriptions streamed over HTTP and keeps no idle connection: stopping does not wait out its timeout", async () => {
  const { app, url } = await startApp(database.url, undefined, { SHUTDOWN_TIMEOUT_MS: "8000" });
  const alice = await tokenFor("alice");
  const started = await startProcessAs(url, alice, { approver: "bob", amount: "1.00", description: "sse" });

  // A subscription over HTTP (server-sent events): it never ends by itself.
  const stream = await fetch(url, {
    method: "POST",
    headers: { authorization: `Bearer ${alice}`, "content-type": "application/json", accept: "text/event-stream" },
    body: JSON.stringify({ query: `subscription { processUpdated(id: "${started.id}", after: 0) { sequence } }` }),
  });
  expect(stream.headers.get("content-type")).toMatch(/^text\/event-stream/);
  const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
  expect(new TextDecoder().decode((await reader.read()).value)).toContain("sequence");
  const streamEnded = (async () => {
    try {
      while (!(await reader.read()).done);
    } catch {
      // a destroyed connection ends the stream too
    }
    return true;
  })();
  // A keep-alive connection left idle after a request.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const viewer = () =>
    new Promise<http.IncomingMessage>((resolve, reject) => {
      const request = http.request(
        url,
        { method: "POST", agent, headers: { "content-type": "application/json", authorization: `Bearer ${alice}` } },
        (response) => {
          response.resume();
          response.on("end", () => resolve(response));
        },
      );
      request.on("error", reject);
      request.end(JSON.stringify({ query: "{ viewer { id } }" }));
    });
  expect((await viewer()).headers.connection).toBe("keep-alive");

  const stopping = Date.now();
  const stopped = app.stop();
  // A request on that connection while the server stops is answered, and its connection closed.
  const during = await viewer();
  expect(during.statusCode).toBe(200);
  expect(during.headers.connection).toBe("close");
  await stopped;
  expect(Date.now() - stopping).toBeLessThan(3_000);
  expect(await streamEnded).toBe(true);
  agent.destroy();
});
