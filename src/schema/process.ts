import { requireViewer } from "../context.js";
import type { ProcessRow, processStatuses } from "../db/schema.js";
import { MAX_PAGE_SIZE } from "../processes/pagination.js";
import type { CheckpointEntry as CheckpointEntryShape } from "../processes/service.js";
import { builder } from "./builder.js";
import { connectionOf } from "./connection.js";
import { DecisionRecord } from "./decision.js";
import { Task } from "./task.js";

export const ProcessStatus = builder.enumType("ProcessStatus", {
  description: "Where a process stands.",
  values: {
    RUNNING: { description: "The workflow is running (between human steps)." },
    PENDING_REVIEW: { description: "The workflow waits for a human decision on an open task." },
    APPROVED: { description: "Finished: the request was approved." },
    REJECTED: { description: "Finished: the request was rejected." },
    FAILED: { description: "The workflow failed; see `failure`." },
    CANCELLED: { description: "The process was cancelled." },
  } satisfies Record<(typeof processStatuses)[number], unknown>,
});

const CheckpointEntry = builder.objectRef<CheckpointEntryShape>("CheckpointEntry").implement({
  description: "One LangGraph checkpoint of a process's run.",
  fields: (t) => ({
    checkpointId: t.exposeID("checkpointId", { description: "The checkpoint's id." }),
    parentCheckpointId: t.exposeID("parentCheckpointId", { nullable: true, description: "The checkpoint this one follows." }),
    step: t.exposeInt("step", { description: "The superstep: -1 for the input checkpoint, then 0, 1, 2…" }),
    source: t.exposeString("source", { description: "What created it: input, loop, update or fork." }),
    node: t.exposeString("node", {
      nullable: true,
      description:
        "The node whose step wrote this checkpoint: the last that ran before it (several, comma-separated, when they ran in parallel); null for input. With durability 'exit' one checkpoint can follow several steps.",
    }),
    next: t.exposeStringList("next", { description: "Nodes due to run after this checkpoint." }),
    createdAt: t.field({ type: "DateTime", description: "When it was written.", resolve: (c) => c.createdAt }),
  }),
});

const ProcessFailure = builder.objectRef<{ message: string; node: string | null; at: Date }>("ProcessFailure").implement({
  description: "Why a process failed.",
  fields: (t) => ({
    message: t.exposeString("message", { description: "The error message (no stack)." }),
    node: t.exposeString("node", { nullable: true, description: "The workflow node that failed, when known." }),
    at: t.field({ type: "DateTime", description: "When it failed.", resolve: (f) => f.at }),
  }),
});

export const Process = builder.objectRef<ProcessRow>("Process");

Process.implement({
  description: "One run of an approval workflow, from request to outcome.",
  fields: (t) => ({
    id: t.exposeID("id", { description: "The process id (also the LangGraph thread id)." }),
    workflow: t.exposeString("workflow", { description: "Which workflow runs it, e.g. expense-approval." }),
    status: t.field({ type: ProcessStatus, description: "Where the process stands.", resolve: (p) => p.status }),
    initiator: t.exposeID("initiator", { description: "The user who started it." }),
    approver: t.exposeID("approver", { description: "The user asked to review it." }),
    amount: t.field({ type: "Decimal", description: "The amount requested, exact.", resolve: (p) => p.amount }),
    currency: t.exposeString("currency", { description: "ISO 4217 currency code of the amount." }),
    description: t.exposeString("description", { description: "What the money is for." }),
    currentNode: t.exposeString("currentNode", {
      nullable: true,
      description: "The workflow node it waits in or runs; null once finished.",
    }),
    version: t.exposeInt("version", { description: "Increases with every change of the process." }),
    createdAt: t.field({ type: "DateTime", description: "When it was started.", resolve: (p) => p.createdAt }),
    updatedAt: t.field({ type: "DateTime", description: "When it last changed.", resolve: (p) => p.updatedAt }),
    completedAt: t.field({
      type: "DateTime",
      nullable: true,
      description: "When it reached APPROVED or REJECTED.",
      resolve: (p) => p.completedAt,
    }),
    failure: t.field({
      type: ProcessFailure,
      nullable: true,
      description: "Why it failed, when status is FAILED.",
      resolve: (p) =>
        p.status === "FAILED" && p.failedAt ? { message: p.failureMessage ?? "", node: p.failureNode, at: p.failedAt } : null,
    }),
    pendingTasks: t.field({
      type: [Task],
      description: "Its open tasks, oldest first.",
      resolve: async (p, _args, ctx) => (await ctx.loaders.tasksOfProcess.load(p.id)).filter((task) => task.status === "OPEN"),
    }),
    tasks: t.field({
      type: [Task],
      description: "All its tasks, open or not, oldest first.",
      resolve: (p, _args, ctx) => ctx.loaders.tasksOfProcess.load(p.id),
    }),
    decisions: t.field({
      type: [DecisionRecord],
      description: "The decisions taken on it, oldest first.",
      resolve: (p, _args, ctx) => ctx.loaders.decisionsOfProcess.load(p.id),
    }),
    state: t.field({
      type: "JSON",
      description: "The workflow's current state values (LangGraph getState().values).",
      resolve: (p, _args, ctx) => ctx.processes.state(p),
    }),
    history: t.field({
      type: [CheckpointEntry],
      description: "The LangGraph checkpoints of its run, newest first (empty once the retention job has pruned them).",
      args: {
        first: t.arg.int({ description: `How many checkpoints, at most ${MAX_PAGE_SIZE} (default 20).` }),
      },
      resolve: (p, args, ctx) => ctx.processes.history(p, args.first),
    }),
  }),
});

const ProcessConnection = connectionOf("Process", Process, "process", "processes");

builder.queryFields((t) => ({
  process: t.field({
    type: Process,
    nullable: true,
    description: "A process by id: visible to its initiator, its task holders and admins; NOT_FOUND for anyone else.",
    args: { id: t.arg.id({ required: true, description: "The process id." }) },
    resolve: (_root, args, ctx) => ctx.processes.findVisible(requireViewer(ctx), String(args.id)),
  }),
  processes: t.field({
    type: ProcessConnection,
    description: "Processes the caller started or holds tasks on (every process for admins), newest first.",
    args: {
      status: t.arg({ type: ProcessStatus, description: "Only processes in this status." }),
      first: t.arg.int({ description: `Page size, at most ${MAX_PAGE_SIZE} (default 20).` }),
      after: t.arg.string({ description: "Cursor after which the page starts (pageInfo.endCursor)." }),
    },
    resolve: (_root, args, ctx) => ctx.processes.list(requireViewer(ctx), args),
  }),
}));

const StartProcessInput = builder.inputType("StartProcessInput", {
  description: "A request for approval of an expense.",
  fields: (t) => ({
    approver: t.id({ required: true, description: "The user who should review it; not the caller." }),
    amount: t.field({
      type: "Decimal",
      required: true,
      description: 'The amount, e.g. "1250.00"; positive, within the currency\'s precision.',
    }),
    currency: t.string({ description: "ISO 4217 currency code; USD when omitted." }),
    description: t.string({ required: true, description: "What the money is for (1 to 1000 characters)." }),
    idempotencyKey: t.string({
      description:
        "Makes retries safe: the same key with the same input answers with the process this key started (as it stands now) instead of starting another.",
    }),
  }),
});

const StartProcessPayload = builder.objectRef<{ process: ProcessRow }>("StartProcessPayload").implement({
  description: "The result of startProcess.",
  fields: (t) => ({
    process: t.field({
      type: Process,
      description: "The process as it stands once the workflow waits for review.",
      resolve: (r) => r.process,
    }),
  }),
});

const RetryProcessPayload = builder.objectRef<{ process: ProcessRow }>("RetryProcessPayload").implement({
  description: "The result of retryProcess.",
  fields: (t) => ({
    process: t.field({
      type: Process,
      description: "The process after its graph ran on from its last checkpoint.",
      resolve: (r) => r.process,
    }),
  }),
});

builder.mutationFields((t) => ({
  retryProcess: t.field({
    type: RetryProcessPayload,
    description:
      "Admins only: resumes a FAILED process from its last checkpoint; returns once the graph has paused, ended or failed again.",
    args: { id: t.arg.id({ required: true, description: "The FAILED process." }) },
    resolve: async (_root, args, ctx) => ({ process: await ctx.processes.retry(requireViewer(ctx), String(args.id)) }),
  }),
  startProcess: t.field({
    type: StartProcessPayload,
    description: "Starts an approval process; returns once the workflow has paused for review (or failed).",
    args: { input: t.arg({ type: StartProcessInput, required: true, description: "What to approve and by whom." }) },
    resolve: async (_root, { input }, ctx) => ({
      process: await ctx.processes.start(requireViewer(ctx), { ...input, approver: String(input.approver) }),
    }),
  }),
}));
