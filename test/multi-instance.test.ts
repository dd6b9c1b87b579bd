/**
 * Several real server processes on one database: subscribers on every instance, decisions taken
 * on another, the listening connection of one instance killed in the middle. Every subscriber
 * must get every event of every process exactly once, in sequence order.
 */

import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { DecideMinimalDocument, ProcessEventsDocument, StartMinimalDocument } from "./generated/graphql.js";
import { dataOf, gql, type Subscription, subscribe, tokenFor, wsClient } from "./support/client.js";
import { createTestDatabase } from "./support/database.js";
import { type ServerProcess, startServerProcess } from "./support/process.js";
import { reportReliability } from "./support/report.js";
import { TEST_SECRET } from "./support/server.js";

const PROCESSES = 4;
const SUBSCRIBERS_PER_INSTANCE = 2;
const children: ServerProcess[] = [];
const cleanups: Array<() => Promise<unknown> | unknown> = [];

afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  for (const child of children) if (child.child.exitCode === null) child.child.kill("SIGTERM");
  await Promise.all(children.map((child) => child.exited));
});

type EventsData = { processUpdated: { sequence: number; type: string } };

const REDIS_URL = process.env.REDIS_URL;
if (!REDIS_URL) console.warn("multi-instance tests over Redis are skipped: REDIS_URL is not set");

const cases = [
  { instances: 2, transport: "notify" },
  { instances: 3, transport: "notify" },
  { instances: 2, transport: "redis" },
  { instances: 3, transport: "redis" },
] as const;

/** Drops the connections that carry events to an instance, as a network fault would. */
async function killListener(transport: "notify" | "redis", databaseUrl: string): Promise<number> {
  if (transport === "redis") {
    const { Redis } = await import("ioredis");
    const redis = new Redis(REDIS_URL as string);
    const killed = await redis.client("KILL", "TYPE", "pubsub");
    redis.disconnect();
    return Number(killed);
  }
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  const killed = await admin.query(
    "select pg_terminate_backend(pid) as killed from pg_stat_activity where application_name = 'approval-api-relay' and datname = current_database() limit 1",
  );
  await admin.end();
  return killed.rows.filter((row) => row.killed).length;
}

describe.each(cases)("$instances instances, fan-out over $transport", ({ instances, transport }) => {
  it.skipIf(transport === "redis" && !REDIS_URL)(
    "every subscriber on every instance gets every event exactly once, in order, across a killed listener",
    async () => {
      const database = await createTestDatabase();
      cleanups.push(() => database.drop());
      const servers = Array.from({ length: instances }, () =>
        startServerProcess({
          NODE_ENV: "test",
          DATABASE_URL: database.url,
          JWT_SECRET: TEST_SECRET,
          LOG_LEVEL: "info",
          REDIS_URL: transport === "redis" ? (REDIS_URL as string) : "",
          DB_POOL_MAX: "5",
        }),
      );
      children.push(...servers);
      const urls = await Promise.all(servers.map((server) => server.url));
      const [alice, bob] = await Promise.all([tokenFor("alice"), tokenFor("bob")]);

      const ids: string[] = [];
      for (let i = 0; i < PROCESSES; i++) {
        const started = dataOf(
          await gql(
            urls[i % instances] as string,
            StartMinimalDocument,
            { input: { approver: "bob", amount: `${i + 1}.00`, description: `fan-out ${i}` } },
            { token: alice },
          ),
        ).startProcess.process;
        ids.push(started.id);
      }

      // Subscribers on every instance, for every process, from the first event on.
      const subscriptions: Array<{ instance: number; processId: string; sub: Subscription<EventsData> }> = [];
      for (const [instance, url] of urls.entries()) {
        for (let s = 0; s < SUBSCRIBERS_PER_INSTANCE; s++) {
          const client = wsClient(url.replace(/^http/, "ws"), alice);
          cleanups.push(() => client.dispose());
          for (const processId of ids) {
            subscriptions.push({
              instance,
              processId,
              sub: subscribe(client, ProcessEventsDocument, { id: processId, after: 0 }) as Subscription<EventsData>,
            });
          }
        }
      }
      await Promise.all(subscriptions.map(({ sub }) => sub.waitFor(2)));

      // Decide half on the last instance, kill one instance's LISTEN connection, decide the rest.
      const decideOn = urls[instances - 1] as string;
      const half = Math.floor(PROCESSES / 2);
      for (const processId of ids.slice(0, half)) {
        dataOf(await gql(decideOn, DecideMinimalDocument, { input: { processId, decision: "APPROVE" } }, { token: bob }));
      }
      expect(await killListener(transport, database.url)).toBeGreaterThanOrEqual(1);
      for (const processId of ids.slice(half)) {
        dataOf(await gql(decideOn, DecideMinimalDocument, { input: { processId, decision: "REJECT" } }, { token: bob }));
      }

      for (const { processId, sub } of subscriptions) {
        const events = (await sub.waitFor(4)).map(
          (result) => `${result.data?.processUpdated.sequence}:${result.data?.processUpdated.type}`,
        );
        expect(events, `${processId}`).toEqual(["1:STARTED", "2:TASK_CREATED", "3:DECIDED", "4:COMPLETED"]);
      }
      // Nothing more arrives: a fifth result would be a duplicate.
      await Promise.all(subscriptions.map(({ sub }) => sub.dispose()));
      expect(subscriptions.every(({ sub }) => sub.results.length === 4)).toBe(true);
      // Stop this case's servers now: the next case should not share the database server's connections with them.
      for (const server of servers) server.child.kill("SIGTERM");
      expect(await Promise.all(servers.map((server) => server.exited))).toEqual(servers.map(() => 0));
      reportReliability({
        case: `cross-instance fan-out, ${instances} instances, ${transport === "redis" ? "Redis" : "LISTEN/NOTIFY"}`,
        did: `${instances} server processes on one database; ${subscriptions.length} subscriptions (${SUBSCRIBERS_PER_INSTANCE} clients per instance × ${PROCESSES} processes); decisions on instance ${instances}; ${transport === "redis" ? "every Redis subscriber connection killed (CLIENT KILL TYPE pubsub)" : "one instance's LISTEN connection killed"} halfway`,
        checked: "events per subscription",
        result: `${subscriptions.length} × exactly 1..4 in order, no duplicate`,
      });
    },
  );
});
