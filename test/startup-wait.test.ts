/**
 * A server started before its database (both started together, as in a compose file) waits for it
 * (DATABASE_WAIT_MS) instead of exiting; one whose database cannot be reached by waiting (it does
 * not exist) fails at once with PostgreSQL's reason.
 */
import { connect, createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { dataOf, gql, tokenFor } from "./support/client.js";
import { createTestDatabase } from "./support/database.js";
import { startServerProcess } from "./support/process.js";
import { TEST_SECRET } from "./support/server.js";

let database: Awaited<ReturnType<typeof createTestDatabase>>;
const cleanups: Array<() => unknown> = [];

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await database.drop();
});

/** A port nothing listens on (yet). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** The database, reachable on `port` from now on. */
async function forwardTo(port: number, target: URL): Promise<Server> {
  const sockets = new Set<Socket>();
  const proxy = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("error", () => {});
      socket.on("close", () => sockets.delete(socket));
    }
    client.pipe(upstream).pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(port, "127.0.0.1", resolve));
  cleanups.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => proxy.close(resolve));
  });
  return proxy;
}

it("waits for a database that comes up after it, then serves", { timeout: 60_000 }, async () => {
  const target = new URL(database.url);
  const port = await freePort();
  const late = new URL(database.url);
  late.port = String(port);
  const server = startServerProcess({ DATABASE_URL: late.toString(), JWT_SECRET: TEST_SECRET, DATABASE_WAIT_MS: "20000" });
  cleanups.push(async () => {
    server.child.kill("SIGTERM");
    await server.exited;
  });
  await Promise.race([
    server.logged(/waiting for it/),
    server.exited.then((code) => {
      throw new Error(`the server exited (${code}) instead of waiting for its database`);
    }),
  ]);

  await forwardTo(port, target);
  const url = await server.url;
  const viewer = dataOf(await gql(url, "{ viewer { id } }", undefined, { token: await tokenFor("alice") })) as {
    viewer: { id: string };
  };
  expect(viewer.viewer.id).toBe("alice");
});

it("fails at once when waiting cannot help (the database does not exist)", { timeout: 60_000 }, async () => {
  const missing = new URL(database.url);
  missing.pathname = "/no_such_database_here";
  const started = Date.now();
  const server = startServerProcess({ DATABASE_URL: missing.toString(), JWT_SECRET: TEST_SECRET, DATABASE_WAIT_MS: "20000" });
  expect(await server.exited).not.toBe(0);
  expect(Date.now() - started).toBeLessThan(15_000);
  await expect(server.url).rejects.toThrow(/does not exist/);
});
