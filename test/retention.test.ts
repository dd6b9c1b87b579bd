/**
 * The retention job removes the checkpoints of long-finished processes and keeps their business
 * record, decisions, events and final state: on the server's timer and with `npm run prune`.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DecideMinimalDocument, ProcessDetailsDocument } from "./generated/graphql.js";
import { dataOf, gql, startProcessAs, tokenFor, until } from "./support/client.js";
import { startTestServer, type TestServer } from "./support/server.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
let server: TestServer;
let alice: string;
let bob: string;

beforeAll(async () => {
  server = await startTestServer({ env: { RETENTION_DAYS: "30", RECOVERY_INTERVAL_MS: "200" } });
  [alice, bob] = await Promise.all([tokenFor("alice"), tokenFor("bob")]);
});

afterAll(() => server.close());

async function finishedProcess(description: string): Promise<string> {
  const started = await startProcessAs(server.url, alice, { approver: "bob", amount: "3.00", description });
  dataOf(
    await gql(
      server.url,
      DecideMinimalDocument,
      { input: { processId: started.id, decision: "APPROVE", comment: "ok" } },
      { token: bob },
    ),
  );
  return started.id;
}

const checkpointRows = async (id: string) =>
  (
    await server.sql.query(
      `select (select count(*) from langgraph.checkpoints where thread_id = $1)
            + (select count(*) from langgraph.checkpoint_blobs where thread_id = $1)
            + (select count(*) from langgraph.checkpoint_writes where thread_id = $1) as n`,
      [id],
    )
  ).rows[0].n as number;

it("removes old checkpoints on the timer and keeps the record, decisions, events and final state", async () => {
  const old = await finishedProcess("old");
  const recent = await finishedProcess("recent");
  const before = dataOf(await gql(server.url, ProcessDetailsDocument, { id: old }, { token: alice })).process;
  expect(await checkpointRows(old)).toBeGreaterThan(0);

  await server.sql.query("update processes set completed_at = now() - interval '40 days' where id = $1", [old]);
  await until(
    async () =>
      (await server.sql.query("select checkpoints_pruned_at from processes where id = $1", [old])).rows[0]
        .checkpoints_pruned_at !== null,
  );

  expect(await checkpointRows(old)).toBe(0);
  expect(await checkpointRows(recent)).toBeGreaterThan(0);
  const after = dataOf(await gql(server.url, ProcessDetailsDocument, { id: old }, { token: alice })).process;
  expect(after?.status).toBe("APPROVED");
  expect(after?.state).toEqual(before?.state);
  expect(after?.decisions).toEqual(before?.decisions);
  expect(after?.tasks).toEqual(before?.tasks);
  expect(after?.history).toEqual([]);
  const { rows } = await server.sql.query("select count(*)::int as n from process_events where process_id = $1", [old]);
  expect(rows[0].n).toBe(4);
});

it("npm run prune does the same once, against DATABASE_URL (in production too, where it needs no JWT_SECRET)", async () => {
  const id = await finishedProcess("scripted");
  await server.sql.query("update processes set completed_at = now() - interval '10 days' where id = $1", [id]);
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/prune.ts", "--days", "5"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: server.databaseUrl, LOG_LEVEL: "warn", NODE_ENV: "production", JWT_SECRET: "" },
  });
  expect(stdout).toMatch(/removed the checkpoints of [1-9]\d* process\(es\) finished more than 5 day\(s\) ago/);
  expect(await checkpointRows(id)).toBe(0);
  const state = dataOf(await gql(server.url, ProcessDetailsDocument, { id }, { token: alice })).process?.state as {
    outcome: string;
  };
  expect(state.outcome).toBe("APPROVED");
});
