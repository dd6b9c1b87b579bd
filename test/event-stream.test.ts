/**
 * The event stream's ordering logic on its own: live events and log reads racing each other must
 * still give every sequence number exactly once, in order. (The log here is an array standing in
 * for process_events, with a read that can return a snapshot older than the live events.)
 */
import { expect, it } from "vitest";
import type { ProcessEventRow } from "../src/db/schema.js";
import { LOG_PAGE, ProcessEventBus, ProcessEventStream, sharedLogReads } from "../src/events/bus.js";

const PROCESS = "00000000-0000-4000-8000-000000000001";
const event = (sequence: number): ProcessEventRow => ({
  id: sequence,
  processId: PROCESS,
  sequence,
  type: "DECIDED",
  taskId: null,
  actor: null,
  processStatus: "RUNNING",
  processVersion: sequence,
  at: new Date(),
});

async function take(stream: ProcessEventStream, count: number): Promise<number[]> {
  const sequences: number[] = [];
  while (sequences.length < count) {
    const next = await stream.next();
    if (next.done) break;
    sequences.push(next.value.sequence);
  }
  return sequences;
}

it("a gap left by a log read with an old snapshot is read again, not skipped", async () => {
  const bus = new ProcessEventBus();
  const committed = [event(1), event(2)];
  let reads = 0;
  const stream = new ProcessEventStream({
    bus,
    processId: PROCESS,
    loadAfter: async (_id, after) => {
      reads++;
      // The first read's snapshot predates events 3 and 4; while it runs, 3 and 4 commit and only
      // 4 is announced live (3's announcement is lost).
      const snapshot = committed.filter((e) => e.sequence > after);
      if (reads === 1) {
        committed.push(event(3), event(4));
        bus.publish([event(4)]);
      }
      return snapshot;
    },
  });
  stream.begin(0, true);
  expect(await take(stream, 4)).toEqual([1, 2, 3, 4]);
  expect(reads).toBeGreaterThanOrEqual(2);
  await stream.return();
});

it("live events arriving out of order and twice are delivered once, in order", async () => {
  const bus = new ProcessEventBus();
  const log = [1, 2, 3, 4, 5].map(event);
  const stream = new ProcessEventStream({
    bus,
    processId: PROCESS,
    loadAfter: async (_id, after) => log.filter((e) => e.sequence > after),
  });
  stream.begin(0, false);
  bus.publish([event(2), event(1), event(2), event(4)]);
  bus.publish([event(3), event(5), event(1)]);
  expect(await take(stream, 5)).toEqual([1, 2, 3, 4, 5]);
  await stream.return();
  expect(bus.listenerCount(PROCESS)).toBe(0);
});

it("a stream never joins a shared log read that began before it listened", async () => {
  const bus = new ProcessEventBus();
  const log = [event(1)];
  let reads = 0;
  // Each read takes its snapshot at once and answers 30 ms later.
  const loadAfter = sharedLogReads(bus, async (_id, after) => {
    reads++;
    const snapshot = log.filter((e) => e.sequence > after);
    await new Promise((resolve) => setTimeout(resolve, 30));
    return snapshot;
  });
  const first = new ProcessEventStream({ bus, processId: PROCESS, loadAfter });
  first.begin(0, true); // its read's snapshot holds event 1 only
  // Event 2 commits and is published before the second stream exists.
  log.push(event(2));
  bus.publish([event(2)]);
  const second = new ProcessEventStream({ bus, processId: PROCESS, loadAfter });
  second.begin(0, true); // the first read is still under way: joining it would miss event 2 for good
  const missing = new Promise<string>((resolve) => setTimeout(() => resolve("event 2 never came"), 2_000).unref());
  expect(await Promise.race([take(second, 2), missing])).toEqual([1, 2]);
  expect(await take(first, 2)).toEqual([1, 2]);
  expect(reads).toBe(2);
  // Streams that listen before a read begins do share it.
  const third = new ProcessEventStream({ bus, processId: PROCESS, loadAfter });
  const fourth = new ProcessEventStream({ bus, processId: PROCESS, loadAfter });
  third.begin(0, true);
  fourth.begin(0, true);
  expect(await take(third, 2)).toEqual([1, 2]);
  expect(await take(fourth, 2)).toEqual([1, 2]);
  expect(reads).toBe(3);
  for (const stream of [first, second, third, fourth]) await stream.return();
});

it("a replay longer than the stream's buffer is read page by page as the consumer takes it", async () => {
  const bus = new ProcessEventBus();
  const log = Array.from({ length: 2_600 }, (_, i) => event(i + 1));
  const reads: number[] = [];
  const stream = new ProcessEventStream({
    bus,
    processId: PROCESS,
    loadAfter: async (_id, after) => {
      reads.push(after);
      return log.filter((e) => e.sequence > after).slice(0, LOG_PAGE);
    },
  });
  stream.begin(0, true);
  const sequences: number[] = [];
  while (sequences.length < 2_601) {
    const next = await stream.next();
    if (next.done) break;
    sequences.push(next.value.sequence);
    // A consumer slower than the log; halfway, one more event commits and is published live.
    await new Promise((resolve) => setImmediate(resolve));
    if (sequences.length === 1_300) {
      log.push(event(2_601));
      bus.publish([event(2_601)]);
    }
  }
  expect(sequences).toEqual(Array.from({ length: 2_601 }, (_, i) => i + 1));
  expect(reads.slice(0, 6)).toEqual([0, 500, 1_000, 1_500, 2_000, 2_500]);
  await stream.return();
});
