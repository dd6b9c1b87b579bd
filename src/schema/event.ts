import { requireViewer } from "../context.js";
import type { ProcessEventRow } from "../db/schema.js";
import { builder } from "./builder.js";
import { Process, ProcessStatus } from "./process.js";
import { Task } from "./task.js";

const ProcessEventType = builder.enumType("ProcessEventType", {
  description: "What changed.",
  values: {
    STARTED: { description: "The process was started." },
    TASK_CREATED: { description: "The workflow interrupted and a human task exists." },
    DECIDED: { description: "A task was decided." },
    COMPLETED: { description: "The process finished: approved or rejected." },
    FAILED: { description: "The workflow failed." },
    CANCELLED: { description: "The process was cancelled." },
  },
});

const ProcessEvent = builder.objectRef<ProcessEventRow>("ProcessEvent").implement({
  description: "A change of a process, as written to its event log.",
  fields: (t) => ({
    sequence: t.exposeInt("sequence", { description: "Counts the process's events from 1, without gaps." }),
    type: t.field({ type: ProcessEventType, description: "What changed.", resolve: (e) => e.type }),
    at: t.field({ type: "DateTime", description: "When it was committed.", resolve: (e) => e.at }),
    actor: t.exposeID("actor", { nullable: true, description: "Who caused it, when a person did." }),
    processStatus: t.field({
      type: ProcessStatus,
      description: "The process's status right after this event (see `process` for its current state).",
      resolve: (e) => e.processStatus,
    }),
    processVersion: t.exposeInt("processVersion", { description: "The process's version right after this event." }),
    process: t.field({
      type: Process,
      description: "The process as it is now.",
      resolve: async (e, _args, ctx) => {
        const process = await ctx.loaders.process.load(e.processId);
        if (!process) throw new Error(`event of unknown process ${e.processId}`);
        return process;
      },
    }),
    task: t.field({
      type: Task,
      nullable: true,
      description: "The task it is about (TASK_CREATED, DECIDED).",
      resolve: (e, _args, ctx) => (e.taskId ? ctx.loaders.task.load(e.taskId) : null),
    }),
  }),
});

builder.subscriptionFields((t) => ({
  processUpdated: t.field({
    type: ProcessEvent,
    description:
      "Every change of a process, live. With `after`, logged events with a greater sequence are replayed first, so a client that reconnects misses nothing.",
    args: {
      id: t.arg.id({ required: true, description: "The process id." }),
      after: t.arg.int({
        description:
          "Replay logged events with a sequence greater than this first (the last sequence you saw). A value beyond the process's latest sequence counts as that sequence: delivery starts with the next event, so nothing is skipped.",
      }),
    },
    subscribe: (_root, args, ctx) => ctx.processes.subscribe(requireViewer(ctx), String(args.id), args.after),
    resolve: (event) => event,
  }),
}));
