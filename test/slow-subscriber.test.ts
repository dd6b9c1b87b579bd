/**
 * A subscriber that stops reading cannot make the server queue without bound: once more than
 * MAX_WS_BUFFERED_BYTES wait unsent, its socket is closed with 4413 and its subscriptions end.
 * A subscription whose events pile up behind its own unfinished writes (one operation, so the
 * socket's queue stays small) ends once 1,000 events wait: the client is told SLOW_SUBSCRIBER,
 * then the socket is closed with 4413.
 */
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import WebSocket from "ws";
import { startProcessAs, subscribe, tokenFor, until, wsClient } from "./support/client.js";
import { reportReliability } from "./support/report.js";
import { startTestServer, type TestServer } from "./support/server.js";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ env: { MAX_WS_BUFFERED_BYTES: "65536" } });
});

afterAll(() => server.close());

/**
 * A raw graphql-ws connection, acknowledged. `socket.pause()` stops its reading (ws's own pause:
 * pausing the TCP socket underneath would be undone by ws once it has parsed what it holds).
 */
async function rawConnection(token: string) {
  const socket = new WebSocket(server.wsUrl, "graphql-transport-ws");
  await new Promise((resolve) => socket.once("open", resolve));
  socket.send(JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${token}` } }));
  await new Promise((resolve) => socket.once("message", resolve));
  const closed = new Promise<number>((resolve) => socket.once("close", (code) => resolve(code)));
  return { socket, closed };
}

it("a client that stops reading is closed with 4413 and leaves nothing behind", async () => {
  const alice = await tokenFor("alice");
  const started = await startProcessAs(server.url, alice, { approver: "bob", amount: "1.00", description: "x".repeat(900) });

  const { socket, closed } = await rawConnection(alice);
  // Stop reading, then ask for far more than the limit: thousands of replays of ~1 KB events.
  socket.pause();
  const query = "subscription($id: ID!) { processUpdated(id: $id, after: 0) { sequence process { description } } }";
  for (let i = 0; i < 4000 && server.app.stats().slowConsumersDisconnected === 0; i++) {
    socket.send(JSON.stringify({ id: `s${i}`, type: "subscribe", payload: { query, variables: { id: started.id } } }));
    if (i % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  await until(() => server.app.stats().slowConsumersDisconnected === 1, 30_000);
  socket.resume();
  expect(await closed).toBe(4413);
  await until(() => server.app.liveSubscribers(started.id) === 0);

  // Everyone else is unaffected.
  const client = wsClient(server.wsUrl, alice);
  const sub = subscribe(client, "subscription($id: ID!) { processUpdated(id: $id, after: 0) { sequence } }", { id: started.id });
  expect(
    (await sub.waitFor(2)).map((result) => (result.data as { processUpdated: { sequence: number } }).processUpdated.sequence),
  ).toEqual([1, 2]);
  await client.dispose();
  reportReliability({
    case: "subscriber that stops reading",
    did: "a raw client paused its socket and opened thousands of replaying subscriptions (~1 KB events)",
    checked: "close code, the server's subscriptions afterwards, other clients",
    result: "closed with 4413 once 64 KB waited unsent; its subscriptions gone; other clients served",
  });
});

it("a subscription 1,000 events behind its unread socket is told SLOW_SUBSCRIBER, then closed with 4413", async () => {
  const alice = await tokenFor("alice");
  const started = await startProcessAs(server.url, alice, { approver: "bob", amount: "1.00", description: "y".repeat(1_000) });

  const { socket, closed } = await rawConnection(alice);
  const messages: Array<{ type: string; payload?: unknown }> = [];
  socket.on("message", (data) => messages.push(JSON.parse(String(data))));
  // One operation of ~16 KB per event: the socket's own queue stays far below its 64 KB limit
  // (graphql-ws writes one event at a time), so what grows is the subscription's backlog.
  const wide = Array.from({ length: 16 }, (_, i) => `p${i}: process { description }`).join(" ");
  const query = `subscription($id: ID!) { processUpdated(id: $id, after: 0) { sequence ${wide} } }`;
  socket.send(JSON.stringify({ id: "wide", type: "subscribe", payload: { query, variables: { id: started.id } } }));
  await until(() => messages.length === 2);
  socket.pause();

  // Committed events, 250 to a transaction and announced as the service announces them, until
  // the kernel's buffers are full and the backlog passes 1,000.
  const disconnected = server.app.stats().slowConsumersDisconnected;
  const admin = new pg.Client({ connectionString: server.databaseUrl });
  await admin.connect();
  let last = 2;
  // The subscription's stream ends (and stops listening) when it fails.
  const subscribed = () => server.app.liveSubscribers(started.id) > 0;
  try {
    while (subscribed() && last < 40_000) {
      await admin.query(
        `with added as (
           insert into process_events (process_id, sequence, type, process_status, process_version)
           select $1, s, 'TASK_CREATED', 'PENDING_REVIEW', 2 from generate_series($2::int, $3::int) s returning 1
         ), moved as (update processes set last_sequence = $3 where id = $1 returning 1)
         select pg_notify('process_events', $1 || ':' || $2 || ':' || $3), (select count(*) from added), (select count(*) from moved)`,
        [started.id, last + 1, last + 250],
      );
      last += 250;
      // Let the relay deliver this batch before committing the next (it is not a burst test).
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await admin.end();
  }
  await until(() => !subscribed(), 30_000).catch(() => {});
  socket.resume();
  const code = await Promise.race([closed, new Promise((resolve) => setTimeout(() => resolve("still open"), 10_000))]);
  const told = messages.filter((m) => m.type !== "next");
  const seen = `${last} events committed, ${messages.length} messages read, ${JSON.stringify(told).slice(0, 500)}`;
  expect(code, seen).toBe(4413);
  expect(server.app.stats().slowConsumersDisconnected, seen).toBe(disconnected + 1);
  expect(subscribed(), seen).toBe(false);

  const delivered = messages
    .filter((m) => m.type === "next")
    .map((m) => (m.payload as { data: { processUpdated: { sequence: number } } }).data.processUpdated.sequence);
  expect(delivered).toEqual(Array.from({ length: delivered.length }, (_, i) => i + 1));
  expect(last - delivered.length).toBeGreaterThan(1_000);
  expect(messages.at(-1)).toMatchObject({
    type: "error",
    payload: [{ extensions: { code: "SERVICE_UNAVAILABLE", reason: "SLOW_SUBSCRIBER" } }],
  });
  reportReliability({
    case: "subscription whose backlog outgrows its buffer",
    did: `a raw client stopped reading one subscription of ~16 KB events; ${last} events committed in transactions of 250`,
    checked: "what the client read once it resumed, close code, the server's subscriptions afterwards",
    result: `events 1..${delivered.length} in order, then an error SERVICE_UNAVAILABLE / SLOW_SUBSCRIBER, then 4413; nothing left subscribed`,
  });
});
