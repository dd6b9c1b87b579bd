import { Redis } from "ioredis";
import { catchUpWatched, type Delivery, deliverAnnounced, EVENTS_CHANNEL, eventsNotification } from "./relay.js";

/** An announcement of committed events: ids only. */
export type Announcement = { processId: string; first: number; last: number };

/**
 * Fan-out through Redis, for many instances: the instance that committed publishes the ids after
 * the commit, and every instance subscribes. A publish lost to a crash right after the commit is
 * made good by the event log: streams fill gaps on the next event, and a reconciliation pass
 * publishes each watched process's latest event every `reconcileMs`, so an event can be delayed
 * but never lost. After a reconnect the subscriber catches up the same way.
 */
export class RedisFanOut {
  readonly #publisher: Redis;
  readonly #subscriber: Redis;
  readonly #delivery: Delivery;
  #reconcileTimer: NodeJS.Timeout | undefined;
  #subscribedOnce = false;

  constructor(
    url: string,
    delivery: Delivery,
    readonly reconcileMs = 1_000,
  ) {
    this.#delivery = delivery;
    const options = { lazyConnect: true, maxRetriesPerRequest: 2, connectionName: "approval-api-relay" };
    this.#publisher = new Redis(url, options);
    this.#subscriber = new Redis(url, options);
    for (const client of [this.#publisher, this.#subscriber]) {
      client.on("error", (error: Error) => delivery.log.warn({ err: error }, "redis connection error"));
    }
    this.#subscriber.on("message", (channel: string, message: string) => {
      if (channel === EVENTS_CHANNEL) void deliverAnnounced(delivery, message);
    });
    // ioredis re-subscribes by itself after a reconnect; what was missed meanwhile comes from the log.
    this.#subscriber.on("ready", () => {
      if (this.#subscribedOnce) void catchUpWatched(delivery);
    });
  }

  async start(): Promise<void> {
    await Promise.all([this.#publisher.connect(), this.#subscriber.connect()]);
    await this.#subscriber.subscribe(EVENTS_CHANNEL);
    this.#subscribedOnce = true;
    this.#reconcileTimer = setInterval(() => void catchUpWatched(this.#delivery), this.reconcileMs);
    this.#reconcileTimer.unref();
  }

  /** Publishes committed events' ids (after the commit). */
  announce(announcements: readonly Announcement[]): void {
    for (const { processId, first, last } of announcements) {
      this.#publisher.publish(EVENTS_CHANNEL, eventsNotification(processId, first, last)).catch((error: unknown) => {
        this.#delivery.log.warn({ err: error, processId }, "could not publish to redis; the event log will make up for it");
      });
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.#reconcileTimer);
    this.#subscriber.disconnect();
    await this.#publisher.quit().catch(() => this.#publisher.disconnect());
  }
}
