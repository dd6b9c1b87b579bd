/**
 * The inbox and the event replay are index scans, not table scans, on a table big enough for the
 * planner to care (ANALYZEd, tens of thousands of rows).
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { gql, subscribe, tokenFor, wsClient } from "./support/client.js";
import { startTestServer, type TestServer } from "./support/server.js";
import { recordStatements } from "./support/statements.js";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  const sql = server.sql;
  await sql.query(`
    insert into processes (id, workflow, status, initiator, approver, amount, currency, description, version, last_sequence)
    select gen_random_uuid(), 'expense-approval', case when g % 10 = 0 then 'PENDING_REVIEW' else 'APPROVED' end,
           'user' || (g % 500), 'user' || ((g + 1) % 500), 10, 'USD', 'seeded', 5, 5
    from generate_series(1, 20000) g`);
  await sql.query(`
    insert into tasks (id, process_id, kind, status, assignee, candidate_groups, allowed_decisions, interrupt_id, node, title, payload)
    select gen_random_uuid(), id, 'REVIEW', case when status = 'PENDING_REVIEW' then 'OPEN' else 'COMPLETED' end, approver,
           case when random() < 0.05 then '{finance}'::text[] else '{}'::text[] end, '{APPROVE,REJECT}', md5(id::text), 'review', 't', '{}'
    from processes`);
  await sql.query(`
    insert into process_events (process_id, sequence, type, process_status, process_version)
    select p.id, s, 'DECIDED', p.status, s from processes p cross join generate_series(1, 5) s`);
  await sql.query("analyze");
});

afterAll(() => server.close());

/** A value as an SQL literal, for EXECUTE. */
function literal(value: unknown): string {
  if (Array.isArray(value)) return `'{${value.map((v) => `"${String(v).replace(/["\\]/g, "\\$&")}"`).join(",")}}'`;
  if (typeof value === "number") return String(value);
  return `'${String(value instanceof Date ? value.toISOString() : value).replace(/'/g, "''")}'`;
}

/** The plan PostgreSQL uses for a prepared statement once it settles on a generic plan. */
async function genericPlan(query: string, params: unknown[]): Promise<string> {
  const client = await server.sql.connect();
  try {
    await client.query("set plan_cache_mode = force_generic_plan");
    await client.query(`prepare generic_plan as ${query}`);
    const { rows } = await client.query(`explain execute generic_plan(${params.map(literal).join(", ")})`);
    return rows.map((row) => row["QUERY PLAN"]).join("\n");
  } finally {
    await client.query("deallocate all; reset plan_cache_mode");
    client.release();
  }
}

async function plan(query: string, params: unknown[]): Promise<string> {
  const { rows } = await server.sql.query(`explain ${query}`, params);
  return rows.map((row) => row["QUERY PLAN"]).join("\n");
}

it("the inbox (open tasks for a user or their groups, oldest first) uses the open-task indexes", async () => {
  // The statement the API itself sends for pendingTasks, caught on its way to PostgreSQL.
  const recording = recordStatements();
  try {
    const token = await tokenFor("user7", { groups: ["finance"] });
    const response = await gql(server.url, "{ pendingTasks(first: 20) { totalCount edges { node { id } } } }", {}, { token });
    expect(response.errors).toBeUndefined();
  } finally {
    recording.stop();
  }
  const sent = recording.sent.filter(({ text }) => text.includes('from "tasks"') && text.includes("order by"));
  expect(sent).toHaveLength(1);
  const inbox = sent[0] as { text: string; values: unknown[] };
  expect(inbox.text).toContain("candidate_groups");
  // The plan for these values, and the generic plan a prepared statement may settle on.
  for (const text of [await plan(inbox.text, inbox.values), await genericPlan(inbox.text, inbox.values)]) {
    expect(text).toMatch(/Index Scan|Bitmap Index Scan/);
    expect(text).toContain("tasks_open_assignee_idx");
    expect(text).toContain("tasks_open_groups_idx");
    expect(text).not.toMatch(/Seq Scan/);
  }
});

it("the event replay (a process's events after a sequence) uses the primary key", async () => {
  // The statement a subscription with `after` sends to replay the log, caught on its way.
  const { rows } = await server.sql.query("select id from processes limit 1");
  const recording = recordStatements();
  const client = wsClient(server.wsUrl, await tokenFor("root", { roles: ["admin"] }));
  try {
    const replay = subscribe(client, "subscription($id: ID!) { processUpdated(id: $id, after: 2) { sequence } }", {
      id: rows[0].id,
    });
    const replayed = await replay.waitFor(3);
    expect(replayed.map((result) => (result.data as { processUpdated: { sequence: number } }).processUpdated.sequence)).toEqual([
      3, 4, 5,
    ]);
  } finally {
    recording.stop();
    await client.dispose();
  }
  const sent = recording.sent.filter(({ text }) => text.includes('from "process_events"'));
  expect(sent.length).toBeGreaterThanOrEqual(1);
  const replay = sent[0] as { text: string; values: unknown[] };
  for (const text of [await plan(replay.text, replay.values), await genericPlan(replay.text, replay.values)]) {
    expect(text).toMatch(/Index Scan (using|on) process_events_process_id_sequence_pk/);
    expect(text).not.toMatch(/Seq Scan/);
  }
});
