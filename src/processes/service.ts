import { createHash, randomUUID } from "node:crypto";
import { type BaseCheckpointSaver, Command, INTERRUPT, type StateSnapshot } from "@langchain/langgraph";
import { and, asc, desc, eq, getTableColumns, gt, inArray, is, isNull, lt, or, SQL, type SQLWrapper, sql } from "drizzle-orm";
import type { Logger } from "pino";
import { isAdmin, type Viewer } from "../auth.js";
import { BatchedPostgresSaver } from "../db/checkpointer.js";
import {
  type Db,
  databaseAnswers,
  execute,
  isDatabaseError,
  isDatabaseUnavailable,
  isTransientDatabaseError,
  type Tx,
} from "../db/database.js";
import {
  type DecisionRow,
  type DecisionValue,
  decisions,
  idempotencyKeys,
  type ProcessEventRow,
  type ProcessEventType,
  type ProcessRow,
  type ProcessStatus,
  processEvents,
  processes,
  type TaskRow,
  tasks,
} from "../db/schema.js";
import { BadUserInputError, ConflictError, ForbiddenError, NotFoundError, UnavailableError } from "../errors.js";
import { type EventStreamOptions, LOG_PAGE, type ProcessEventBus, ProcessEventStream, sharedLogReads } from "../events/bus.js";
import type { Announcement } from "../events/redis.js";
import { EVENTS_CHANNEL } from "../events/relay.js";
import { EXPENSE_APPROVAL, type ExpenseApprovalGraph, type ExpenseApprovalValues } from "../workflows/expense-approval.js";
import { type HumanTaskRequest, type HumanTaskResponse, isHumanTaskRequest } from "../workflows/human-task.js";
import { decodeCursor, type Page, pageSize, toPage } from "./pagination.js";
import {
  MAX_COMMENT_LENGTH,
  MAX_DESCRIPTION_LENGTH,
  validAmount,
  validCurrency,
  validIdempotencyKey,
  validOptionalText,
  validText,
  validUserId,
} from "./validation.js";

export type StartProcessInput = {
  approver: string;
  amount: string;
  currency?: string | null;
  description: string;
  idempotencyKey?: string | null;
};

export type DecideInput = {
  processId: string;
  taskId?: string | null;
  decision: DecisionValue;
  comment?: string | null;
  idempotencyKey?: string | null;
  /** When given, the decision applies only if the process is still at this version. */
  expectedVersion?: number | null;
};

/** One LangGraph checkpoint of a process, newest first in history. */
export type CheckpointEntry = {
  checkpointId: string;
  parentCheckpointId: string | null;
  step: number;
  source: string;
  node: string | null;
  next: string[];
  createdAt: Date;
};

export type ProcessServiceDeps = {
  db: Db;
  graph: ExpenseApprovalGraph;
  /** The graph's checkpointer, for the retention job. */
  checkpointer: BaseCheckpointSaver;
  bus: ProcessEventBus;
  log: Logger;
  /** How long a graph run is owned by the instance running it before others may recover it. */
  runLeaseMs?: number;
  /**
   * LangGraph's durability for runs. "exit" writes a checkpoint only where a run stops (an
   * interrupt, the end, an error): safe here because nodes have no side effects and a run lost
   * mid-way is re-run from the last checkpoint with the decisions the business tables recorded.
   */
  durability?: "exit" | "async" | "sync";
  /** Told about committed events after each commit (Redis fan-out); NOTIFY needs nothing here. */
  announce?: (announcements: Announcement[]) => void;
  /** Test-only: awaited at each named point of a run, so a test can stop the server there. */
  pauseAt?: (point: RunPoint) => Promise<void>;
  /** Run the hot statements as named prepared statements (off behind PgBouncer < 1.21 in transaction mode). */
  preparedStatements?: boolean;
  /** How long a subscription retries reading the event log before it ends with an error. */
  subscriptionLogWaitMs?: number;
};

/** Points of startProcess and decide where crash tests stop a server. */
export type RunPoint = "start:committed" | "start:ran" | "decide:committed" | "decide:ran";

/**
 * One ownership of a process's graph run: recording its result requires the token to still hold,
 * and the graph is aborted once the run learns it lost the process to another owner.
 */
type Run = { processId: string; token: string; abort: AbortController };

const newRun = (processId: string, token: string = randomUUID()): Run => ({ processId, token, abort: new AbortController() });

/** Where a graph run stopped: waiting on people (interrupts), ended, or (rarely) between steps. */
type GraphStop = {
  interrupts: Array<{ id: string | undefined; node: string | null; value: unknown }>;
  values: Partial<ExpenseApprovalValues>;
  ended: boolean;
};

function stopFromSnapshot(snapshot: StateSnapshot): GraphStop {
  const interrupts = snapshot.tasks.flatMap((task) =>
    task.interrupts.map((i) => ({ id: i.id, node: task.name, value: i.value })),
  );
  return {
    interrupts,
    values: (snapshot.values ?? {}) as Partial<ExpenseApprovalValues>,
    ended: !interrupts.length && !snapshot.next.length,
  };
}

/** invoke() returns only at an interrupt (listed in __interrupt__) or at the end. */
function stopFromResult(result: Record<string, unknown>): GraphStop | null {
  const raw = (result[INTERRUPT] as Array<{ id?: string; value?: unknown }> | undefined) ?? [];
  const interrupts = raw.map((i) => ({
    id: i.id,
    node: (i.value as { node?: string } | undefined)?.node ?? null,
    value: i.value,
  }));
  if (interrupts.some((i) => i.node === null)) return null;
  const { [INTERRUPT]: _, ...values } = result;
  return { interrupts, values: values as Partial<ExpenseApprovalValues>, ended: interrupts.length === 0 };
}

/** Thrown inside a recording transaction when the run no longer owns its process. */
class RunSupersededError extends Error {}
type NewEvent = { type: ProcessEventType; taskId?: string | null; actor?: string | null };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isUuid = (id: string) => UUID.test(id);
const threadConfig = (processId: string) => ({ configurable: { thread_id: processId } });

/** The hot reads, built once (and prepared once per connection when `prepared`). */
function hotStatements(db: Db, prepared: boolean) {
  const name = (statement: string) => (prepared ? statement : "");
  const ids = sql.placeholder("ids");
  return {
    processesByIds: db
      .select()
      .from(processes)
      .where(sql`${processes.id} = any(${ids}::uuid[])`)
      .prepare(name("processes_by_ids")),
    tasksByIds: db.select().from(tasks).where(sql`${tasks.id} = any(${ids}::uuid[])`).prepare(name("tasks_by_ids")),
    tasksOfProcesses: db
      .select()
      .from(tasks)
      .where(sql`${tasks.processId} = any(${ids}::uuid[])`)
      .orderBy(asc(tasks.createdAt), asc(tasks.id))
      .prepare(name("tasks_of_processes")),
    decisionsOfProcesses: db
      .select()
      .from(decisions)
      .where(sql`${decisions.processId} = any(${ids}::uuid[])`)
      .orderBy(asc(decisions.decidedAt), asc(decisions.id))
      .prepare(name("decisions_of_processes")),
    eventsAfter: db
      .select()
      .from(processEvents)
      .where(and(eq(processEvents.processId, sql.placeholder("processId")), gt(processEvents.sequence, sql.placeholder("after"))))
      .orderBy(asc(processEvents.sequence))
      .limit(sql.placeholder("limit"))
      .prepare(name("events_after")),
  };
}

/**
 * The approval domain: starts and advances processes by driving the LangGraph workflow, and keeps
 * the business tables and the event log in step with it. Every transition is committed before it
 * is published.
 */
export class ProcessService {
  readonly #db: Db;
  readonly #graph: ExpenseApprovalGraph;
  readonly #checkpointer: BaseCheckpointSaver;
  readonly #bus: ProcessEventBus;
  readonly #log: Logger;
  readonly #inFlight = new Set<Promise<unknown>>();
  /** Set when shutdown begins: new work is refused. */
  #closing = false;
  /** Recovered runs under way on this server. */
  #recovering = 0;
  readonly #runLeaseMs: number;
  readonly #durability: "exit" | "async" | "sync";
  readonly #announce: (announcements: Announcement[]) => void;
  /** Announcements of each open transaction, made once it commits. */
  readonly #pendingAnnouncements = new WeakMap<object, Announcement[]>();
  readonly #pauseAt: (point: RunPoint) => Promise<void>;
  readonly #prepared: boolean;
  readonly #statements: ReturnType<typeof hotStatements>;
  readonly #subscriptionLogWaitMs: number | undefined;

  /**
   * One function for every stream (a closure made per subscription would cost memory per idle
   * subscription), sharing identical log reads under way (see sharedLogReads).
   */
  readonly #loadAfter: EventStreamOptions["loadAfter"];

  constructor(deps: ProcessServiceDeps) {
    this.#db = deps.db;
    this.#graph = deps.graph;
    this.#checkpointer = deps.checkpointer;
    this.#bus = deps.bus;
    this.#loadAfter = sharedLogReads(deps.bus, (id, after) => this.eventsAfter(id, after, LOG_PAGE));
    this.#log = deps.log;
    this.#runLeaseMs = deps.runLeaseMs ?? 30_000;
    this.#durability = deps.durability ?? "exit";
    this.#announce = deps.announce ?? (() => {});
    this.#pauseAt = deps.pauseAt ?? (() => Promise.resolve());
    this.#prepared = deps.preparedStatements ?? true;
    this.#statements = hotStatements(this.#db, this.#prepared);
    this.#subscriptionLogWaitMs = deps.subscriptionLogWaitMs;
  }

  /** The database expression for "the lease of a run starting now". */
  #lease(): SQL {
    return sql`now() + ${this.#runLeaseMs} * interval '1 millisecond'`;
  }

  /** Columns that make `run` the owner of its process's graph run. */
  #own(run: Run) {
    return { runLeaseUntil: this.#lease(), runToken: run.token };
  }

  /** The condition under which `run` still owns its process. */
  #owned(run: Run): SQL | undefined {
    return and(eq(processes.id, run.processId), eq(processes.status, "RUNNING"), eq(processes.runToken, run.token));
  }

  /** Starts an expense approval and returns once the graph has interrupted for a decision, ended or failed. */
  start(viewer: Viewer, input: StartProcessInput): Promise<ProcessRow> {
    return this.#admit(() => this.#start(viewer, input));
  }

  async #start(viewer: Viewer, input: StartProcessInput): Promise<ProcessRow> {
    const approver = validUserId("approver", input.approver);
    if (approver === viewer.id) {
      throw new BadUserInputError("approver", "approver must be someone other than the initiator.");
    }
    const currency = validCurrency(input.currency);
    const amount = validAmount(input.amount, currency);
    const description = validText("description", input.description, MAX_DESCRIPTION_LENGTH);
    const idempotencyKey = validIdempotencyKey(input.idempotencyKey);
    const request = { initiator: viewer.id, approver, amount, currency, description };

    const id = randomUUID();
    const run = newRun(id);
    const create = (db: Db | Tx) =>
      this.#create(
        db,
        { id, workflow: EXPENSE_APPROVAL, status: "RUNNING", ...request, currentNode: "submit", ...this.#own(run) },
        viewer.id,
      );
    if (idempotencyKey) {
      const earlier = await this.#inTransaction(async (tx) => {
        const replayOf = await this.#claimIdempotencyKey(tx, viewer, "startProcess", idempotencyKey, request, id);
        if (!replayOf) await create(tx);
        return replayOf;
      });
      if (earlier) return this.#settled(earlier);
    } else {
      // One statement: the process, its STARTED event and the announcement.
      await create(this.#db);
    }
    return this.#track(run, this.#advance(run, { request }, "start"));
  }

  /** Records a decision on an open task and resumes the graph with it. */
  decide(viewer: Viewer, input: DecideInput): Promise<ProcessRow> {
    return this.#admit(() => this.#decide(viewer, input));
  }

  async #decide(viewer: Viewer, input: DecideInput): Promise<ProcessRow> {
    const idempotencyKey = validIdempotencyKey(input.idempotencyKey);
    const comment = validOptionalText("comment", input.comment, MAX_COMMENT_LENGTH);
    // A retry must find its first result even though the task is no longer open.
    const request = { processId: input.processId, taskId: input.taskId ?? null, decision: input.decision, comment };
    if (!idempotencyKey) return this.#recordDecision(viewer, input, request, null);
    const earlier = await this.#earlierResult(this.#db, viewer, "decide", idempotencyKey, request);
    if (earlier) return this.#settled(earlier);
    try {
      return await this.#recordDecision(viewer, input, request, idempotencyKey);
    } catch (error) {
      // A retry that raced its first attempt finds the task decided (or the version moved) by that
      // very attempt: it answers with the first result, not CONFLICT.
      if (!(error instanceof ConflictError)) throw error;
      const first = await this.#earlierResult(this.#db, viewer, "decide", idempotencyKey, request);
      if (first) return this.#settled(first);
      throw error;
    }
  }

  async #recordDecision(
    viewer: Viewer,
    input: DecideInput,
    request: { processId: string; taskId: string | null; decision: DecisionValue; comment: string | null },
    idempotencyKey: string | null,
  ): Promise<ProcessRow> {
    const { comment } = request;
    // Not findVisible: the contract answers FORBIDDEN, not NOT_FOUND, for a task that is not yours.
    if (!isUuid(input.processId)) throw new NotFoundError("Process", input.processId);
    // The process and its tasks, read at once.
    const [[process], processTasks] = await Promise.all([
      this.processesByIds([input.processId]),
      this.tasksOfProcesses([input.processId]),
    ]);
    if (!process) throw new NotFoundError("Process", input.processId);
    const task = taskToDecide(viewer, process, processTasks, input.taskId ?? null);
    if (!task.allowedDecisions.includes(input.decision)) {
      throw new BadUserInputError("decision", `decision must be one of ${task.allowedDecisions.join(", ")}.`);
    }
    const expectedVersion = input.expectedVersion ?? null;
    if (expectedVersion !== null && expectedVersion !== process.version) {
      throw new ConflictError(
        `The process is at version ${process.version}, not ${expectedVersion}: reload it and decide again.`,
      );
    }

    const run = newRun(process.id);
    const decision: DecisionRow = {
      id: randomUUID(),
      taskId: task.id,
      processId: process.id,
      decision: input.decision,
      comment,
      decidedBy: viewer.id,
      decidedAt: new Date(),
    };
    const change = { status: "RUNNING", currentNode: task.node, ...this.#own(run) };
    const decided: NewEvent[] = [{ type: "DECIDED", taskId: task.id, actor: viewer.id }];

    if (idempotencyKey || expectedVersion !== null) {
      const replayOf = await this.#inTransaction(async (tx) => {
        if (idempotencyKey) {
          const earlier = await this.#claimIdempotencyKey(tx, viewer, "decide", idempotencyKey, request, process.id);
          if (earlier) return earlier;
        }
        // The claim: of any number of concurrent decisions, exactly one finds the task still open.
        const [claimed] = await tx
          .update(tasks)
          .set({ status: "COMPLETED", completedAt: decision.decidedAt })
          .where(and(eq(tasks.id, task.id), eq(tasks.status, "OPEN")))
          .returning({ id: tasks.id });
        if (!claimed) throw new ConflictError("This task has already been decided.");
        await tx.insert(decisions).values(decision);
        const where = and(
          eq(processes.id, process.id),
          expectedVersion === null ? undefined : eq(processes.version, expectedVersion),
        );
        // Only a stale expectedVersion can miss the row: the process changed after it was read.
        if (!(await this.#transition(tx, where, change, decided))) {
          throw new ConflictError("The process changed while deciding: reload it and decide again.");
        }
        return null;
      });
      if (replayOf) return this.#settled(replayOf);
    } else {
      // One statement: the claim (of any number of concurrent decisions, exactly one finds the task
      // still open), the decision, the process change and its event. No claim, nothing written.
      const updated = await this.#transition(
        this.#db,
        and(eq(processes.id, process.id), sql`exists (select 1 from claimed)`),
        change,
        decided,
        {
          before: sql`
          claimed as (
            update ${tasks} set status = 'COMPLETED', completed_at = ${decision.decidedAt}
            where id = ${task.id} and status = 'OPEN' returning id
          ),
          recorded as (
            insert into ${decisions} (id, task_id, process_id, decision, comment, decided_by, decided_at)
            select ${decision.id}, c.id, ${process.id}, ${decision.decision}, ${decision.comment}, ${decision.decidedBy}, ${decision.decidedAt}
            from claimed c
          ),`,
        },
      );
      if (!updated) throw new ConflictError("This task has already been decided.");
    }
    const resume = new Command({ resume: { [task.interruptId]: responseTo(decision) } });
    return this.#track(run, this.#advance(run, resume, "decide"));
  }

  /** The process if the viewer may see it; NOT_FOUND otherwise, exactly as for an unknown id. */
  async findVisible(viewer: Viewer, id: string): Promise<ProcessRow> {
    if (!isUuid(id)) throw new NotFoundError("Process", id);
    const [row] = await this.#db
      .select()
      .from(processes)
      .where(and(eq(processes.id, id), this.#visibleTo(viewer)));
    if (!row) throw new NotFoundError("Process", id);
    return row;
  }

  /** Processes the viewer may see (every process for admin), newest first. */
  async list(
    viewer: Viewer,
    options: { status?: ProcessStatus | null; first?: number | null; after?: string | null },
  ): Promise<Page<ProcessRow>> {
    const limit = pageSize(options.first);
    const cursor = decodeCursor(options.after);
    const filter = and(this.#visibleTo(viewer), options.status ? eq(processes.status, options.status) : undefined);
    const before = cursor
      ? or(lt(processes.createdAt, cursor.createdAt), and(eq(processes.createdAt, cursor.createdAt), lt(processes.id, cursor.id)))
      : undefined;
    const [rows, [count]] = await Promise.all([
      this.#db
        .select()
        .from(processes)
        .where(and(filter, before))
        .orderBy(desc(processes.createdAt), desc(processes.id))
        .limit(limit + 1),
      this.#db.select({ n: sql<number>`count(*)::int` }).from(processes).where(filter),
    ]);
    return toPage(rows, limit, count?.n ?? 0);
  }

  /** The viewer's open tasks: assigned to them or to one of their groups, oldest first. */
  async pendingTasks(viewer: Viewer, options: { first?: number | null; after?: string | null }): Promise<Page<TaskRow>> {
    const limit = pageSize(options.first);
    const cursor = decodeCursor(options.after);
    const mine = this.#openTasksFor(viewer);
    const later = cursor
      ? or(gt(tasks.createdAt, cursor.createdAt), and(eq(tasks.createdAt, cursor.createdAt), gt(tasks.id, cursor.id)))
      : undefined;
    const [rows, [count]] = await Promise.all([
      this.#db
        .select()
        .from(tasks)
        .where(and(mine, later))
        .orderBy(asc(tasks.createdAt), asc(tasks.id))
        .limit(limit + 1),
      this.#db.select({ n: sql<number>`count(*)::int` }).from(tasks).where(mine),
    ]);
    return toPage(rows, limit, count?.n ?? 0);
  }

  async processesByIds(ids: readonly string[]): Promise<ProcessRow[]> {
    return ids.length ? this.#statements.processesByIds.execute({ ids }) : [];
  }

  async tasksOfProcesses(processIds: readonly string[]): Promise<TaskRow[]> {
    return processIds.length ? this.#statements.tasksOfProcesses.execute({ ids: processIds }) : [];
  }

  async tasksByIds(ids: readonly string[]): Promise<TaskRow[]> {
    return ids.length ? this.#statements.tasksByIds.execute({ ids }) : [];
  }

  async decisionsOfProcesses(processIds: readonly string[]): Promise<DecisionRow[]> {
    return processIds.length ? this.#statements.decisionsOfProcesses.execute({ ids: processIds }) : [];
  }

  /** The event log of a process after a sequence number, in order: read now. */
  async eventsAfter(processId: string, after: number, limit = 10_000): Promise<ProcessEventRow[]> {
    return this.#statements.eventsAfter.execute({ processId, after, limit });
  }

  /** The graph's current state values (the kept final state once the checkpoints were pruned). */
  async state(process: ProcessRow): Promise<unknown> {
    if (process.checkpointsPrunedAt) return process.finalState ?? {};
    const snapshot = await this.#graph.getState(threadConfig(process.id));
    return (snapshot.values as ExpenseApprovalValues | undefined) ?? {};
  }

  /** The process's checkpoints, newest first (none once the retention job pruned them). */
  async history(process: ProcessRow, first?: number | null): Promise<CheckpointEntry[]> {
    const limit = pageSize(first);
    if (process.checkpointsPrunedAt || limit === 0) return [];
    const config = threadConfig(process.id);
    const snapshots: StateSnapshot[] = [];
    const versionsSeen = new Map<string, Record<string, Record<string, unknown>>>();
    await Promise.all([
      (async () => {
        for await (const snapshot of this.#graph.getStateHistory(config, { limit })) snapshots.push(snapshot);
      })(),
      (async () => {
        for await (const tuple of this.#checkpointer.list(config, { limit })) {
          versionsSeen.set(String(tuple.config.configurable?.checkpoint_id), tuple.checkpoint.versions_seen);
        }
      })(),
    ]);
    return snapshots.map((snapshot) => {
      const checkpointId = String(snapshot.config.configurable?.checkpoint_id ?? "");
      const source = snapshot.metadata?.source ?? "unknown";
      return {
        checkpointId,
        parentCheckpointId: (snapshot.parentConfig?.configurable?.checkpoint_id as string | undefined) ?? null,
        step: snapshot.metadata?.step ?? -1,
        source,
        node: source === "loop" ? lastNodesRun(versionsSeen.get(checkpointId)) : null,
        next: [...snapshot.next],
        createdAt: new Date(snapshot.createdAt ?? 0),
      };
    });
  }

  /**
   * The live events of a process the viewer may see. Visibility is checked before the stream is
   * returned; with `after`, logged events with a greater sequence are replayed first.
   */
  async subscribe(viewer: Viewer, processId: string, after?: number | null): Promise<AsyncIterableIterator<ProcessEventRow>> {
    if (after !== null && after !== undefined && (!Number.isInteger(after) || after < 0)) {
      throw new BadUserInputError("after", "after must be a non-negative event sequence.");
    }
    // Listening starts before the process is read, so nothing committed in between is missed.
    const stream = new ProcessEventStream({
      bus: this.#bus,
      processId,
      loadAfter: this.#loadAfter,
      logWaitMs: this.#subscriptionLogWaitMs,
    });
    try {
      const process = await this.findVisible(viewer, processId);
      if (after === null || after === undefined) stream.begin(process.lastSequence, false);
      else stream.begin(Math.min(after, process.lastSequence), true);
    } catch (error) {
      await stream.return();
      throw error;
    }
    return stream;
  }

  /** The latest logged event of each process. */
  async latestEvents(processIds: readonly string[]): Promise<ProcessEventRow[]> {
    if (!processIds.length) return [];
    return (
      this.#db
        .selectDistinctOn([processEvents.processId])
        .from(processEvents)
        // One array parameter, however many processes are watched (not one parameter each).
        .where(sql`${processEvents.processId} = any(${sql.param([...processIds])}::uuid[])`)
        .orderBy(processEvents.processId, desc(processEvents.sequence))
    );
  }

  /**
   * Graceful shutdown: refuses new work (start, decide, retry, recovery) from now on, and resolves
   * once every graph run this service started has settled.
   */
  async drain(): Promise<void> {
    this.beginShutdown();
    while (this.#inFlight.size) await Promise.allSettled([...this.#inFlight]);
  }

  /** From now on new work (start, decide, retry, recovery) is refused; what was admitted goes on. */
  beginShutdown(): void {
    this.#closing = true;
  }

  /**
   * Runs a start, decision or retry unless shutdown has begun (then SERVICE_UNAVAILABLE, before
   * anything is written), and lets drain() wait for it from the moment it is admitted, not only
   * once its graph run is under way.
   */
  #admit<T>(work: () => Promise<T>): Promise<T> {
    if (this.#closing) return Promise.reject(new UnavailableError("This server is shutting down; send the request again."));
    const admitted = work();
    this.#inFlight.add(admitted);
    const forget = () => this.#inFlight.delete(admitted);
    admitted.then(forget, forget);
    return admitted;
  }

  /** Keeps a run's lease while it lasts and lets shutdown wait for it. */
  #track<T>(run: Run, work: Promise<T>): Promise<T> {
    this.#inFlight.add(work);
    const renew = setInterval(
      () => {
        this.#db
          .update(processes)
          .set({ runLeaseUntil: this.#lease() })
          .where(this.#owned(run))
          .returning({ id: processes.id })
          .then(
            (renewed) => {
              // Taken over after its lease ran out (a stall): stop the graph, which would otherwise
              // go on writing checkpoints beside the new owner's (one it writes as it stops may
              // still land; see RELIABILITY.md, known limits).
              if (renewed.length === 0 && !run.abort.signal.aborted) run.abort.abort(new RunSupersededError());
            },
            (error: unknown) => this.#log.warn({ err: error, processId: run.processId }, "could not renew a run's lease"),
          );
      },
      Math.max(this.#runLeaseMs / 3, 50),
    );
    renew.unref();
    const forget = () => {
      clearInterval(renew);
      this.#inFlight.delete(work);
    };
    work.then(forget, forget);
    return work;
  }

  /**
   * Finds runs abandoned by a server that died (RUNNING with an expired lease), takes them over
   * and starts finishing them from their last checkpoint. Returns the ids it took over without
   * waiting for the runs: one that hangs must not hold up later maintenance passes (drain() waits
   * for them at shutdown).
   */
  async recoverAbandonedRuns(limit = 20): Promise<string[]> {
    // At most `limit` recovered runs under way at once, over all passes.
    if (this.#closing || this.#recovering >= limit) return [];
    const runs = await this.#takeOverAbandoned(limit - this.#recovering);
    // All at once: each keeps its lease from now on (a run waiting its turn would lose it), and
    // one that fails does not hold up the others.
    for (const run of runs) {
      this.#log.warn({ processId: run.processId }, "recovering a run abandoned by another server");
      this.#recovering += 1;
      this.#track(run, this.#continueRun(run))
        .catch((error: unknown) =>
          this.#log.warn({ err: error, processId: run.processId }, "recovering a run failed; it is retried later"),
        )
        .finally(() => {
          this.#recovering -= 1;
        });
    }
    return runs.map((run) => run.processId);
  }

  /** Takes ownership of RUNNING processes whose lease expired (all of them, or just `processId`). */
  async #takeOverAbandoned(limit: number, processId?: string): Promise<Run[]> {
    const only = processId ? sql`and id = ${processId}` : sql``;
    const claimed = await this.#db.execute<{ id: string; run_token: string }>(sql`
      update ${processes} set run_lease_until = ${this.#lease()}, run_token = gen_random_uuid()
      where id in (
        select id from ${processes}
        where status = 'RUNNING' and (run_lease_until is null or run_lease_until < now()) ${only}
        order by run_lease_until nulls first
        limit ${limit}
        for update skip locked
      )
      returning id, run_token`);
    return claimed.rows.map((row) => newRun(row.id, row.run_token));
  }

  /**
   * The retention job: removes the LangGraph checkpoints of processes that finished more than
   * `days` ago, keeping the business record, its tasks, decisions and events, and the final
   * state values (served as Process.state from then on). Returns how many it pruned.
   */
  async pruneCheckpoints(days: number, limit = 500): Promise<number> {
    const due = await this.#db
      .select({ id: processes.id })
      .from(processes)
      .where(
        and(
          inArray(processes.status, ["APPROVED", "REJECTED", "CANCELLED"]),
          isNull(processes.checkpointsPrunedAt),
          lt(processes.completedAt, sql`now() - ${days} * interval '1 day'`),
        ),
      )
      .limit(limit);
    for (const { id } of due) {
      // Keep the state, then delete, then mark: a crash at any point is finished by the next pass,
      // and a state kept earlier is never replaced by the empty one left after the delete.
      const snapshot = await this.#graph.getState(threadConfig(id));
      if (snapshot.config.configurable?.checkpoint_id !== undefined) {
        await this.#db
          .update(processes)
          .set({ finalState: snapshot.values ?? {} })
          .where(and(eq(processes.id, id), isNull(processes.finalState)));
      }
      await this.#checkpointer.deleteThread(id);
      await this.#db.update(processes).set({ checkpointsPrunedAt: new Date() }).where(eq(processes.id, id));
    }
    return due.length;
  }

  /** Forgets idempotency keys older than `hours` (they are kept at least that long). */
  async pruneIdempotencyKeys(hours: number): Promise<number> {
    const deleted = await this.#db
      .delete(idempotencyKeys)
      .where(lt(idempotencyKeys.createdAt, sql`now() - ${hours} * interval '1 hour'`))
      .returning({ key: idempotencyKeys.key });
    return deleted.length;
  }

  /** Admin only: resumes a FAILED process from its last checkpoint. */
  retry(viewer: Viewer, processId: string): Promise<ProcessRow> {
    return this.#admit(() => this.#retry(viewer, processId));
  }

  async #retry(viewer: Viewer, processId: string): Promise<ProcessRow> {
    if (!isAdmin(viewer)) throw new ForbiddenError("Only admins may retry a process.");
    const process = await this.findVisible(viewer, processId);
    const run = newRun(process.id);
    const updated = await this.#transition(
      this.#db,
      and(eq(processes.id, process.id), eq(processes.status, "FAILED")),
      { status: "RUNNING", failureMessage: null, failureNode: null, failedAt: null, ...this.#own(run) },
      [{ type: "STARTED", actor: viewer.id }],
    );
    if (!updated) throw new ConflictError(`Only a FAILED process can be retried; this one is ${process.status}.`);
    return this.#track(run, this.#continueRun(run));
  }

  /**
   * Runs a process's graph on from wherever its checkpoints say it stands: from the request when
   * nothing was checkpointed, with the recorded decisions when it waits on decided tasks, from the
   * last checkpoint when it stopped between steps. Then records where it stopped.
   */
  async #continueRun(run: Run): Promise<ProcessRow> {
    const config = threadConfig(run.processId);
    let snapshot: StateSnapshot;
    try {
      for (let step = 0; ; step++) {
        snapshot = await this.#graph.getState(config);
        const input = await this.#nextInput(run.processId, snapshot);
        if (input === undefined || step >= 5) break;
        await this.#invoke(run, input);
      }
    } catch (error) {
      return this.#failedRun(run, error);
    }
    return this.#record(run, () => this.#recordGraphState(run, stopFromSnapshot(snapshot)));
  }

  /** What to invoke the graph with to move it on, or undefined when it waits for people or has ended. */
  async #nextInput(processId: string, snapshot: StateSnapshot): Promise<unknown> {
    if (snapshot.config.configurable?.checkpoint_id === undefined) {
      const [row] = await this.#db.select().from(processes).where(eq(processes.id, processId));
      if (!row) throw new Error(`process ${processId} vanished`);
      const { initiator, approver, amount, currency, description } = row;
      return { request: { initiator, approver, amount, currency, description } };
    }
    const interruptIds = snapshot.tasks.flatMap((task) => task.interrupts.map((interrupt) => String(interrupt.id)));
    if (interruptIds.length > 0) {
      const decided = await this.#db
        .select({ interruptId: tasks.interruptId, decision: decisions })
        .from(tasks)
        .innerJoin(decisions, eq(decisions.taskId, tasks.id))
        .where(and(eq(tasks.processId, processId), inArray(tasks.interruptId, interruptIds)));
      if (!decided.length) return undefined;
      const resume = Object.fromEntries(decided.map(({ interruptId, decision }) => [interruptId, responseTo(decision)]));
      return new Command({ resume });
    }
    return snapshot.next.length > 0 ? null : undefined;
  }

  /** Runs the graph until it interrupts, ends or fails, then records where it stopped. */
  async #advance(run: Run, input: unknown, flow: "start" | "decide"): Promise<ProcessRow> {
    let stop: GraphStop;
    await this.#pauseAt(`${flow}:committed`);
    try {
      // A start runs on a thread made for it: there is no checkpoint to read first.
      const result = await this.#invoke(run, input, flow === "start");
      // The result says where the run stopped; the state is read only if it does not.
      stop = stopFromResult(result) ?? stopFromSnapshot(await this.#graph.getState(threadConfig(run.processId)));
    } catch (error) {
      return this.#failedRun(run, error);
    }
    await this.#pauseAt(`${flow}:ran`);
    return this.#record(run, () => this.#recordGraphState(run, stop));
  }

  #invoke(run: Run, input: unknown, newThread = false): Promise<Record<string, unknown>> {
    const invoke = () =>
      this.#graph.invoke(input as Parameters<ExpenseApprovalGraph["invoke"]>[0], {
        ...threadConfig(run.processId),
        durability: this.#durability,
        signal: run.abort.signal,
      }) as Promise<Record<string, unknown>>;
    return newThread && this.#checkpointer instanceof BatchedPostgresSaver
      ? this.#checkpointer.onNewThread(run.processId, invoke)
      : invoke();
  }

  /**
   * A run that threw. The workflow's own failure is recorded (FAILED, for an admin to retry); a
   * run cut off by the database going away is not the workflow's fault: it stays RUNNING, its lease
   * is given up where the database still answers, and the recovery pass finishes it from its last
   * checkpoint with the decisions already recorded. The caller is told to come back.
   */
  async #failedRun(run: Run, error: unknown): Promise<ProcessRow> {
    if (run.abort.signal.aborted) return this.#superseded(run);
    // An "unavailable" error from a node's own call to another service is the workflow's failure:
    // only while the database itself does not answer is the run handed to the recovery pass.
    if (!isDatabaseUnavailable(error) || (await databaseAnswers(this.#db))) {
      return this.#record(run, () => this.#recordFailure(run, error), true);
    }
    this.#log.warn({ err: error, processId: run.processId }, "a run lost the database; the recovery pass finishes it");
    await this.#db
      .update(processes)
      .set({ runLeaseUntil: sql`now()` })
      .where(this.#owned(run))
      .catch(() => {}); // still away: the lease expires by itself
    throw new UnavailableError(
      `The database became unavailable while the workflow ran; process ${run.processId} and what was recorded are kept, and the run is finished automatically. Read the process again shortly.`,
      { processId: run.processId },
    );
  }

  /** A run that lost its process to another owner: its result is dropped; the caller gets the new owner's. */
  #superseded(run: Run): Promise<ProcessRow> {
    this.#log.warn({ processId: run.processId }, "a run that lost its lease discarded its result");
    return this.#settled(run.processId);
  }

  /**
   * Writes a run's result, retrying briefly through a passing database fault. A run that lost
   * ownership of its process (taken over after its lease expired) writes nothing and returns the
   * process once its new owner has settled it. If the database stays unreachable the error propagates and
   * the run stays RUNNING, to be finished by the recovery pass once its lease expires.
   */
  async #record(run: Run, write: () => Promise<ProcessRow>, writesFailure = false): Promise<ProcessRow> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await write();
      } catch (error) {
        if (error instanceof RunSupersededError) return this.#superseded(run);
        if (attempt >= 3) {
          // Failing for a reason that does not pass (not an outage, not a conflict between
          // transactions: a result the workflow should not give, such as an end without an
          // outcome), it would fail on every recovery too: the run is FAILED, for an admin to look
          // at and retry, rather than retried forever.
          if (writesFailure || isTransientDatabaseError(error)) throw error;
          return this.#record(run, () => this.#recordFailure(run, error), true);
        }
        this.#log.warn({ err: error, processId: run.processId, attempt }, "recording a run failed; retrying");
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      }
    }
  }

  async #recordGraphState(run: Run, stop: GraphStop): Promise<ProcessRow> {
    const { processId } = run;
    const interrupts = stop.interrupts.map(({ id, node, value }) => ({ node: node ?? "unknown", interrupt: { id, value } }));
    const unknown = interrupts.find(({ interrupt }) => !isHumanTaskRequest(interrupt.value) || !interrupt.id);
    if (unknown) {
      return this.#recordFailure(run, new Error(`node ${unknown.node} asked for an unsupported kind of human task`));
    }
    if (interrupts.length > 0) {
      const created = interrupts.map(({ node, interrupt }) => {
        const request = interrupt.value as HumanTaskRequest;
        return {
          id: randomUUID(),
          kind: request.kind,
          assignee: request.assignee,
          candidate_groups: request.candidateGroups,
          allowed_decisions: request.allowedDecisions,
          interrupt_id: String(interrupt.id),
          node,
          title: request.title,
          payload: request.details,
        };
      });
      // One statement: the tasks (only if the run still owns the process), the process change,
      // one TASK_CREATED event per task, and the announcement.
      const updated = await this.#transition(
        this.#db,
        this.#owned(run),
        { status: "PENDING_REVIEW", currentNode: interrupts[0]?.node ?? null, runLeaseUntil: null, runToken: null },
        created.map((task) => ({ type: "TASK_CREATED" as const, taskId: task.id })),
        {
          after: sql`
            created as (
              insert into ${tasks} (id, process_id, kind, assignee, candidate_groups, allowed_decisions, interrupt_id, node, title, payload)
              select t.id, u.id, t.kind, t.assignee, t.candidate_groups, t.allowed_decisions, t.interrupt_id, t.node, t.title, t.payload
              from updated u
              cross join jsonb_to_recordset(${JSON.stringify(created)}::jsonb) as t(
                id uuid, kind text, assignee text, candidate_groups text[], allowed_decisions text[],
                interrupt_id text, node text, title text, payload jsonb
              )
            ),`,
        },
      );
      if (!updated) throw new RunSupersededError();
      return updated;
    }
    if (stop.ended) {
      const outcome = stop.values.outcome;
      if (outcome !== "APPROVED" && outcome !== "REJECTED") throw new Error("workflow ended without an outcome");
      // One statement: the outcome, its event, and any task left open cancelled.
      const updated = await this.#transition(
        this.#db,
        this.#owned(run),
        { status: outcome, currentNode: null, completedAt: new Date(), runLeaseUntil: null, runToken: null },
        [{ type: "COMPLETED" }],
        {
          after: sql`
            cancelled as (
              update ${tasks} set status = 'CANCELLED', completed_at = now()
              where process_id = ${processId} and status = 'OPEN' and exists (select 1 from updated)
            ),`,
        },
      );
      if (!updated) throw new RunSupersededError();
      return updated;
    }
    // Stopped between steps without asking anything (not expected from invoke): leave it RUNNING
    // without an owner, for the recovery pass to carry on from the last checkpoint.
    const updated = await this.#transition(this.#db, this.#owned(run), { runLeaseUntil: null, runToken: null }, []);
    if (!updated) throw new RunSupersededError();
    return updated;
  }

  async #recordFailure(run: Run, error: unknown): Promise<ProcessRow> {
    const { processId } = run;
    const message = failureMessageFor(error);
    this.#log.error({ err: error, processId }, "workflow run failed");
    let node: string | null = null;
    try {
      const snapshot = await this.#graph.getState(threadConfig(processId));
      node = snapshot.tasks.find((task) => task.error !== undefined)?.name ?? snapshot.next[0] ?? null;
    } catch {
      // The state could not be read either; the failure is recorded without a node.
    }
    const updated = await this.#transition(
      this.#db,
      this.#owned(run),
      { status: "FAILED", failureMessage: message, failureNode: node, failedAt: new Date(), runLeaseUntil: null, runToken: null },
      [{ type: "FAILED" }],
    );
    if (!updated) throw new RunSupersededError();
    return updated;
  }

  /**
   * One change of a process, in one statement: the update (with the version bump and the next
   * gap-free event sequence numbers), its events, and their announcement (NOTIFY is transactional:
   * it goes out only if this commits). Returns the updated row, or null when `where` matched none.
   */
  async #transition(
    db: Db | Tx,
    where: SQL | undefined,
    set: Record<string, unknown>,
    events: NewEvent[],
    companions: { before?: SQL; after?: SQL } = {},
  ): Promise<ProcessRow | null> {
    const n = events.length;
    const assignments = columnValues({
      ...set,
      version: sql`${processes.version} + 1`,
      lastSequence: sql`${processes.lastSequence} + ${n}::int`,
      updatedAt: sql`now()`,
    }).map(([column, value]) => sql`${column} = ${value}`);
    // `before` and `after` are further data-modifying CTEs of the same change (each ending in a
    // comma); they may refer to each other and to `updated`, and commit or vanish with it.
    const result = await execute(
      db,
      sql`
      with ${companions.before ?? sql``}
      updated as (
        update ${processes} set ${sql.join(assignments, sql`, `)} where ${where ?? sql`true`} returning ${PROCESS_RETURNING}
      ),
      ${companions.after ?? sql``}
      inserted as (
        insert into ${processEvents} (process_id, sequence, type, task_id, actor, process_status, process_version)
        select u.id, u.last_sequence - ${n}::int + e.ord::int, e.type, e.task_id, e.actor, u.status, u.version
        from updated u
        cross join unnest(${sql.param(events.map((e) => e.type))}::text[], ${sql.param(events.map((e) => e.taskId ?? null))}::uuid[],
                          ${sql.param(events.map((e) => e.actor ?? null))}::text[]) with ordinality as e(type, task_id, actor, ord)
      )
      select u.*, case when ${n}::int > 0
        then pg_notify(${EVENTS_CHANNEL}, u.id || ':' || (u.last_sequence - ${n}::int + 1) || ':' || u.last_sequence) end as notified
      from updated u`,
      this.#prepared,
    );
    const row = result.rows[0];
    if (!row) return null;
    const process = processFromRow(row);
    if (n > 0)
      this.#announceAfterCommit(db, { processId: process.id, first: process.lastSequence - n + 1, last: process.lastSequence });
    return process;
  }

  /** Runs `work` in a transaction and makes its announcements once it has committed. */
  async #inTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const announcements: Announcement[] = [];
    const result = await this.#db.transaction(async (tx) => {
      this.#pendingAnnouncements.set(tx, announcements);
      return work(tx);
    });
    if (announcements.length) this.#announce(announcements);
    return result;
  }

  #announceAfterCommit(db: Db | Tx, announcement: Announcement): void {
    const pending = this.#pendingAnnouncements.get(db);
    if (pending) pending.push(announcement);
    else this.#announce([announcement]);
  }

  /** Creates a process with its STARTED event and announces it, in one statement. */
  async #create(db: Db | Tx, values: Partial<Record<keyof ProcessRow, unknown>>, actor: string): Promise<ProcessRow> {
    const pairs = columnValues({ ...values, version: 1, lastSequence: 1 });
    const result = await execute(
      db,
      sql`
      with created as (
        insert into ${processes} (${sql.join(
          pairs.map(([column]) => column),
          sql`, `,
        )}) values (${sql.join(
          pairs.map(([, value]) => value),
          sql`, `,
        )}) returning ${PROCESS_RETURNING}
      ),
      inserted as (
        insert into ${processEvents} (process_id, sequence, type, actor, process_status, process_version)
        select c.id, 1, 'STARTED', ${actor}, c.status, c.version from created c
      )
      select c.*, pg_notify(${EVENTS_CHANNEL}, c.id || ':1:1') as notified from created c`,
      this.#prepared,
    );
    const row = result.rows[0];
    if (!row) throw new Error("insert returned no process");
    const process = processFromRow(row);
    this.#announceAfterCommit(db, { processId: process.id, first: 1, last: 1 });
    return process;
  }

  /**
   * Records an idempotency key for this caller and operation. Returns the id of the process an
   * earlier identical request created or changed, or null when the key is new.
   */
  async #claimIdempotencyKey(
    tx: Tx,
    viewer: Viewer,
    operation: string,
    key: string,
    request: unknown,
    processId: string,
  ): Promise<string | null> {
    const [inserted] = await tx
      .insert(idempotencyKeys)
      .values({ userId: viewer.id, operation, key, requestHash: requestHashOf(request), processId })
      .onConflictDoNothing()
      .returning({ processId: idempotencyKeys.processId });
    if (inserted) return null;
    // A concurrent request with the same key committed first.
    const earlier = await this.#earlierResult(tx, viewer, operation, key, request);
    if (!earlier) throw new ConflictError("A request with this idempotencyKey is still being processed; retry.");
    return earlier;
  }

  /** The process an earlier request with this key produced; BAD_USER_INPUT when its input differed. */
  async #earlierResult(db: Db | Tx, viewer: Viewer, operation: string, key: string, request: unknown): Promise<string | null> {
    const [earlier] = await db
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.userId, viewer.id), eq(idempotencyKeys.operation, operation), eq(idempotencyKeys.key, key)));
    if (!earlier) return null;
    if (earlier.requestHash !== requestHashOf(request)) {
      throw new BadUserInputError("idempotencyKey", "This idempotencyKey was already used with a different input.");
    }
    return earlier.processId;
  }

  /**
   * The process once no graph run is under way for it (a replayed request waits for the
   * original). A run whose owner died is taken over here rather than waited for.
   */
  async #settled(processId: string, timeoutMs = 30_000): Promise<ProcessRow> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [row] = await this.#db.select().from(processes).where(eq(processes.id, processId));
      if (!row) throw new NotFoundError("Process", processId);
      if (row.status !== "RUNNING") return row;
      if (!this.#closing && (!row.runLeaseUntil || row.runLeaseUntil.getTime() <= Date.now())) {
        const [run] = await this.#takeOverAbandoned(1, processId);
        if (run) return this.#track(run, this.#continueRun(run));
      }
      if (Date.now() > deadline) return row;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  #visibleTo(viewer: Viewer): SQL | undefined {
    if (isAdmin(viewer)) return undefined;
    const groups = viewer.groups.length ? sql` or t.candidate_groups && ${sql.param(viewer.groups)}::text[]` : sql``;
    return or(
      eq(processes.initiator, viewer.id),
      sql`exists (select 1 from ${tasks} t where t.process_id = ${processes.id} and (t.assignee = ${viewer.id}${groups}))`,
      // Whoever decided one of its tasks held it, even through a group they have since left.
      sql`exists (select 1 from ${decisions} d where d.process_id = ${processes.id} and d.decided_by = ${viewer.id})`,
    );
  }

  #openTasksFor(viewer: Viewer): SQL | undefined {
    const assigned = eq(tasks.assignee, viewer.id);
    const forGroups = viewer.groups.length ? sql`${tasks.candidateGroups} && ${sql.param(viewer.groups)}::text[]` : undefined;
    return and(
      // A literal, not a parameter: the partial indexes on open tasks stay usable even under a
      // generic plan (test/query-plans.test.ts).
      sql`${tasks.status} = 'OPEN'`,
      forGroups ? or(assigned, forGroups) : assigned,
      // Nobody's inbox shows their own request, even through a group.
      sql`not exists (select 1 from ${processes} p where p.id = ${tasks.processId} and p.initiator = ${viewer.id})`,
    );
  }
}

/**
 * The node(s) whose step wrote a checkpoint: those that saw the newest channel versions. Read from
 * the checkpoint's versions_seen rather than from its parent's `next`, which names the writer only
 * when every step is checkpointed (with durability "exit", several steps end in one checkpoint).
 */
function lastNodesRun(versionsSeen: Record<string, Record<string, unknown>> | undefined): string | null {
  // Versions are numbers, or (PostgresSaver) strings that start with a zero-padded counter.
  const counter = (version: unknown) => Number.parseInt(String(version).split(".")[0] ?? "", 10) || 0;
  let newest = -1;
  let nodes: string[] = [];
  for (const [node, seen] of Object.entries(versionsSeen ?? {})) {
    if (node === "__input__" || node === "__interrupt__") continue; // bookkeeping, not nodes
    const version = Math.max(-1, ...Object.values(seen).map(counter));
    if (version > newest) [newest, nodes] = [version, [node]];
    else if (version === newest) nodes.push(node);
  }
  return nodes.length ? nodes.sort().join(",") : null;
}

/**
 * What a failed run tells clients: the message of an error the workflow's own code raised, but
 * nothing from the database or the system underneath (those go to the log only).
 */
function failureMessageFor(error: unknown): string {
  const internal =
    !(error instanceof Error) ||
    isDatabaseError(error) ||
    typeof (error as { code?: unknown }).code === "string" ||
    error.name === "AggregateError";
  return internal ? "The workflow failed because of an internal error." : error.message.slice(0, 2_000);
}

const PROCESS_COLUMNS = Object.entries(getTableColumns(processes));
/**
 * The columns hand-written statements return, listed rather than `*`: a prepared statement whose
 * result type changes (a column added while servers run) fails once per connection.
 */
const PROCESS_RETURNING = sql.raw(PROCESS_COLUMNS.map(([, column]) => `"${column.name}"`).join(", "));
const COLUMN_OF = getTableColumns(processes) as Record<string, (typeof PROCESS_COLUMNS)[number][1]>;

/** Field values of a processes row as (column, SQL value) pairs for hand-written statements. */
function columnValues(values: Record<string, unknown>): Array<[SQLWrapper, SQLWrapper]> {
  return Object.entries(values)
    .filter(([, value]) => value !== undefined)
    .map(([field, value]) => {
      const column = COLUMN_OF[field];
      if (!column) throw new Error(`processes has no field ${field}`);
      return [sql.identifier(column.name), is(value, SQL) ? (value as SQL) : sql.param(value, column)];
    });
}

/** A processes row read with raw SQL (column names) as Drizzle would return it (field names). */
function processFromRow(row: Record<string, unknown>): ProcessRow {
  return Object.fromEntries(
    PROCESS_COLUMNS.map(([field, column]) => {
      const value = row[column.name];
      return [field, value === null || value === undefined ? null : column.mapFromDriverValue(value)];
    }),
  ) as ProcessRow;
}

/** The resume value a recorded decision stands for. */
function responseTo(decision: DecisionRow): HumanTaskResponse {
  return {
    decision: decision.decision,
    comment: decision.comment,
    decidedBy: decision.decidedBy,
    decidedAt: decision.decidedAt.toISOString(),
  };
}

const requestHashOf = (request: unknown) => createHash("sha256").update(JSON.stringify(request)).digest("base64url");

/** Picks the task a decision is about: the named one, or the caller's only open task on the process. */
function taskToDecide(viewer: Viewer, process: ProcessRow, processTasks: TaskRow[], taskId: string | null): TaskRow {
  if (process.initiator === viewer.id) throw new ForbiddenError("Nobody may decide on their own request.");
  if (taskId !== null) {
    const task = processTasks.find((t) => t.id === taskId);
    if (!task) throw new NotFoundError("Task", taskId);
    if (!mayDecide(viewer, task)) throw new ForbiddenError("This task is assigned to someone else.");
    if (task.status !== "OPEN") throw new ConflictError("This task has already been decided.");
    return task;
  }
  const open = processTasks.filter((t) => t.status === "OPEN");
  const mine = open.filter((t) => mayDecide(viewer, t));
  if (mine.length === 1 && mine[0]) return mine[0];
  if (mine.length > 1)
    throw new BadUserInputError("taskId", "You have several open tasks on this process: name one with taskId.");
  // CONFLICT only to whoever could have decided: anyone else learns nothing of the process's state.
  if (open.length > 0 || !processTasks.some((t) => mayDecide(viewer, t))) {
    throw new ForbiddenError("This process has no open task for you.");
  }
  throw new ConflictError("This process has no open task: it has already been decided.");
}

/** Whether the viewer may decide the task: its assignee or a member of one of its groups. */
export function mayDecide(viewer: Viewer, task: Pick<TaskRow, "assignee" | "candidateGroups">): boolean {
  return task.assignee === viewer.id || task.candidateGroups.some((group) => viewer.groups.includes(group));
}
