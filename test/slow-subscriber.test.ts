/**
 * A subscriber that stops reading cannot make the server queue without bound: once more than
 * MAX_WS_BUFFERED_BYTES wait unsent, its socket is closed with 4413 and its subscriptions end.
 */
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

it("a client that stops reading is closed with 4413 and leaves nothing behind", async () => {
  const alice = await tokenFor("alice");
  const started = await startProcessAs(server.url, alice, { approver: "bob", amount: "1.00", description: "x".repeat(900) });

  const socket = new WebSocket(server.wsUrl, "graphql-transport-ws");
  await new Promise((resolve) => socket.once("open", resolve));
  socket.send(JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${alice}` } }));
  await new Promise((resolve) => socket.once("message", resolve));
  const closed = new Promise<number>((resolve) => socket.once("close", (code) => resolve(code)));
  // Stop reading, then ask for far more than the limit: thousands of replays of ~1 KB events.
  const tcp = (socket as unknown as { _socket: { pause(): void; resume(): void } })._socket;
  tcp.pause();
  const query = "subscription($id: ID!) { processUpdated(id: $id, after: 0) { sequence process { description } } }";
  for (let i = 0; i < 4000 && server.app.stats().slowConsumersDisconnected === 0; i++) {
    socket.send(JSON.stringify({ id: `s${i}`, type: "subscribe", payload: { query, variables: { id: started.id } } }));
    if (i % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  await until(() => server.app.stats().slowConsumersDisconnected === 1, 30_000);
  tcp.resume();
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
