import { requireViewer } from "../context.js";
import type { TaskRow } from "../db/schema.js";
import { MAX_PAGE_SIZE } from "../processes/pagination.js";
import { builder } from "./builder.js";
import { connectionOf } from "./connection.js";
import { Decision } from "./decision.js";
import { Process } from "./process.js";

const TaskStatus = builder.enumType("TaskStatus", {
  description: "Where a human task stands.",
  values: {
    OPEN: { description: "Waiting for a decision." },
    COMPLETED: { description: "Decided." },
    CANCELLED: { description: "No longer needed." },
  },
});

const TaskKind = builder.enumType("TaskKind", {
  description: "What a human task asks for.",
  values: { REVIEW: { description: "Approve or reject a request." } },
});

export const Task = builder.objectRef<TaskRow>("Task");

Task.implement({
  description: "A step where the workflow waits for a person: created by an interrupt() in the graph.",
  fields: (t) => ({
    id: t.exposeID("id", { description: "The task id." }),
    processId: t.exposeID("processId", { description: "The process it belongs to." }),
    process: t.field({
      type: Process,
      description: "The process it belongs to.",
      resolve: async (task, _args, ctx) => {
        const process = await ctx.loaders.process.load(task.processId);
        if (!process) throw new Error(`task ${task.id} has no process`);
        return process;
      },
    }),
    kind: t.field({ type: TaskKind, description: "What it asks for.", resolve: (task) => task.kind as "REVIEW" }),
    status: t.field({ type: TaskStatus, description: "Where it stands.", resolve: (task) => task.status }),
    assignee: t.exposeID("assignee", { nullable: true, description: "The user it is assigned to, if any." }),
    candidateGroups: t.exposeStringList("candidateGroups", { description: "Groups whose members may decide it." }),
    allowedDecisions: t.field({
      type: [Decision],
      description: "The decisions it accepts.",
      resolve: (task) => task.allowedDecisions,
    }),
    title: t.exposeString("title", { description: "A one-line summary for an inbox." }),
    details: t.field({
      type: "JSON",
      description: "What the workflow asked to show the person deciding.",
      resolve: (task) => task.payload,
    }),
    node: t.exposeString("node", { description: "The workflow node that asked for it." }),
    createdAt: t.field({ type: "DateTime", description: "When it was created.", resolve: (task) => task.createdAt }),
    completedAt: t.field({
      type: "DateTime",
      nullable: true,
      description: "When it was decided or cancelled.",
      resolve: (task) => task.completedAt,
    }),
  }),
});

const TaskConnection = connectionOf("Task", Task, "task");

builder.queryFields((t) => ({
  pendingTasks: t.field({
    type: TaskConnection,
    description: "The caller's open tasks (assigned to them or to one of their groups), oldest first.",
    args: {
      first: t.arg.int({ description: `Page size, at most ${MAX_PAGE_SIZE} (default 20).` }),
      after: t.arg.string({ description: "Cursor after which the page starts (pageInfo.endCursor)." }),
    },
    resolve: (_root, args, ctx) => ctx.processes.pendingTasks(requireViewer(ctx), args),
  }),
}));
