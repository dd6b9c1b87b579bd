/**
 * Servers killed with SIGKILL in the middle of startProcess and decide (held at a named point by
 * the test-only TEST_PAUSE_AT hook), then a fresh server on the same database: it must finish
 * every abandoned run from its last checkpoint, applying each recorded decision exactly once.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import type { RunPoint } from "../src/processes/service.js";
import { StartMinimalDocument } from "./generated/graphql.js";
import { dataOf, gql, tokenFor, until } from "./support/client.js";
import { createTestDatabase } from "./support/database.js";
import { type ServerProcess, startServerProcess } from "./support/process.js";
import { reportReliability } from "./support/report.js";
import { TEST_SECRET } from "./support/server.js";

let database: Awaited<ReturnType<typeof createTestDatabase>>;
const children: ServerProcess[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  for (const server of children) if (server.child.exitCode === null) server.child.kill("SIGKILL");
  await Promise.all(children.map((server) => server.exited));
  await database.drop();
});

function serverOn(extra: Record<string, string> = {}): ServerProcess {
  const server = startServerProcess({
    NODE_ENV: "test",
    DATABASE_URL: database.url,
    JWT_SECRET: TEST_SECRET,
    RUN_LEASE_MS: "500",
    RECOVERY_INTERVAL_MS: "200",
    ...extra,
  });
  children.push(server);
  return server;
}

const decideMutation = `mutation($input: DecideInput!) { decide(input: $input) { process { id status } } }`;

it("runs abandoned at any point of startProcess or decide are finished exactly once by the next server", async () => {
  const [alice, bob] = await Promise.all([tokenFor("alice"), tokenFor("bob")]);
  // Processes that wait for bob, to be decided by servers that die mid-decision.
  const setup = serverOn();
  const setupUrl = await setup.url;
  const waiting: string[] = [];
  for (let i = 0; i < 2; i++) {
    const started = dataOf(
      await gql(
        setupUrl,
        StartMinimalDocument,
        { input: { approver: "bob", amount: `${i + 1}.00`, description: `decide ${i}` } },
        { token: alice },
      ),
    ).startProcess.process;
    waiting.push(started.id);
  }
  setup.child.kill("SIGTERM");
  expect(await setup.exited).toBe(0);

  const points: RunPoint[] = ["start:committed", "start:ran", "decide:committed", "decide:ran"];
  // No recovery timer on these servers, all of them up before any run is abandoned, and leases
  // long enough (2 s) that their start-up recovery passes cannot take over each other's runs.
  const doomed = points.map((point) => serverOn({ TEST_PAUSE_AT: point, RECOVERY_INTERVAL_MS: "0", RUN_LEASE_MS: "2000" }));
  const urls = await Promise.all(doomed.map((server) => server.url));
  const crashed = await Promise.all(
    points.map(async (point, i) => {
      const server = doomed[i] as ServerProcess;
      const url = urls[i] as string;
      // The request is never answered: the server is killed while it waits at the point.
      const request = point.startsWith("start")
        ? gql(
            url,
            StartMinimalDocument,
            { input: { approver: "bob", amount: "9.00", description: `crash ${point}` } },
            { token: alice },
          )
        : gql(url, decideMutation, { input: { processId: waiting[i - 2], decision: "APPROVE", comment: point } }, { token: bob });
      const answered = request.then(
        () => true,
        () => false,
      );
      await server.logged(new RegExp(`"pausedAt":"${point}"`));
      server.child.kill("SIGKILL");
      await server.exited;
      expect(await answered).toBe(false);
      return point;
    }),
  );
  expect(crashed).toEqual(points);

  const { Client } = (await import("pg")).default;
  const sql = new Client({ connectionString: database.url });
  await sql.connect();
  try {
    const running = await sql.query("select count(*)::int as n from processes where status = 'RUNNING'");
    expect(running.rows[0].n).toBe(4);

    const fresh = serverOn();
    await fresh.url;
    await until(
      async () => (await sql.query("select count(*)::int as n from processes where status = 'RUNNING'")).rows[0].n === 0,
      20_000,
    );

    const started = await sql.query(
      "select id, status, (select count(*)::int from tasks t where t.process_id = p.id and t.status = 'OPEN') as open_tasks, (select string_agg(type, ',' order by sequence) from process_events e where e.process_id = p.id) as events from processes p where description like 'crash %' order by description",
    );
    expect(started.rows).toHaveLength(2);
    for (const row of started.rows) {
      expect(row).toMatchObject({ status: "PENDING_REVIEW", open_tasks: 1, events: "STARTED,TASK_CREATED" });
    }

    const decided = await sql.query(
      "select p.id, p.status, (select count(*)::int from decisions d where d.process_id = p.id) as decisions, (select string_agg(type, ',' order by sequence) from process_events e where e.process_id = p.id) as events, (select array_agg(sequence order by sequence) from process_events e where e.process_id = p.id) as sequences from processes p where p.id = any($1)",
      [waiting],
    );
    for (const row of decided.rows) {
      expect(row).toMatchObject({
        status: "APPROVED",
        decisions: 1,
        events: "STARTED,TASK_CREATED,DECIDED,COMPLETED",
        sequences: [1, 2, 3, 4],
      });
    }
    // The graph applied each decision once: its state holds one review entry with that decision.
    const url = await fresh.url;
    for (const id of waiting) {
      const response = await gql<{ process: { state: { history: Array<{ node: string; message: string }> } } }, unknown>(
        url,
        `query($id: ID!) { process(id: $id) { state } }`,
        { id },
        { token: alice },
      );
      const reviews = dataOf(response).process.state.history.filter((entry) => entry.node === "review");
      expect(reviews).toHaveLength(1);
      expect(reviews[0]?.message).toMatch(/^bob approved: decide:(committed|ran)$/);
    }
    const decidedAndOpen = await sql.query(
      "select count(*)::int as n from tasks t join decisions d on d.task_id = t.id where t.status = 'OPEN'",
    );
    expect(decidedAndOpen.rows[0].n).toBe(0);
    reportReliability({
      case: "server SIGKILLed mid-run",
      did: "4 child servers killed with SIGKILL, one at each point: start committed, start ran, decide committed, decide ran; then a fresh server",
      checked: "RUNNING processes, tasks, decisions, events and graph state after the fresh server's recovery pass",
      result: `4 RUNNING → 0 RUNNING; starts: PENDING_REVIEW with 1 open task each; decisions: 1 row each, applied once (1 review entry in state), events 1..4; 0 tasks decided and open`,
    });
  } finally {
    await sql.end();
  }
});
