import { sql } from "drizzle-orm";
import {
  bigint,
  check,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

// Millisecond precision so that a timestamp survives the round trip through a JS Date, which
// keeps keyset cursors (created_at, id) exact.
const at = (name: string) => timestamp(name, { withTimezone: true, precision: 3, mode: "date" });

export const processStatuses = ["RUNNING", "PENDING_REVIEW", "APPROVED", "REJECTED", "FAILED", "CANCELLED"] as const;
export type ProcessStatus = (typeof processStatuses)[number];
export const taskStatuses = ["OPEN", "COMPLETED", "CANCELLED"] as const;
export type TaskStatus = (typeof taskStatuses)[number];
export const decisionValues = ["APPROVE", "REJECT"] as const;
export type DecisionValue = (typeof decisionValues)[number];
export const processEventTypes = ["STARTED", "TASK_CREATED", "DECIDED", "COMPLETED", "FAILED", "CANCELLED"] as const;
export type ProcessEventType = (typeof processEventTypes)[number];

const inList = (column: string, values: readonly string[]) => sql.raw(`${column} in (${values.map((v) => `'${v}'`).join(", ")})`);

export const processes = pgTable(
  "processes",
  {
    id: uuid("id").primaryKey(),
    workflow: text("workflow").notNull(),
    status: text("status").$type<ProcessStatus>().notNull(),
    initiator: text("initiator").notNull(),
    approver: text("approver").notNull(),
    // Unconstrained numeric keeps the scale it was written with ("1250.00" stays "1250.00").
    amount: numeric("amount").notNull(),
    currency: text("currency").notNull(),
    description: text("description").notNull(),
    currentNode: text("current_node"),
    /** Incremented by every committed change of the process. */
    version: integer("version").notNull().default(1),
    /** The last event sequence handed out; the next event gets lastSequence + 1. */
    lastSequence: integer("last_sequence").notNull().default(0),
    failureMessage: text("failure_message"),
    failureNode: text("failure_node"),
    failedAt: at("failed_at"),
    /**
     * While RUNNING: until when the instance running the graph owns the run (it renews this while
     * the run lasts). A RUNNING process whose lease has expired was abandoned and is recovered.
     */
    runLeaseUntil: at("run_lease_until"),
    /**
     * Identifies the run holding the lease. Recording a run's result is conditional on it, so a
     * run that stalled past its lease and was taken over cannot overwrite the newer outcome.
     */
    runToken: uuid("run_token"),
    createdAt: at("created_at").notNull().defaultNow(),
    updatedAt: at("updated_at").notNull().defaultNow(),
    completedAt: at("completed_at"),
    /** The graph's last state values, kept when the retention job removes the checkpoints. */
    finalState: jsonb("final_state"),
    /** When the retention job removed this process's LangGraph checkpoints. */
    checkpointsPrunedAt: at("checkpoints_pruned_at"),
  },
  (t) => [
    check("processes_status_check", inList("status", processStatuses)),
    check("processes_amount_positive", sql`${t.amount} > 0`),
    index("processes_initiator_created_idx").on(t.initiator, t.createdAt.desc(), t.id.desc()),
    index("processes_created_idx").on(t.createdAt.desc(), t.id.desc()),
    index("processes_running_lease_idx").on(t.runLeaseUntil).where(sql`status = 'RUNNING'`),
    index("processes_prunable_idx")
      .on(t.completedAt)
      .where(sql`checkpoints_pruned_at is null and status in ('APPROVED', 'REJECTED', 'CANCELLED')`),
  ],
);

export const tasks = pgTable(
  "tasks",
  {
    id: uuid("id").primaryKey(),
    processId: uuid("process_id")
      .notNull()
      .references(() => processes.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    status: text("status").$type<TaskStatus>().notNull().default("OPEN"),
    assignee: text("assignee"),
    candidateGroups: text("candidate_groups").array().notNull().default(sql`'{}'::text[]`),
    allowedDecisions: text("allowed_decisions").array().$type<DecisionValue[]>().notNull(),
    /** The LangGraph interrupt this task answers; resuming uses it. */
    interruptId: text("interrupt_id").notNull(),
    node: text("node").notNull(),
    title: text("title").notNull(),
    /** What the interrupt asked to show the person deciding. */
    payload: jsonb("payload").notNull(),
    createdAt: at("created_at").notNull().defaultNow(),
    completedAt: at("completed_at"),
  },
  (t) => [
    check("tasks_status_check", inList("status", taskStatuses)),
    uniqueIndex("tasks_process_interrupt_uq").on(t.processId, t.interruptId),
    index("tasks_process_idx").on(t.processId, t.createdAt),
    // The inbox: "open tasks for user X or groups G, oldest first".
    index("tasks_open_assignee_idx")
      .on(t.assignee, t.createdAt, t.id)
      .where(sql`status = 'OPEN'`),
    index("tasks_open_groups_idx").using("gin", t.candidateGroups).where(sql`status = 'OPEN'`),
    index("tasks_assignee_idx").on(t.assignee),
  ],
);

export const decisions = pgTable(
  "decisions",
  {
    id: uuid("id").primaryKey(),
    taskId: uuid("task_id")
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
    processId: uuid("process_id")
      .notNull()
      .references(() => processes.id, { onDelete: "cascade" }),
    decision: text("decision").$type<DecisionValue>().notNull(),
    comment: text("comment"),
    decidedBy: text("decided_by").notNull(),
    decidedAt: at("decided_at").notNull().defaultNow(),
  },
  (t) => [
    check("decisions_decision_check", inList("decision", decisionValues)),
    uniqueIndex("decisions_task_uq").on(t.taskId),
    index("decisions_process_idx").on(t.processId, t.decidedAt),
  ],
);

export const processEvents = pgTable(
  "process_events",
  {
    /** Global commit order, for relays that publish across processes. */
    id: bigint("id", { mode: "number" }).generatedAlwaysAsIdentity().notNull().unique(),
    processId: uuid("process_id")
      .notNull()
      .references(() => processes.id, { onDelete: "cascade" }),
    /** 1, 2, 3… per process, without gaps. */
    sequence: integer("sequence").notNull(),
    type: text("type").$type<ProcessEventType>().notNull(),
    taskId: uuid("task_id"),
    actor: text("actor"),
    processStatus: text("process_status").$type<ProcessStatus>().notNull(),
    processVersion: integer("process_version").notNull(),
    at: at("at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.processId, t.sequence] }),
    check("process_events_type_check", inList("type", processEventTypes)),
  ],
);

export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    userId: text("user_id").notNull(),
    operation: text("operation").notNull(),
    key: text("key").notNull(),
    /** Hash of the request's input, so a reused key with a different input is refused. */
    requestHash: text("request_hash").notNull(),
    processId: uuid("process_id").notNull(),
    createdAt: at("created_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.operation, t.key] }), index("idempotency_keys_created_idx").on(t.createdAt)],
);

export type ProcessRow = typeof processes.$inferSelect;
export type TaskRow = typeof tasks.$inferSelect;
export type DecisionRow = typeof decisions.$inferSelect;
export type ProcessEventRow = typeof processEvents.$inferSelect;
