import type { ProcessEventRow } from "../db/schema.js";

/** A committed event, as published to live subscribers. */
export type PublishedEvent = ProcessEventRow;

type Listener = (event: PublishedEvent) => void;

/**
 * In-process fan-out of committed process events, keyed by process id. Publishing is synchronous
 * and never blocks on a slow subscriber: each subscription buffers on its own.
 */
export class ProcessEventBus {
  readonly #listeners = new Map<string, Set<Listener>>();

  publish(events: readonly PublishedEvent[]): void {
    for (const event of events) {
      const listeners = this.#listeners.get(event.processId);
      if (!listeners) continue;
      for (const listener of listeners) listener(event);
    }
  }

  /** Registers a listener for one process; returns the function that removes it. */
  listen(processId: string, listener: Listener): () => void {
    let listeners = this.#listeners.get(processId);
    if (!listeners) {
      listeners = new Set();
      this.#listeners.set(processId, listeners);
    }
    listeners.add(listener);
    return () => {
      const set = this.#listeners.get(processId);
      if (!set) return;
      set.delete(listener);
      if (set.size === 0) this.#listeners.delete(processId);
    };
  }

  /** Live listeners on one process (for metrics and tests). */
  listenerCount(processId: string): number {
    return this.#listeners.get(processId)?.size ?? 0;
  }
}

/**
 * The events of one process as an async iterator: first every logged event after `after` (when
 * given), then live ones, with no gap and no duplicate at the seam. Live events are captured
 * before the log is read, so nothing committed in between is missed.
 */
export function processEventStream(options: {
  bus: ProcessEventBus;
  processId: string;
  after: number | undefined;
  loadAfter: (processId: string, after: number) => Promise<PublishedEvent[]>;
  /** Events buffered for a subscriber that does not keep up; past this the stream fails. */
  maxBuffered?: number;
}): AsyncIterableIterator<PublishedEvent> {
  const { bus, processId, loadAfter } = options;
  const maxBuffered = options.maxBuffered ?? 1_000;
  const buffer: PublishedEvent[] = [];
  let waiting: ((result: IteratorResult<PublishedEvent>) => void) | null = null;
  let failWaiting: ((error: Error) => void) | null = null;
  let failure: Error | null = null;
  let done = false;
  // Highest sequence handed to (or queued for) the consumer; anything at or below it is a duplicate.
  let delivered = options.after ?? Number.NEGATIVE_INFINITY;
  let replaying = options.after !== undefined;
  const heldDuringReplay: PublishedEvent[] = [];

  const deliver = (event: PublishedEvent) => {
    if (done || event.sequence <= delivered) return;
    delivered = event.sequence;
    if (waiting) {
      const resolve = waiting;
      waiting = null;
      failWaiting = null;
      resolve({ value: event, done: false });
      return;
    }
    if (buffer.length >= maxBuffered) {
      fail(new Error(`subscriber fell more than ${maxBuffered} events behind`));
      return;
    }
    buffer.push(event);
  };

  const fail = (error: Error) => {
    failure = error;
    stop();
    if (failWaiting) {
      const reject = failWaiting;
      waiting = null;
      failWaiting = null;
      reject(error);
    }
  };

  const unlisten = bus.listen(processId, (event) => {
    if (replaying) heldDuringReplay.push(event);
    else deliver(event);
  });

  const stop = () => {
    if (done) return;
    done = true;
    unlisten();
    if (waiting) {
      const resolve = waiting;
      waiting = null;
      failWaiting = null;
      resolve({ value: undefined, done: true });
    }
  };

  if (replaying) {
    loadAfter(processId, options.after ?? 0).then(
      (logged) => {
        replaying = false;
        const all = [...logged, ...heldDuringReplay].sort((a, b) => a.sequence - b.sequence);
        heldDuringReplay.length = 0;
        for (const event of all) deliver(event);
      },
      (error: unknown) => fail(error instanceof Error ? error : new Error(String(error))),
    );
  }

  const iterator: AsyncIterableIterator<PublishedEvent> = {
    next() {
      if (failure && buffer.length === 0) return Promise.reject(failure);
      const event = buffer.shift();
      if (event) return Promise.resolve({ value: event, done: false });
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve, reject) => {
        waiting = resolve;
        failWaiting = reject;
      });
    },
    return() {
      stop();
      buffer.length = 0;
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
