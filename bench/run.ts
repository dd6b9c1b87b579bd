/**
 * npm run bench: the five benchmarks, each against its baseline in the same run. Prints the
 * figures and appends them, with the machine and the date, to bench/RESULTS.md.
 *
 *   npm run bench                       full sizes (several minutes)
 *   npm run bench -- --only throughput  one of: throughput, latency, memory, inbox, checkpoints
 *   npm run bench -- --smoke            tiny sizes, nothing written (what the test suite runs)
 */
import { appendFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { buildServer } from "../test/support/process.js";
import { checkpoints, FULL, inbox, latency, memory, type Sizes, SMOKE, throughput } from "./benchmarks.js";
import { benchDatabase, machine, round } from "./support.js";

const { values } = parseArgs({
  options: { smoke: { type: "boolean", default: false }, only: { type: "string", multiple: true } },
});
const sizes: Sizes = values.smoke ? SMOKE : FULL;
const selected = (name: string) => !values.only?.length || values.only.includes(name);

// The benchmarks measure the server users run: `npm start`'s compiled one.
buildServer();
const database = await benchDatabase();
const lines: string[] = [];
const say = (line: string) => {
  console.log(line);
  lines.push(line);
};
const ms = (value: number) => `${round(value, 2)} ms`;

try {
  say(`### ${new Date().toISOString()}${values.smoke ? " (smoke sizes)" : ""}`);
  say("");
  say(`Machine: ${machine(database.version)}.`);
  say("");
  say("| benchmark | product | baseline (same run) | ratio | goal |");
  say("| --- | --- | --- | --- | --- |");

  if (selected("throughput")) {
    const r = await throughput(database.adminUrl, sizes);
    say(
      `| 1. throughput, concurrency ${sizes.concurrency}, ${sizes.durationMs / 1000} s | ${round(r.productPerSecond)} processes/s through GraphQL over HTTP (start + decide) | ${round(r.enginePerSecond)} processes/s, the graph invoked and resumed directly on PostgresSaver | **${round(r.ratio, 2)}** | ≥ 0.8 (stretch ≥ 1.0) |`,
    );
    say(
      `| 1b. share of the commit ceiling | ${round(r.productPerSecond)} processes/s | ${round(r.commitCeilingPerSecond)} single-row insert commits/s at concurrency ${sizes.concurrency} | ${round(r.productShareOfCeiling, 3)} | (information) |`,
    );
  }
  if (selected("latency")) {
    const r = await latency(database.adminUrl, sizes);
    const p = (x: { p50: number; p95: number; p99: number }) => `p50 ${ms(x.p50)}, p95 ${ms(x.p95)}, p99 ${ms(x.p99)}`;
    const rtt = r.httpRoundTrip;
    for (const row of r.rows) {
      say(
        `| 2a. live latency, ${row.subscribers} subscribers on ${row.subscribers} processes, ${row.perProcess.n} decisions timed (decide returned → COMPLETED received) | ${p(row.perProcess)} | trivial HTTP round trip: ${p(rtt)} | p99 ${round(row.perProcess.p99 / rtt.p99, 2)}× | p99 < 50 ms at 1,000 |`,
      );
    }
    for (const row of r.rows) {
      say(
        `| 2b. live latency, 1 process watched by ${row.subscribers} subscribers, ${sizes.fanOutDecisions} decisions (each on its own process) | ${p(row.oneProcess)} over all ${row.oneProcess.n} arrivals | (same) | p99 ${round(row.oneProcess.p99 / rtt.p99, 2)}× | p99 < 50 ms at 1,000 |`,
      );
    }
  }
  if (selected("memory")) {
    const r = await memory(database.adminUrl, sizes);
    say(
      `| 3. memory per idle subscription, N = ${r.subscriptions} | ${round(r.bytesPerSubscription / 1024, 1)} KB RSS each (one graphql-ws connection + subscription) | ${round(r.bytesPerBareConnection / 1024, 1)} KB per bare ws connection | ${round(r.ratio, 2)} | < 20 KB |`,
    );
  }
  if (selected("inbox")) {
    const r = await inbox(database.adminUrl, sizes);
    say(
      `| 4. inbox (pendingTasks, ${r.openTasks} open tasks) with ${r.processes} processes, ${r.events} events, ${r.samples} requests timed | p50 ${ms(r.api.p50)}, p99 ${ms(r.api.p99)} over HTTP | the inbox SQL alone: p50 ${ms(r.sql.p50)}, p99 ${ms(r.sql.p99)} | p99 ${round(r.api.p99 / r.sql.p99, 1)}× | p99 < 10 ms |`,
    );
  }
  if (selected("checkpoints")) {
    const r = await checkpoints(database.adminUrl, sizes);
    say(
      `| 5. checkpoint growth, ${r.processes} completed processes | ${round(r.checkpointBytesPerProcess / 1024, 1)} KB of LangGraph tables per process; ${round(r.checkpointBytesPerProcessAfterPrune / 1024, 2)} KB after \`npm run prune -- --days 0\` | ${round(r.businessBytesPerProcess / 1024, 1)} KB of business tables per process | ${round(r.checkpointBytesPerProcess / r.businessBytesPerProcess, 1)} | (information; prune keeps record and final state) |`,
    );
  }
  say("");
  if (!values.smoke) appendFileSync(new URL("./RESULTS.md", import.meta.url), `${lines.join("\n")}\n`);
} finally {
  await database.stop();
}
