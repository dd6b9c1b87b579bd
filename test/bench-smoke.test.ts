/**
 * A smoke run of every benchmark with tiny sizes: they must run end to end and produce figures.
 * (Speed itself is measured by `npm run bench`, never asserted here.)
 */
import { expect, inject, it } from "vitest";
import { checkpoints, inbox, latency, memory, SMOKE, throughput } from "../bench/benchmarks.js";

const adminUrl = () => inject("adminDatabaseUrl");
const finite = (value: number) => expect(Number.isFinite(value), String(value)).toBe(true);

it("throughput: product, engine and commit ceiling", async () => {
  const r = await throughput(adminUrl(), SMOKE);
  for (const value of [r.productPerSecond, r.enginePerSecond, r.commitCeilingPerSecond]) expect(value).toBeGreaterThan(0);
  finite(r.ratio);
});

it("latency: per process, one process fanned out, HTTP round trip", async () => {
  const r = await latency(adminUrl(), SMOKE);
  expect(r.rows.map((row) => row.subscribers)).toEqual(SMOKE.latencySubscribers);
  for (const row of r.rows) {
    expect(row.perProcess.n).toBe(Math.min(row.subscribers, SMOKE.latencySamples));
    expect(row.oneProcess.n).toBe(row.subscribers * SMOKE.fanOutDecisions);
    for (const value of [row.perProcess.p99, row.oneProcess.p99]) finite(value);
  }
  finite(r.httpRoundTrip.p99);
});

it("memory: per idle subscription and per bare connection", async () => {
  const r = await memory(adminUrl(), SMOKE);
  finite(r.bytesPerSubscription);
  finite(r.bytesPerBareConnection);
});

it("inbox: seeded, the user's 50 open tasks, API and SQL timings", async () => {
  const r = await inbox(adminUrl(), SMOKE);
  expect(r.openTasks).toBe(50);
  expect(r.events).toBe(SMOKE.inboxProcesses * SMOKE.inboxEventsPerProcess);
  finite(r.api.p99);
  finite(r.sql.p99);
});

it("checkpoints: bytes per process before and after the retention job", async () => {
  const r = await checkpoints(adminUrl(), SMOKE);
  expect(r.checkpointBytesPerProcess).toBeGreaterThan(0);
  expect(r.checkpointBytesPerProcessAfterPrune).toBeLessThan(r.checkpointBytesPerProcess);
});
