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

/**
 * Loaders batch the lookups of one tick into one query. They do not cache: a subscription keeps
 * its context for its whole life, and every event must read the rows as they are now.
 */
function createLoaders(processes: ProcessService): Loaders {
  const options = { cache: false } as const;
  // Made on first use: a long-lived subscription seldom needs them, and thousands of idle ones
  // should not each hold four.
  let process: Loaders["process"] | undefined;
  let task: Loaders["task"] | undefined;
  let tasksOfProcess: Loaders["tasksOfProcess"] | undefined;
  let decisionsOfProcess: Loaders["decisionsOfProcess"] | undefined;
  return {
    get process() {
      process ??= new DataLoader(async (ids) => byId(await processes.processesByIds(ids), ids), options);
      return process;
    },
    get task() {
      task ??= new DataLoader(async (ids) => byId(await processes.tasksByIds(ids), ids), options);
      return task;
    },
    get tasksOfProcess() {
      tasksOfProcess ??= new DataLoader(
        async (ids) => groupedBy(await processes.tasksOfProcesses(ids), ids, (t) => t.processId),
        options,
      );
      return tasksOfProcess;
    },
    get decisionsOfProcess() {
      decisionsOfProcess ??= new DataLoader(
        async (ids) => groupedBy(await processes.decisionsOfProcesses(ids), ids, (d) => d.processId),
        options,
      );
      return decisionsOfProcess;
    },
  };
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
      loaders: createLoaders(deps.processes),
    };
  };
}

/** The caller, or UNAUTHENTICATED. */
export function requireViewer(ctx: Context): Viewer {
  if (ctx.viewer) return ctx.viewer;
  throw new UnauthenticatedError(ctx.authError ? `${ctx.authError}.` : undefined);
}
