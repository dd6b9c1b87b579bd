/**
 * The relay's listening connection through a proxy: a network that accepts connections and drops
 * them at once (a proxy whose database is down), and a connection that goes silent without closing
 * (a half-open connection). The relay keeps one reconnection loop, ends with exactly one LISTEN
 * connection, and subscribers still get every event.
 */
import { connect, createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DecideMinimalDocument, ProcessEventsDocument } from "./generated/graphql.js";
import { dataOf, gql, startProcessAs, subscribe, tokenFor, until, wsClient } from "./support/client.js";
import { createTestDatabase } from "./support/database.js";
import { startApp } from "./support/server.js";

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let proxy: Server;
let mode: "forward" | "drop" = "forward";
const sockets = new Set<Socket>();
/** The proxy's connections that carry the relay's LISTEN session, and a way to silence them. */
const relaySockets = new Map<Socket, () => void>();
let app: Awaited<ReturnType<typeof startApp>>;
const disposers: Array<() => unknown> = [];

beforeAll(async () => {
  database = await createTestDatabase();
  const target = new URL(database.url);
  proxy = createServer((client) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    client.on("error", () => {});
    // Like a proxy whose database is down: take the connection, read the startup message, hang up.
    if (mode === "drop") return void client.once("data", () => client.end());
    const upstream = connect(Number(target.port), target.hostname);
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
    client.pipe(upstream).pipe(client);
    // The startup message names the application: that is how the relay's connection is told apart.
    client.once("data", (startup: Buffer) => {
      if (!startup.includes("approval-api-relay")) return;
      relaySockets.set(client, () => {
        client.unpipe(upstream);
        upstream.unpipe(client);
        upstream.pause();
        client.pause();
      });
    });
    client.on("close", () => {
      relaySockets.delete(client);
      upstream.destroy();
    });
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", () => resolve()));
  const address = proxy.address();
  const proxied = new URL(database.url);
  proxied.port = String(typeof address === "object" && address ? address.port : 0);
  app = await startApp(proxied.toString(), undefined, { RELAY_HEARTBEAT_MS: "1000" });
});

afterAll(async () => {
  for (const dispose of disposers.splice(0)) await dispose();
  await app?.app.stop();
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => proxy.close(resolve));
  await database.drop();
});

async function relayConnections(): Promise<number> {
  const pg = (await import("pg")).default;
  const admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  const { rows } = await admin.query(
    "select count(*)::int as n from pg_stat_activity where application_name = 'approval-api-relay' and datname = current_database()",
  );
  await admin.end();
  return rows[0].n;
}

/** A process waiting for bob, and a subscriber of it that has seen its first two events. */
async function watchedProcess(description: string) {
  const [alice, bob] = await Promise.all([tokenFor("alice"), tokenFor("bob")]);
  const started = await startProcessAs(app.url, alice, { approver: "bob", amount: "1.00", description });
  const client = wsClient(app.url.replace(/^http/, "ws"), alice);
  disposers.push(() => client.dispose());
  const sub = subscribe(client, ProcessEventsDocument, { id: started.id, after: 0 });
  disposers.push(sub.dispose);
  await sub.waitFor(2);
  /** bob approves; the subscriber then has every event of the process, in order. */
  const bobApprovesAndSubscriberSeesAll = async () => {
    dataOf(await gql(app.url, DecideMinimalDocument, { input: { processId: started.id, decision: "APPROVE" } }, { token: bob }));
    expect((await sub.waitFor(4)).map((result) => result.data?.processUpdated.type)).toEqual([
      "STARTED",
      "TASK_CREATED",
      "DECIDED",
      "COMPLETED",
    ]);
  };
  return { alice, bobApprovesAndSubscriberSeesAll };
}

it("keeps a single listening connection through an outage that drops connections, and loses no event", async () => {
  const { alice, bobApprovesAndSubscriberSeesAll } = await watchedProcess("proxy");
  const url = app.url;
  expect(await relayConnections()).toBe(1);

  // The outage: every connection through the proxy is cut, and new ones are accepted then dropped.
  mode = "drop";
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => setTimeout(resolve, 2_500));
  mode = "forward";

  // The pool reconnects on demand; the relay on its own.
  await until(
    async () => !(await gql(url, "{ viewer { id } }", undefined, { token: alice })).errors && (await relayConnections()) === 1,
    15_000,
  );
  await bobApprovesAndSubscriberSeesAll();
  // Still exactly one a while later: no second reconnection loop left running.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect(await relayConnections()).toBe(1);
});

it("replaces a listening connection that goes silent without closing, and loses no event", async () => {
  const { bobApprovesAndSubscriberSeesAll } = await watchedProcess("half-open");
  expect(relaySockets.size).toBe(1);

  // The relay's connection stops carrying anything, both ways, but stays open: no error, no end.
  const [silenced, silence] = [...relaySockets][0] as [Socket, () => void];
  silence();
  // Decided while the relay's connection is silent: its NOTIFY never arrives.
  await bobApprovesAndSubscriberSeesAll();
  // A new listening connection replaced the silent one.
  expect([...relaySockets.keys()].filter((socket) => socket !== silenced)).toHaveLength(1);
  silenced.destroy();
  await until(async () => (await relayConnections()) === 1, 10_000);
});
