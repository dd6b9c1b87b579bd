import pg from "pg";
import type { Logger } from "pino";
import type { ProcessEventBus, PublishedEvent } from "./bus.js";

/** The PostgreSQL channel on which committed events are announced. */
export const EVENTS_CHANNEL = "process_events";

/**
 * What a transaction announces with pg_notify: ids only, far below NOTIFY's 8000-byte limit.
 * NOTIFY is transactional: it is delivered if and only if the transaction commits, even when the
 * server that committed dies right after, so the announcement is an outbox that cannot be lost.
 */
export function eventsNotification(processId: string, firstSequence: number, lastSequence: number): string {
  return `${processId}:${firstSequence}:${lastSequence}`;
}

export function parseNotification(payload: string | undefined): { processId: string; first: number; last: number } | null {
  const [processId, first, last] = (payload ?? "").split(":");
  const from = Number(first);
  const to = Number(last);
  if (!processId || !Number.isInteger(from) || !Number.isInteger(to)) return null;
  return { processId, first: from, last: to };
}

/** What a relay needs to hand announced events to this instance's subscribers. */
export type Delivery = {
  bus: ProcessEventBus;
  /** Reads logged events of a process with sequence > after, in order. */
  loadAfter: (processId: string, after: number) => Promise<PublishedEvent[]>;
  /** Reads the latest logged event of each of these processes. */
  loadLatest: (processIds: string[]) => Promise<PublishedEvent[]>;
  log: Logger;
};

export type EventRelayOptions = Delivery & {
  connectionString: string;
  /**
   * How often the listening connection is asked to answer (`select 1`); one that does not answer
   * within as long is taken for lost. A half-open connection (a peer gone without a reset) would
   * otherwise look alive for as long as the kernel's keepalive takes: hours, by default.
   */
  heartbeatMs?: number;
};

/** Publishes the events an announcement names to this instance's subscribers (none: nothing to do). */
export async function deliverAnnounced(delivery: Delivery, payload: string | undefined): Promise<void> {
  const announced = parseNotification(payload);
  const { bus, loadAfter, log } = delivery;
  if (!announced || bus.listenerCount(announced.processId) === 0) return;
  try {
    const events = await loadAfter(announced.processId, announced.first - 1);
    bus.publish(events.filter((event) => event.sequence <= announced.last));
  } catch (error) {
    // Try again shortly: the announced event may be the process's last, with none to follow.
    log.warn({ err: error, processId: announced.processId }, "could not load announced events; retrying");
    setTimeout(() => void deliverAnnounced(delivery, payload), 500).unref();
  }
}

/**
 * Catches up on what was committed while a relay was not listening: publishing each watched
 * process's latest event is enough, since a stream that sees a gap reads the rest from the log.
 * Resolves false when the log could not be read (the caller decides whether to try again).
 */
export async function catchUpWatched(delivery: Delivery): Promise<boolean> {
  const { bus, loadLatest, log } = delivery;
  const watched = bus.watchedProcesses();
  if (!watched.length) return true;
  try {
    bus.publish(await loadLatest(watched));
    return true;
  } catch (error) {
    log.warn({ err: error }, "could not catch up from the event log");
    return false;
  }
}

/**
 * Listens for committed events on a dedicated connection (never a pooled one: LISTEN belongs to a
 * session) and publishes them to this instance's subscribers. After losing the connection it
 * listens again and has every stream catch up from the event log, so nothing is missed.
 */
export class EventRelay {
  readonly #options: EventRelayOptions;
  #client: pg.Client | null = null;
  #stopped = false;
  #reconnectTimer: NodeJS.Timeout | null = null;
  #reconnecting = false;
  #attempt = 0;
  #connected: Promise<void> | null = null;
  #heartbeat: NodeJS.Timeout | null = null;
  #catchUpTimer: NodeJS.Timeout | null = null;

  constructor(options: EventRelayOptions) {
    this.#options = options;
  }

  /** Resolves once the relay listens. */
  start(): Promise<void> {
    this.#connected ??= this.#connect().then(() => {
      if (this.#stopped) return;
      const every = this.#options.heartbeatMs ?? 10_000;
      this.#heartbeat = setInterval(() => this.#checkAlive(every), every);
      this.#heartbeat.unref();
    });
    return this.#connected;
  }

  /** The listening connection must answer within `timeoutMs`, or it is replaced. */
  #checkAlive(timeoutMs: number): void {
    const client = this.#client;
    if (!client) return;
    let timer: NodeJS.Timeout | undefined;
    const silent = new Promise<never>((_, reject) => {
      // After a stalled event loop, timers run before the socket is read: give an answer that has
      // already arrived one turn of the loop to be read before calling the connection lost.
      timer = setTimeout(() => setImmediate(() => reject(new Error(`no answer within ${timeoutMs} ms`))), timeoutMs);
    });
    Promise.race([client.query("select 1"), silent]).then(
      () => clearTimeout(timer),
      (error: unknown) => {
        clearTimeout(timer);
        this.#lost(client, error instanceof Error ? error : new Error(String(error)));
      },
    );
  }

  /**
   * Opens one listening connection. Only a connection that got as far as LISTEN is adopted; one
   * that fails on the way is closed here, and its errors do not schedule anything.
   */
  async #connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.#options.connectionString,
      application_name: "approval-api-relay",
      keepAlive: true,
    });
    client.on("error", (error) => this.#lost(client, error));
    client.on("end", () => this.#lost(client, new Error("connection ended")));
    client.on("notification", (message) => {
      if (message.channel === EVENTS_CHANNEL) void this.#announce(message.payload);
    });
    try {
      await client.connect();
      await client.query(`listen ${EVENTS_CHANNEL}`);
    } catch (error) {
      this.#discard(client);
      throw error;
    }
    if (this.#stopped || this.#client) {
      this.#discard(client);
      return;
    }
    this.#client = client;
    this.#attempt = 0;
  }

  #discard(client: pg.Client): void {
    client.removeAllListeners();
    client.on("error", () => {}); // a dying connection may still report errors
    client.end().catch(() => {});
    // end() waits for the server to hang up, which a half-open connection never does.
    setTimeout(() => client.connection.stream.destroy(), 1_000).unref();
  }

  #announce(payload: string | undefined): Promise<void> {
    return deliverAnnounced(this.#options, payload);
  }

  #lost(client: pg.Client, error: Error): void {
    // Only the adopted connection's loss matters; a connection still being opened reports its
    // failure through #connect.
    if (this.#client !== client) return;
    this.#client = null;
    this.#discard(client);
    if (this.#stopped || this.#reconnecting) return;
    this.#options.log.warn({ err: error }, "event relay lost its connection; listening again");
    this.#scheduleReconnect();
  }

  /** One reconnection loop at a time: retries with backoff until a connection listens. */
  #scheduleReconnect(): void {
    this.#reconnecting = true;
    const delay = Math.min(100 * 2 ** this.#attempt, 5_000);
    this.#attempt += 1;
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = null;
      this.#connect().then(
        () => {
          this.#reconnecting = false;
          return this.#catchUp();
        },
        (error: unknown) => {
          if (this.#stopped) return;
          this.#options.log.warn({ err: error }, "event relay could not listen yet");
          this.#scheduleReconnect();
        },
      );
    }, delay);
    this.#reconnectTimer.unref();
  }

  /** Catches up from the log, trying again until it could (a process's last event has no successor to reveal the gap). */
  async #catchUp(attempt = 0): Promise<void> {
    // One chain of attempts at a time: a newer reconnection's catch-up replaces a pending one.
    if (this.#catchUpTimer) clearTimeout(this.#catchUpTimer);
    this.#catchUpTimer = null;
    if (this.#stopped || (await catchUpWatched(this.#options))) return;
    this.#catchUpTimer = setTimeout(
      () => {
        this.#catchUpTimer = null;
        void this.#catchUp(attempt + 1);
      },
      Math.min(100 * 2 ** attempt, 5_000),
    );
    this.#catchUpTimer.unref();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#reconnectTimer) clearTimeout(this.#reconnectTimer);
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    if (this.#catchUpTimer) clearTimeout(this.#catchUpTimer);
    const client = this.#client;
    this.#client = null;
    if (client) this.#discard(client);
  }
}
