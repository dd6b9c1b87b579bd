/**
 * PostgreSQL restarted under a running server: requests fail with SERVICE_UNAVAILABLE and
 * /ready says 503 while it is down; the server recovers by itself when it returns, and a
 * subscription opened before the outage still gets every event.
 */
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pino from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type EmbeddedDatabase, freePort, startEmbeddedPostgres } from "../src/db/embedded.js";
import { DecideMinimalDocument, ProcessEventsDocument, ProcessesPageDocument } from "./generated/graphql.js";
import { codesOf, dataOf, gql, startProcessAs, subscribe, tokenFor, until, wsClient } from "./support/client.js";
import { reportReliability } from "./support/report.js";
import { startApp } from "./support/server.js";

let dataDir: string;
let port: number;
let database: EmbeddedDatabase | undefined;
let server: Awaited<ReturnType<typeof startApp>>;
const disposers: Array<() => unknown> = [];
const log = pino({ level: "warn" });

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "approval-api-restart-"));
  await chmod(dataDir, 0o755);
  port = await freePort();
  database = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "pg"), port, log });
  server = await startApp(database.url);
});

afterAll(async () => {
  for (const dispose of disposers.splice(0)) await dispose();
  await server?.app.stop();
  await database?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

it("fails clearly while the database is down and recovers by itself when it returns", async () => {
  const [alice, bob] = await Promise.all([tokenFor("alice"), tokenFor("bob")]);
  const base = new URL(server.url).origin;
  const started = await startProcessAs(server.url, alice, { approver: "bob", amount: "5.00", description: "Outage" });
  const client = wsClient(server.url.replace(/^http/, "ws"), alice);
  disposers.push(() => client.dispose());
  const sub = subscribe(client, ProcessEventsDocument, { id: started.id, after: 0 });
  disposers.push(sub.dispose);
  await sub.waitFor(2);

  await database?.stop();
  database = undefined;
  await until(async () => (await fetch(`${base}/ready`)).status === 503);
  const whileDown = await gql(server.url, ProcessesPageDocument, {}, { token: alice });
  expect(codesOf(whileDown)).toEqual(["SERVICE_UNAVAILABLE"]);
  expect(whileDown.errors?.[0]?.message).toBe("The database is unavailable; try again shortly.");
  expect((await fetch(`${base}/health`)).status).toBe(200);

  database = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "pg"), port, log });
  await until(async () => (await fetch(`${base}/ready`)).status === 200, 15_000);
  // The relay listens again (it reconnects with backoff) before events are expected live.
  await until(async () => {
    const response = await gql(server.url, ProcessesPageDocument, {}, { token: alice });
    return !response.errors;
  }, 15_000);

  const decided = dataOf(
    await gql(server.url, DecideMinimalDocument, { input: { processId: started.id, decision: "APPROVE" } }, { token: bob }),
  );
  expect(decided.decide.process.status).toBe("APPROVED");
  const events = await sub.waitFor(4);
  expect(events.map((result) => `${result.data?.processUpdated.sequence}:${result.data?.processUpdated.type}`)).toEqual([
    "1:STARTED",
    "2:TASK_CREATED",
    "3:DECIDED",
    "4:COMPLETED",
  ]);
  reportReliability({
    case: "PostgreSQL restarted under a running server",
    did: "stopped the database, queried, started it again on the same port",
    checked: "answers while down, /ready, recovery without restarting the server, a subscription opened before the outage",
    result:
      "SERVICE_UNAVAILABLE and /ready 503 while down; /ready 200 and requests served again by themselves; subscriber got events 1..4",
  });
});
