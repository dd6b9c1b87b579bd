/**
 * The five benchmarks. Each measures the product and a baseline in the same run, so that the
 * ratio means something on a shared, noisy machine.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createClient } from "graphql-ws";
import pg from "pg";
import WebSocket from "ws";
import { benchToken, closedLoop, DECIDE, freshDatabase, percentiles, post, rssOf, START, startBenchServer } from "./support.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export type Sizes = {
  concurrency: number;
  durationMs: number;
  /** Subscriber counts the latency benchmark runs at (each: N on N processes, and N on one). */
  latencySubscribers: number[];
  /** Decisions timed per count (spread over its N processes). */
  latencySamples: number;
  /** Decisions timed on one process watched by N subscribers (each on a new process, same connections). */
  fanOutDecisions: number;
  idleSubscriptions: number;
  inboxProcesses: number;
  inboxEventsPerProcess: number;
  inboxSamples: number;
  checkpointProcesses: number;
};

export const FULL: Sizes = {
  concurrency: 16,
  durationMs: 15_000,
  latencySubscribers: [1_000, 5_000],
  latencySamples: 1_000,
  fanOutDecisions: 5,
  idleSubscriptions: 5_000,
  inboxProcesses: 100_000,
  inboxEventsPerProcess: 10,
  inboxSamples: 1_000,
  checkpointProcesses: 200,
};

/** Tiny sizes: proves every benchmark runs end to end (the test suite's smoke run). */
export const SMOKE: Sizes = {
  concurrency: 2,
  durationMs: 600,
  latencySubscribers: [3, 6],
  latencySamples: 3,
  fanOutDecisions: 2,
  idleSubscriptions: 20,
  inboxProcesses: 300,
  inboxEventsPerProcess: 2,
  inboxSamples: 10,
  checkpointProcesses: 3,
};

const request = (i: number) => ({ approver: "bob", amount: `${(i % 500) + 1}.00`, description: `bench ${i}` });

/** Starts `count` processes with `concurrency` workers; returns their ids. */
async function startProcesses(url: string, token: string, count: number, concurrency = 16): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const i = next++;
        const data = await post<{ startProcess: { process: { id: string } } }>(url, token, START, { input: request(i) });
        ids[i] = data.startProcess.process.id;
      }
    }),
  );
  return ids;
}

function runChild(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", ...args], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once("exit", (code) => (code === 0 ? resolve(output) : reject(new Error(`${args.join(" ")} exited with ${code}`))));
  });
}

// 1. Throughput ------------------------------------------------------------------------------

export type ThroughputResult = {
  productPerSecond: number;
  enginePerSecond: number;
  ratio: number;
  commitCeilingPerSecond: number;
  productShareOfCeiling: number;
};

export async function throughput(adminUrl: string, sizes: Sizes): Promise<ThroughputResult> {
  const { concurrency, durationMs } = sizes;

  const engineDb = await freshDatabase(adminUrl);
  const engine = JSON.parse(
    await runChild(["bench/engine-worker.ts", engineDb.url, String(concurrency), String(durationMs)]),
  ) as {
    perSecond: number;
  };
  await engineDb.drop();

  const productDb = await freshDatabase(adminUrl);
  const server = await startBenchServer(productDb.url);
  const [alice, bob] = await Promise.all([benchToken("alice"), benchToken("bob")]);
  let i = 0;
  const product = await closedLoop(concurrency, durationMs, async () => {
    const started = await post<{ startProcess: { process: { id: string } } }>(server.url, alice, START, { input: request(i++) });
    await post(server.url, bob, DECIDE, { input: { processId: started.startProcess.process.id, decision: "APPROVE" } });
  });
  await server.stop();
  await productDb.drop();

  const ceilingDb = await freshDatabase(adminUrl);
  const pool = new pg.Pool({ connectionString: ceilingDb.url, max: concurrency });
  // A connection pool.end() has let go of may still be closing when the database is dropped.
  pool.on("error", () => {});
  await pool.query("create table commits (id bigserial primary key, at timestamptz not null default now(), note text)");
  const ceiling = await closedLoop(concurrency, durationMs, async () => {
    await pool.query("insert into commits (note) values ($1)", ["x"]);
  });
  await pool.end();
  await ceilingDb.drop();

  return {
    productPerSecond: product.perSecond,
    enginePerSecond: engine.perSecond,
    ratio: product.perSecond / engine.perSecond,
    commitCeilingPerSecond: ceiling.perSecond,
    productShareOfCeiling: product.perSecond / ceiling.perSecond,
  };
}

// 2. Live latency ----------------------------------------------------------------------------

type Percentiles = ReturnType<typeof percentiles>;
export type LatencyRow = { subscribers: number; perProcess: Percentiles; oneProcess: Percentiles };
export type LatencyResult = { rows: LatencyRow[]; httpRoundTrip: Percentiles };

const connect = (wsUrl: string, token: string) =>
  createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    lazy: false,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${token}` },
  });

/** Subscribes to a process on a connection; `ready` resolves once the server runs the subscription. */
function subscribeTo(client: ReturnType<typeof connect>, processId: string, onCompleted: () => void) {
  let subscribed!: () => void;
  const ready = new Promise<void>((resolve) => {
    subscribed = resolve;
  });
  // after: 1 replays TASK_CREATED, which tells us the subscription is in place.
  const unsubscribe = client.subscribe(
    { query: "subscription($id: ID!) { processUpdated(id: $id, after: 1) { sequence type } }", variables: { id: processId } },
    {
      next: (result) => {
        const type = (result.data as { processUpdated: { type: string } } | undefined)?.processUpdated.type;
        if (type === "TASK_CREATED") subscribed();
        if (type === "COMPLETED") onCompleted();
      },
      error: () => {},
      complete: () => {},
    },
  );
  return { ready, unsubscribe };
}

/** Opens one graphql-ws connection with one subscription; resolves once the server runs it. */
function watch(wsUrl: string, token: string, processId: string, onCompleted: () => void) {
  const client = connect(wsUrl, token);
  const { ready } = subscribeTo(client, processId, onCompleted);
  return { ready, dispose: () => client.dispose() };
}

export async function latency(adminUrl: string, sizes: Sizes): Promise<LatencyResult> {
  const db = await freshDatabase(adminUrl);
  const server = await startBenchServer(db.url);
  const [alice, bob] = await Promise.all([benchToken("alice"), benchToken("bob")]);

  // Baseline: a trivial HTTP round trip to the same server, measured now.
  const rtt: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t0 = performance.now();
    await post(server.url, alice, "{ __typename }");
    rtt.push(performance.now() - t0);
  }

  // Largest count first; each count watches processes no earlier count has decided.
  const counts = [...sizes.latencySubscribers].sort((a, b) => b - a);
  let undecided = await startProcesses(server.url, alice, counts[0] ?? 0);
  const rows: LatencyRow[] = [];
  for (const n of counts) {
    // a) one subscriber on each of N processes; decisions one after another, spread over them.
    const ids = undecided.slice(0, n);
    const stride = Math.max(1, Math.floor(n / sizes.latencySamples));
    const timed = ids.filter((_, i) => i % stride === 0).slice(0, sizes.latencySamples);
    const arrivals = new Map<string, number>();
    const watchers = ids.map((id) => watch(server.wsUrl, alice, id, () => arrivals.set(id, performance.now())));
    await Promise.all(watchers.map((w) => w.ready));
    const perProcess: number[] = [];
    for (const id of timed) {
      await post(server.url, bob, DECIDE, { input: { processId: id, decision: "APPROVE" } });
      const returned = performance.now();
      while (!arrivals.has(id)) await new Promise((resolve) => setImmediate(resolve));
      perProcess.push((arrivals.get(id) as number) - returned);
    }
    await Promise.all(watchers.map((w) => w.dispose()));
    const decided = new Set(timed);
    undecided = undecided.filter((id) => !decided.has(id));

    // b) one process watched by N subscribers: N connections, each subscribed to the process of
    //    the round; one decision timed per round, every arrival of every round pooled.
    const fans = Array.from({ length: n }, () => connect(server.wsUrl, alice));
    const fanLatencies: number[] = [];
    for (let round = 0; round < sizes.fanOutDecisions; round++) {
      const [single] = await startProcesses(server.url, alice, 1);
      const arrivals: number[] = [];
      const subscriptions = fans.map((client) => subscribeTo(client, single as string, () => arrivals.push(performance.now())));
      await Promise.all(subscriptions.map((subscription) => subscription.ready));
      await post(server.url, bob, DECIDE, { input: { processId: single, decision: "APPROVE" } });
      const returned = performance.now();
      while (arrivals.length < fans.length) await new Promise((resolve) => setImmediate(resolve));
      fanLatencies.push(...arrivals.map((t) => t - returned));
      for (const subscription of subscriptions) subscription.unsubscribe();
    }
    await Promise.all(fans.map((client) => client.dispose()));
    rows.push({ subscribers: n, perProcess: percentiles(perProcess), oneProcess: percentiles(fanLatencies) });
  }

  await server.stop();
  await db.drop();
  return { rows: rows.sort((a, b) => a.subscribers - b.subscribers), httpRoundTrip: percentiles(rtt) };
}

// 3. Memory per idle subscription ----------------------------------------------------------

export type MemoryResult = { subscriptions: number; bytesPerSubscription: number; bytesPerBareConnection: number; ratio: number };

export async function memory(adminUrl: string, sizes: Sizes): Promise<MemoryResult> {
  const n = sizes.idleSubscriptions;
  const db = await freshDatabase(adminUrl);
  const server = await startBenchServer(db.url);
  const alice = await benchToken("alice");
  const [id] = await startProcesses(server.url, alice, 1);
  // Warm up (JIT, pools), then measure the growth for N subscriptions.
  const warm = Array.from({ length: 20 }, () => watch(server.wsUrl, alice, id as string, () => {}));
  await Promise.all(warm.map((w) => w.ready));
  const before = rssOf(server.pid);
  const watchers: Array<ReturnType<typeof watch>> = [];
  for (let i = 0; i < n; i += 200) {
    const batch = Array.from({ length: Math.min(200, n - i) }, () => watch(server.wsUrl, alice, id as string, () => {}));
    await Promise.all(batch.map((w) => w.ready));
    watchers.push(...batch);
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  const after = rssOf(server.pid);
  for (const w of [...watchers, ...warm]) w.dispose();
  await server.stop();
  await db.drop();

  // Baseline: the same number of bare WebSocket connections to a plain ws server.
  const bare = spawn(process.execPath, ["--import", "tsx", "bench/ws-server.ts"], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve) =>
    bare.stdout.once("data", (chunk: Buffer) => resolve(JSON.parse(String(chunk)).port)),
  );
  const open = (count: number) =>
    Promise.all(
      Array.from(
        { length: count },
        () =>
          new Promise<WebSocket>((resolve) => {
            const socket = new WebSocket(`ws://127.0.0.1:${port}`);
            socket.once("open", () => resolve(socket));
          }),
      ),
    );
  const warmBare = await open(20);
  const bareBefore = rssOf(bare.pid as number);
  const sockets: WebSocket[] = [];
  for (let i = 0; i < n; i += 200) sockets.push(...(await open(Math.min(200, n - i))));
  await new Promise((resolve) => setTimeout(resolve, 500));
  const bareAfter = rssOf(bare.pid as number);
  for (const socket of [...sockets, ...warmBare]) socket.terminate();
  bare.kill("SIGTERM");

  const bytesPerSubscription = (after - before) / n;
  const bytesPerBareConnection = (bareAfter - bareBefore) / n;
  return { subscriptions: n, bytesPerSubscription, bytesPerBareConnection, ratio: bytesPerSubscription / bytesPerBareConnection };
}

// 4. Inbox at size -------------------------------------------------------------------------

export type InboxResult = {
  processes: number;
  events: number;
  api: Percentiles;
  sql: Percentiles;
  openTasks: number;
  samples: number;
};

/** The inbox query exactly as the service sends it, for the SQL baseline. */
const INBOX_SQL = `select * from tasks
  where status = 'OPEN' and (assignee = $1 or candidate_groups && $2::text[])
    and not exists (select 1 from processes p where p.id = tasks.process_id and p.initiator = $1)
  order by created_at, id limit 21`;

export async function inbox(adminUrl: string, sizes: Sizes): Promise<InboxResult> {
  const db = await freshDatabase(adminUrl);
  // Start (and stop) a server once so that the migrations create the tables.
  const migrate = await startBenchServer(db.url);
  await migrate.stop();
  const sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  const n = sizes.inboxProcesses;
  const e = sizes.inboxEventsPerProcess;
  // A bulk seeder: set-based inserts, minutes not hours. 1,000 users approve each other's requests;
  // one user in ten of the processes still waits; "inbox-user" holds exactly 50 open tasks.
  await sql.query(`
    insert into processes (id, workflow, status, initiator, approver, amount, currency, description, version, last_sequence, created_at, updated_at, completed_at)
    select gen_random_uuid(), 'expense-approval', case when g % 10 = 0 then 'PENDING_REVIEW' else 'APPROVED' end,
           'user' || (g % 1000), 'user' || ((g + 1) % 1000), (g % 900 + 1)::numeric(12,2), 'USD', 'seeded ' || g, ${e}, ${e},
           now() - (g || ' seconds')::interval, now(), case when g % 10 = 0 then null else now() end
    from generate_series(1, ${n}) g`);
  await sql.query(`
    insert into tasks (id, process_id, kind, status, assignee, candidate_groups, allowed_decisions, interrupt_id, node, title, payload, created_at, completed_at)
    select gen_random_uuid(), p.id, 'REVIEW', case when p.status = 'PENDING_REVIEW' then 'OPEN' else 'COMPLETED' end, p.approver,
           case when random() < 0.05 then '{finance}'::text[] else '{}'::text[] end, '{APPROVE,REJECT}', md5(p.id::text), 'review',
           'seeded', '{}', p.created_at, p.completed_at
    from processes p`);
  await sql.query(`
    insert into process_events (process_id, sequence, type, process_status, process_version, at)
    select p.id, s, case when s = 1 then 'STARTED' when s = 2 then 'TASK_CREATED' else 'DECIDED' end, p.status, s, p.created_at
    from processes p cross join generate_series(1, ${e}) s`);
  await sql.query(`
    insert into processes (id, workflow, status, initiator, approver, amount, currency, description, version, last_sequence)
    select gen_random_uuid(), 'expense-approval', 'PENDING_REVIEW', 'user7', 'inbox-user', 10, 'USD', 'for the inbox ' || g, 2, 0
    from generate_series(1, 50) g`);
  await sql.query(`
    insert into tasks (id, process_id, kind, assignee, allowed_decisions, interrupt_id, node, title, payload)
    select gen_random_uuid(), id, 'REVIEW', 'inbox-user', '{APPROVE,REJECT}', md5(id::text), 'review', 'inbox', '{}'
    from processes where approver = 'inbox-user'`);
  await sql.query("analyze");
  const counts = (
    await sql.query("select (select count(*) from processes)::int as p, (select count(*) from process_events)::int as e")
  ).rows[0];

  const server = await startBenchServer(db.url);
  const token = await benchToken("inbox-user");
  const query = "{ pendingTasks(first: 20) { totalCount edges { node { id title process { id amount } } } } }";
  const api: number[] = [];
  const direct: number[] = [];
  let openTasks = 0;
  for (let i = 0; i < sizes.inboxSamples + 20; i++) {
    const t0 = performance.now();
    const data = await post<{ pendingTasks: { totalCount: number } }>(server.url, token, query);
    if (i >= 20) api.push(performance.now() - t0);
    openTasks = data.pendingTasks.totalCount;
    const t1 = performance.now();
    await sql.query(INBOX_SQL, ["inbox-user", []]);
    if (i >= 20) direct.push(performance.now() - t1);
  }
  await server.stop();
  await sql.end();
  await db.drop();
  return {
    processes: counts.p,
    events: counts.e,
    api: percentiles(api),
    sql: percentiles(direct),
    openTasks,
    samples: api.length,
  };
}

// 5. Checkpoint growth ---------------------------------------------------------------------

export type CheckpointResult = {
  processes: number;
  checkpointBytesPerProcess: number;
  businessBytesPerProcess: number;
  checkpointBytesPerProcessAfterPrune: number;
};

const TABLE_BYTES = (schema: string, tables: string[]) => `
  select coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint as bytes
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where n.nspname = '${schema}' and c.relkind = 'r' ${tables.length ? `and c.relname in (${tables.map((t) => `'${t}'`).join(",")})` : ""}`;

export async function checkpoints(adminUrl: string, sizes: Sizes): Promise<CheckpointResult> {
  const db = await freshDatabase(adminUrl);
  const server = await startBenchServer(db.url);
  const [alice, bob] = await Promise.all([benchToken("alice"), benchToken("bob")]);
  const ids = await startProcesses(server.url, alice, sizes.checkpointProcesses);
  for (const id of ids) await post(server.url, bob, DECIDE, { input: { processId: id, decision: "APPROVE" } });
  await server.stop();

  const sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  const measure = async () => {
    await sql.query("vacuum full");
    const checkpoint = Number(
      (await sql.query(TABLE_BYTES("langgraph", ["checkpoints", "checkpoint_blobs", "checkpoint_writes"]))).rows[0].bytes,
    );
    const business = Number(
      (await sql.query(TABLE_BYTES("public", ["processes", "tasks", "decisions", "process_events", "idempotency_keys"]))).rows[0]
        .bytes,
    );
    return { checkpoint, business };
  };
  const before = await measure();
  // The retention job, as `npm run prune -- --days 0` runs it.
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/prune.ts", "--days", "0"], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: db.url, LOG_LEVEL: "warn" },
      stdio: "ignore",
    });
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`prune exited with ${code}`))));
  });
  const after = await measure();
  await sql.end();
  await db.drop();
  const n = sizes.checkpointProcesses;
  return {
    processes: n,
    checkpointBytesPerProcess: before.checkpoint / n,
    businessBytesPerProcess: before.business / n,
    checkpointBytesPerProcessAfterPrune: after.checkpoint / n,
  };
}
