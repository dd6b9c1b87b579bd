import DataLoader from "dataloader";
import { type Authenticator, InvalidTokenError, type Viewer } from "./auth.js";
import type { DecisionRow, ProcessRow, TaskRow } from "./db/schema.js";
import { UnauthenticatedError } from "./errors.js";
import type { ProcessService } from "./processes/service.js";

export type Loaders = {
  process: DataLoader<string, ProcessRow | null>;
  task: DataLoader<string, TaskRow | null>;
  tasksOfProcess: DataLoader<string, TaskRow[]>;
  decisionsOfProcess: DataLoader<string, DecisionRow[]>;
};

export type Context = {
  /** The authenticated caller, or null (no token, or an invalid one: see authError). */
  viewer: Viewer | null;
  authError: string | null;
  processes: ProcessService;
  loaders: Loaders;
};

/** What both transports know about a request when its context is built. */
export type RequestInfo = { authorization: string | null | undefined };

const byId = <T extends { id: string }>(rows: T[], ids: readonly string[]) => {
  const found = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => found.get(id) ?? null);
};

const groupedBy = <T>(rows: T[], ids: readonly string[], key: (row: T) => string) => {
  const groups = new Map<string, T[]>(ids.map((id) => [id, []]));
  for (const row of rows) groups.get(key(row))?.push(row);
  return ids.map((id) => groups.get(id) ?? []);
};

const NO_CACHE = { cache: false } as const;

/**
 * Loaders batch the lookups of one tick into one query. They do not cache: a subscription keeps
 * its context for its whole life, and every event must read the rows as they are now.
 *
 * Made on first use: a long-lived subscription seldom needs them, and thousands of idle ones
 * should not each hold four. A class with its getters on the prototype: an object literal with
 * getters costs four closures, four accessor pairs and a dictionary per context.
 */
class LazyLoaders implements Loaders {
  readonly #processes: ProcessService;
  #process: Loaders["process"] | undefined;
  #task: Loaders["task"] | undefined;
  #tasksOfProcess: Loaders["tasksOfProcess"] | undefined;
  #decisionsOfProcess: Loaders["decisionsOfProcess"] | undefined;

  constructor(processes: ProcessService) {
    this.#processes = processes;
  }

  get process(): Loaders["process"] {
    const processes = this.#processes;
    this.#process ??= new DataLoader(async (ids) => byId(await processes.processesByIds(ids), ids), NO_CACHE);
    return this.#process;
  }

  get task(): Loaders["task"] {
    const processes = this.#processes;
    this.#task ??= new DataLoader(async (ids) => byId(await processes.tasksByIds(ids), ids), NO_CACHE);
    return this.#task;
  }

  get tasksOfProcess(): Loaders["tasksOfProcess"] {
    const processes = this.#processes;
    this.#tasksOfProcess ??= new DataLoader(
      async (ids) => groupedBy(await processes.tasksOfProcesses(ids), ids, (t) => t.processId),
      NO_CACHE,
    );
    return this.#tasksOfProcess;
  }

  get decisionsOfProcess(): Loaders["decisionsOfProcess"] {
    const processes = this.#processes;
    this.#decisionsOfProcess ??= new DataLoader(
      async (ids) => groupedBy(await processes.decisionsOfProcesses(ids), ids, (d) => d.processId),
      NO_CACHE,
    );
    return this.#decisionsOfProcess;
  }
}

/** The one context factory, used by HTTP requests and WebSocket subscriptions alike. */
export function createContextFactory(deps: { auth: Authenticator; processes: ProcessService }) {
  return async (request: RequestInfo): Promise<Context> => {
    let viewer: Viewer | null = null;
    let authError: string | null = null;
    try {
      viewer = await deps.auth.viewerFrom(request.authorization);
    } catch (error) {
      if (!(error instanceof InvalidTokenError)) throw error;
      authError = error.message;
    }
    return {
      viewer,
      authError,
      processes: deps.processes,
      loaders: new LazyLoaders(deps.processes),
    };
  };
}

/** The caller, or UNAUTHENTICATED. */
export function requireViewer(ctx: Context): Viewer {
  if (ctx.viewer) return ctx.viewer;
  throw new UnauthenticatedError(ctx.authError ? `${ctx.authError}.` : undefined);
}
