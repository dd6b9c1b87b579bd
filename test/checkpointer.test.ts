/**
 * BatchedPostgresSaver writes what PostgresSaver writes: the same graph run through each (in its
 * own schema) leaves the same rows, and both read back the same state, history and pending writes.
 */
import { Annotation, Command, END, interrupt, START, StateGraph } from "@langchain/langgraph";
import { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { BatchedPostgresSaver } from "../src/db/checkpointer.js";
import { createTestDatabase } from "./support/database.js";
import { recordStatements } from "./support/statements.js";

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: pg.Pool;

beforeAll(async () => {
  database = await createTestDatabase();
  pool = new pg.Pool({ connectionString: database.url, max: 4 });
  pool.on("error", () => {}); // see test/support/server.ts
});

afterAll(async () => {
  await pool.end();
  await database.drop();
});

const State = Annotation.Root({
  log: Annotation<string[]>({ reducer: (all, more) => all.concat(more), default: () => [] }),
  answer: Annotation<string | null>({ reducer: (_, next) => next, default: () => null }),
  blob: Annotation<string>({ reducer: (_, next) => next, default: () => "" }),
});

function graphOn(checkpointer: PostgresSaver) {
  return new StateGraph(State)
    .addNode("first", () => ({ log: ["first"], blob: "x".repeat(10_000) }))
    .addNode("ask", () => {
      const answer = interrupt<{ question: string }, string>({ question: "ok?" });
      return { log: [`ask:${answer}`], answer };
    })
    .addNode("last", () => ({ log: ["last"] }))
    .addEdge(START, "first")
    .addEdge("first", "ask")
    .addEdge("ask", "last")
    .addEdge("last", END)
    .compile({ checkpointer });
}

async function runThrough(checkpointer: PostgresSaver, durability: "sync" | "exit") {
  const graph = graphOn(checkpointer);
  const config = { configurable: { thread_id: `thread-${durability}` } };
  await graph.invoke({ log: ["start"] }, { ...config, durability });
  const waiting = await graph.getState(config);
  await graph.invoke(new Command({ resume: "yes" }), { ...config, durability });
  const done = await graph.getState(config);
  const history = [];
  for await (const snapshot of graph.getStateHistory(config)) history.push(snapshot);
  const tuple = await checkpointer.getTuple({
    configurable: { ...config.configurable, checkpoint_id: waiting.config.configurable?.checkpoint_id },
  });
  return {
    waiting: {
      values: waiting.values,
      next: waiting.next,
      interrupts: waiting.tasks.map((t) => t.interrupts.map((i) => i.value)),
    },
    done: { values: done.values, next: done.next },
    history: history.map((s) => ({ next: s.next, step: s.metadata?.step, source: s.metadata?.source, values: s.values })),
    // Interrupt ids derive from checkpoint ids, which are time-based: compare what was asked.
    pendingWrites: tuple?.pendingWrites?.map(([, channel, value]) => [channel, (value as { value?: unknown })?.value ?? value]),
  };
}

async function rowCounts(schema: string, thread: string) {
  const { rows } = await pool.query(
    `select (select count(*) from "${schema}".checkpoints where thread_id = $1)::int as checkpoints,
            (select count(*) from "${schema}".checkpoint_blobs where thread_id = $1)::int as blobs,
            (select count(*) from "${schema}".checkpoint_writes where thread_id = $1)::int as writes,
            (select string_agg(channel || ':' || type || ':' || coalesce(md5(blob), '-'), ',' order by channel, version) from "${schema}".checkpoint_blobs where thread_id = $1) as blob_contents`,
    [thread],
  );
  return rows[0];
}

for (const durability of ["sync", "exit"] as const) {
  it(`writes the same rows and reads back the same state as PostgresSaver (durability ${durability})`, async () => {
    const stock = new PostgresSaver(pool, undefined, { schema: "stock" });
    const batched = new BatchedPostgresSaver(pool, "batched");
    await stock.setup();
    await batched.setup();
    const fromStock = await runThrough(stock, durability);
    const fromBatched = await runThrough(batched, durability);
    expect(fromBatched).toEqual(fromStock);
    expect(fromStock.done.values.log).toEqual(["start", "first", "ask:yes", "last"]);
    const stockRows = await rowCounts("stock", `thread-${durability}`);
    expect(stockRows.checkpoints).toBeGreaterThan(0);
    expect(await rowCounts("batched", `thread-${durability}`)).toEqual(stockRows);
  });
}

it("onNewThread: the first run reads nothing, and what it writes is read back at once", async () => {
  const batched = new BatchedPostgresSaver(pool, "batched");
  await batched.setup();
  const graph = graphOn(batched);
  const config = { configurable: { thread_id: "thread-new" } };
  const recording = recordStatements();
  try {
    const waiting = await batched.onNewThread("thread-new", async () => {
      await graph.invoke({ log: ["start"] }, { ...config, durability: "exit" });
      // The run's checkpoint is written: from here on the thread is read as usual.
      return graph.getState(config);
    });
    expect(waiting.next).toEqual(["ask"]);
    expect(waiting.values.log).toEqual(["start", "first"]);
  } finally {
    recording.stop();
  }
  const reads = recording.sent.filter(({ text }) => /^\s*select/i.test(text) && text.includes("checkpoints"));
  expect(reads).toHaveLength(1);
});
