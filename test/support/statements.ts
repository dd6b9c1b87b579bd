import pg from "pg";

export type SentStatement = { name?: string; text: string; values: unknown[] };

/**
 * Records every statement this process's pg clients send (the server under test runs in the same
 * process) until `stop()` is called.
 */
export function recordStatements(): { sent: SentStatement[]; stop(): void } {
  const sent: SentStatement[] = [];
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const [config, values] = args as [{ name?: string; text?: string; values?: unknown[] } | string, unknown[] | undefined];
    if (typeof config === "string") sent.push({ text: config, values: values ?? [] });
    else sent.push({ name: config.name, text: String(config.text), values: config.values ?? values ?? [] });
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query;
  return {
    sent,
    stop: () => {
      pg.Client.prototype.query = query;
    },
  };
}
