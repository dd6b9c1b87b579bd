import { requireViewer } from "../context.js";
import type { DecisionRow, ProcessRow } from "../db/schema.js";
import { builder } from "./builder.js";
import { Process } from "./process.js";

export const Decision = builder.enumType("Decision", {
  description: "What a reviewer decides.",
  values: {
    APPROVE: { description: "Approve the request." },
    REJECT: { description: "Reject the request." },
  },
});

export const DecisionRecord = builder.objectRef<DecisionRow>("DecisionRecord").implement({
  description: "A decision taken on a task.",
  fields: (t) => ({
    id: t.exposeID("id", { description: "The decision id." }),
    taskId: t.exposeID("taskId", { description: "The task it decided." }),
    decision: t.field({ type: Decision, description: "What was decided.", resolve: (d) => d.decision }),
    comment: t.exposeString("comment", { nullable: true, description: "The reviewer's comment." }),
    decidedBy: t.exposeID("decidedBy", { description: "Who decided." }),
    decidedAt: t.field({ type: "DateTime", description: "When.", resolve: (d) => d.decidedAt }),
  }),
});

const DecideInput = builder.inputType("DecideInput", {
  description: "A decision on an open task.",
  fields: (t) => ({
    processId: t.id({ required: true, description: "The process." }),
    taskId: t.id({ description: "The task; may be omitted when the caller has exactly one open task on the process." }),
    decision: t.field({ type: Decision, required: true, description: "APPROVE or REJECT." }),
    comment: t.string({ description: "Why (up to 2000 characters)." }),
    idempotencyKey: t.string({
      description:
        "Makes retries safe: the same key with the same input answers with the process this key decided (as it stands now) instead of deciding again.",
    }),
    expectedVersion: t.int({
      description: "Optimistic check: decide only if the process is still at this version (Process.version); CONFLICT otherwise.",
    }),
  }),
});

const DecidePayload = builder.objectRef<{ process: ProcessRow }>("DecidePayload").implement({
  description: "The result of decide.",
  fields: (t) => ({
    process: t.field({
      type: Process,
      description: "The process after the workflow ran to its next pause or its end.",
      resolve: (r) => r.process,
    }),
  }),
});

builder.mutationFields((t) => ({
  decide: t.field({
    type: DecidePayload,
    description: "Decides an open task and resumes the workflow; returns once it has run to its next pause or its end.",
    args: { input: t.arg({ type: DecideInput, required: true, description: "The decision." }) },
    resolve: async (_root, { input }, ctx) => ({
      process: await ctx.processes.decide(requireViewer(ctx), {
        ...input,
        processId: String(input.processId),
        taskId: input.taskId === null || input.taskId === undefined ? null : String(input.taskId),
      }),
    }),
  }),
}));
