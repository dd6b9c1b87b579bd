/**
 * The baseline for the throughput benchmark: the same workflow invoked and resumed directly on
 * LangGraph with PostgresSaver, no GraphQL and no business tables, as its own process (like the
 * server is). Prints one line of JSON: { completed, perSecond }.
 *
 *   tsx bench/engine-worker.ts <databaseUrl> <concurrency> <durationMs>
 */
import { randomUUID } from "node:crypto";
import { Command } from "@langchain/langgraph";
import { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";
import pg from "pg";
import { buildExpenseApprovalGraph } from "../src/workflows/expense-approval.js";
import { closedLoop } from "./support.js";

const [databaseUrl, concurrencyArg, durationArg] = process.argv.slice(2);
const concurrency = Number(concurrencyArg);
const pool = new pg.Pool({ connectionString: databaseUrl, max: 20 });
pool.on("error", () => {});
const checkpointer = new PostgresSaver(pool, undefined, { schema: "langgraph" });
await checkpointer.setup();
const graph = buildExpenseApprovalGraph(checkpointer);

const result = await closedLoop(concurrency, Number(durationArg), async () => {
  const config = { configurable: { thread_id: randomUUID() } };
  await graph.invoke(
    { request: { initiator: "alice", approver: "bob", amount: "12.00", currency: "USD", description: "engine" } },
    config,
  );
  await graph.invoke(
    new Command({ resume: { decision: "APPROVE", comment: null, decidedBy: "bob", decidedAt: new Date().toISOString() } }),
    config,
  );
});
await pool.end();
console.log(JSON.stringify(result));
