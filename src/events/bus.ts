import type { ProcessEventRow } from "../db/schema.js";

/** A committed event, as published to live subscribers. */
export type PublishedEvent = ProcessEventRow;

type Listener = (event: PublishedEvent) => void;

/**
 * In-process fan-out of committed process events, keyed by process id. Publishing is synchronous
 * and never blocks on a slow subscriber: each subscription buffers on its own, up to a limit.
 */
export class ProcessEventBus {
  readonly #listeners = new Map<string, Set<Listener>>();
  #clock = 0;

  /**
   * A counter that orders moments on this bus: a listener registered at moment m has been given
   * every event published after m, so a log read that began after m misses nothing it needs.
   */
  tick(): number {
    this.#clock += 1;
    return this.#clock;
  }

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
    return () => this.unlisten(processId, listener);
  }

  /** Removes a listener added with listen() (without a closure kept per listener). */
  unlisten(processId: string, listener: Listener): void {
    const set = this.#listeners.get(processId);
    if (!set) return;
    set.delete(listener);
    if (set.size === 0) this.#listeners.delete(processId);
  }

  /** Live listeners on one process (for metrics and tests). */
  listenerCount(processId: string): number {
    return this.#listeners.get(processId)?.size ?? 0;
  }

  /** Processes that have at least one live listener here. */
  watchedProcesses(): string[] {
    return [...this.#listeners.keys()];
  }
}

/**
 * Log reads for streams that share identical reads under way: a stream joins a read of the same
 * events provided that read began after the stream began listening (whatever the read lacks then
 * reaches the stream live). Many subscribers replaying one process, or filling one gap after the
 * relay caught up, ask the same question at the same moment; they then share the event objects
 * too, and so their executions. A reader that must see what was just announced (the relay)
 * reads the log itself.
 */
export function sharedLogReads(
  bus: ProcessEventBus,
  read: (processId: string, after: number) => Promise<PublishedEvent[]>,
): EventStreamOptions["loadAfter"] {
  const under = new Map<string, { events: Promise<PublishedEvent[]>; began: number }>();
  return (processId, after, listeningSince) => {
    const key = `${processId}:${after}`;
    const current = under.get(key);
    if (current && current.began > listeningSince) return current.events;
    const entry = { events: read(processId, after), began: bus.tick() };
    under.set(key, entry);
    const forget = () => under.get(key) === entry && under.delete(key);
    entry.events.then(forget, forget);
    return entry.events;
  };
}

/**
 * How many events a stream's log read returns at most. A replay longer than that is read page by
 * page as the consumer takes what it was given, so it never overflows the stream's buffer.
 */
export const LOG_PAGE = 500;

/** How many times a stream re-reads the log for a missing event before it goes on without it. */
const MAX_GAP_READS = 8;

/** Thrown into a stream whose consumer fell too far behind. */
export class SlowSubscriberError extends Error {
  constructor(limit: number) {
    super(`subscriber fell more than ${limit} events behind`);
    this.name = "SlowSubscriberError";
  }
}

export type EventStreamOptions = {
  bus: ProcessEventBus;
  processId: string;
  /**
   * Reads the event log: events with sequence > after, in order. `listeningSince` is the bus
   * moment the stream began listening: a read shared with others must have begun after it.
   */
  loadAfter: (processId: string, after: number, listeningSince: number) => Promise<PublishedEvent[]>;
  /** Events buffered for a consumer that does not keep up; past this the stream fails. */
  maxBuffered?: number;
  /**
   * How long the stream keeps retrying a log read that fails (the database away, the pool
   * exhausted), with backoff up to 5 s, before it fails with the read's error.
   */
  logWaitMs?: number;
};

/**
 * The events of one process as an async iterator, in sequence order with no gap and no duplicate.
 * Live events are captured from the moment the stream exists; `begin(after)` then sets where
 * delivery starts and replays the log after it. A live event that skips a sequence (a missed
 * notification) makes the stream read the missing ones from the log before going on.
 */
export class ProcessEventStream implements AsyncIterableIterator<PublishedEvent> {
  readonly #bus: ProcessEventBus;
  readonly #processId: string;
  readonly #loadAfter: EventStreamOptions["loadAfter"];
  readonly #listener: Listener;
  readonly #maxBuffered: number;
  readonly #logWaitMs: number;
  readonly #ready: PublishedEvent[] = [];
  /** Live events waiting for the start position or for a gap to be filled. */
  #held: PublishedEvent[] = [];
  /** Highest sequence queued for the consumer; null until begin(). */
  #delivered: number | null = null;
  #filling = false;
  /** The last log read returned a full page: more waits to be read once the consumer has room. */
  #more = false;
  /** When the log reads began to fail (null while they succeed). */
  #failingSince: number | null = null;
  /** The bus moment this stream began listening. */
  readonly #listeningSince: number;
  #waiting: { resolve: (result: IteratorResult<PublishedEvent>) => void; reject: (error: Error) => void } | null = null;
  #failure: Error | null = null;
  #done = false;

  constructor(options: EventStreamOptions) {
    this.#bus = options.bus;
    this.#processId = options.processId;
    this.#loadAfter = options.loadAfter;
    this.#maxBuffered = options.maxBuffered ?? 1_000;
    this.#logWaitMs = options.logWaitMs ?? 60_000;
    this.#listener = (event) => this.#receive([event]);
    options.bus.listen(options.processId, this.#listener);
    this.#listeningSince = options.bus.tick();
  }

  /** Starts delivery after sequence `after`, replaying logged events past it first. */
  begin(after: number, replay: boolean): void {
    this.#delivered = after;
    if (replay) this.#fill();
    else this.#receive([]);
  }

  #receive(events: PublishedEvent[]): void {
    if (this.#done) return;
    this.#held.push(...events);
    // Events held behind a gap the log cannot fill yet are bounded like delivered ones.
    if (this.#held.length > this.#maxBuffered) {
      this.#fail(new SlowSubscriberError(this.#maxBuffered));
      return;
    }
    if (this.#delivered === null || this.#filling || this.#more) return;
    if (this.#drainHeld()) this.#fill();
  }

  /** Delivers held events in order as far as the sequence is unbroken; true when a gap is left. */
  #drainHeld(): boolean {
    this.#held.sort((a, b) => a.sequence - b.sequence);
    while (this.#held.length && !this.#done) {
      const next = this.#held[0] as PublishedEvent;
      if (next.sequence > (this.#delivered ?? 0) + 1) return true;
      this.#held.shift();
      if (next.sequence > (this.#delivered ?? 0)) this.#deliver(next);
    }
    return false;
  }

  /**
   * Reads the log after what was delivered, then goes on with what was held meanwhile. A held
   * event proves that every earlier one has committed (a process's events are numbered under its
   * row lock), so a gap left after a read (whose snapshot predated the missing event) is read
   * again rather than skipped.
   */
  #fill(attempt = 0, failures = 0): void {
    this.#filling = true;
    this.#loadAfter(this.#processId, this.#delivered ?? 0, this.#listeningSince).then(
      (logged) => {
        this.#filling = false;
        this.#failingSince = null;
        if (this.#done) return;
        this.#held.push(...logged);
        this.#more = logged.length >= LOG_PAGE;
        if (this.#more) {
          // A long replay: deliver this page; the next is read when there is room for it.
          this.#drainHeld();
          this.#readMoreIfRoom();
          return;
        }
        if (!this.#drainHeld()) return;
        if (attempt < MAX_GAP_READS) {
          setTimeout(() => !this.#done && !this.#filling && this.#fill(attempt + 1), Math.min(10 * 2 ** attempt, 500)).unref();
        } else {
          // Not found after repeated reads (it cannot be committed): go on rather than stall.
          this.#delivered = (this.#held[0] as PublishedEvent).sequence - 1;
          this.#receive([]);
        }
      },
      (error: unknown) => {
        this.#filling = false;
        if (this.#done) return;
        this.#failingSince ??= Date.now();
        if (Date.now() - this.#failingSince >= this.#logWaitMs) {
          return this.#fail(error instanceof Error ? error : new Error(String(error)));
        }
        const retry = () => !this.#done && !this.#filling && this.#fill(attempt, failures + 1);
        setTimeout(retry, Math.min(100 * 2 ** failures, 5_000)).unref();
      },
    );
  }

  #readMoreIfRoom(): void {
    if (this.#more && !this.#filling && !this.#done && this.#ready.length + LOG_PAGE <= this.#maxBuffered) this.#fill();
  }

  #deliver(event: PublishedEvent): void {
    this.#delivered = event.sequence;
    if (this.#waiting) {
      const { resolve } = this.#waiting;
      this.#waiting = null;
      resolve({ value: event, done: false });
      return;
    }
    if (this.#ready.length >= this.#maxBuffered) {
      this.#fail(new SlowSubscriberError(this.#maxBuffered));
      return;
    }
    this.#ready.push(event);
  }

  #fail(error: Error): void {
    this.#failure = error;
    this.#ready.length = 0;
    if (this.#waiting) {
      const { reject } = this.#waiting;
      this.#waiting = null;
      reject(error);
    }
    this.#stop();
  }

  #stop(): void {
    if (this.#done) return;
    this.#done = true;
    this.#held = [];
    this.#bus.unlisten(this.#processId, this.#listener);
    if (this.#waiting) {
      const { resolve } = this.#waiting;
      this.#waiting = null;
      resolve({ value: undefined, done: true });
    }
  }

  next(): Promise<IteratorResult<PublishedEvent>> {
    const event = this.#ready.shift();
    if (event) {
      this.#readMoreIfRoom();
      return Promise.resolve({ value: event, done: false });
    }
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<PublishedEvent>> {
    this.#stop();
    this.#ready.length = 0;
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<PublishedEvent> {
    return this;
  }
}
