import type { BaseCheckpointSaver } from "@langchain/langgraph";
import { Annotation, END, interrupt, START, StateGraph } from "@langchain/langgraph";
import type { HumanTaskRequest, HumanTaskResponse } from "./human-task.js";

export const EXPENSE_APPROVAL = "expense-approval";

export type ExpenseRequest = {
  initiator: string;
  approver: string;
  /** Exact decimal string, e.g. "1250.00". */
  amount: string;
  currency: string;
  description: string;
};

export type HistoryEntry = { at: string; node: string; message: string };

export type ExpenseOutcome = "APPROVED" | "REJECTED";

export const ExpenseApprovalState = Annotation.Root({
  request: Annotation<ExpenseRequest>(),
  decision: Annotation<HumanTaskResponse | null>({ reducer: (_, next) => next, default: () => null }),
  outcome: Annotation<ExpenseOutcome | null>({ reducer: (_, next) => next, default: () => null }),
  /** A readable account of what happened, oldest first. */
  history: Annotation<HistoryEntry[]>({ reducer: (all, added) => all.concat(added), default: () => [] }),
});

export type ExpenseApprovalValues = typeof ExpenseApprovalState.State;

/** Optional hooks for tests and instrumentation; they must not have side effects on the run. */
export type ExpenseApprovalHooks = {
  /** Called every time the review node body runs past its interrupt (i.e. once per resume). */
  onReviewResumed?: (threadId: string) => void | Promise<void>;
};

function submit(state: ExpenseApprovalValues): Partial<ExpenseApprovalValues> {
  const { initiator, amount, currency, description } = state.request;
  return {
    history: [
      { at: new Date().toISOString(), node: "submit", message: `${initiator} requested ${amount} ${currency}: ${description}` },
    ],
  };
}

function reviewNode(hooks: ExpenseApprovalHooks) {
  return async (state: ExpenseApprovalValues, config: { configurable?: Record<string, unknown> }) => {
    const { initiator, approver, amount, currency, description } = state.request;
    const request: HumanTaskRequest = {
      kind: "REVIEW",
      assignee: approver,
      candidateGroups: [],
      allowedDecisions: ["APPROVE", "REJECT"],
      title: `Approve ${amount} ${currency} for ${initiator}`,
      details: { initiator, amount, currency, description },
      node: "review",
    };
    // Nothing before this line may have a side effect: the node re-runs from the top on resume.
    const response = interrupt<HumanTaskRequest, HumanTaskResponse>(request);
    await hooks.onReviewResumed?.(String(config.configurable?.thread_id ?? ""));
    const verb = response.decision === "APPROVE" ? "approved" : "rejected";
    const comment = response.comment ? `: ${response.comment}` : "";
    return {
      decision: response,
      history: [{ at: response.decidedAt, node: "review", message: `${response.decidedBy} ${verb}${comment}` }],
    };
  };
}

function conclude(outcome: ExpenseOutcome) {
  return (): Partial<ExpenseApprovalValues> => ({
    outcome,
    history: [{ at: new Date().toISOString(), node: outcome.toLowerCase(), message: `request ${outcome.toLowerCase()}` }],
  });
}

/** The expense approval workflow: submit -> review (human) -> approved | rejected. */
export function buildExpenseApprovalGraph(checkpointer: BaseCheckpointSaver, hooks: ExpenseApprovalHooks = {}) {
  return new StateGraph(ExpenseApprovalState)
    .addNode("submit", submit)
    .addNode("review", reviewNode(hooks))
    .addNode("approved", conclude("APPROVED"))
    .addNode("rejected", conclude("REJECTED"))
    .addEdge(START, "submit")
    .addEdge("submit", "review")
    .addConditionalEdges("review", (state) => (state.decision?.decision === "APPROVE" ? "approved" : "rejected"), [
      "approved",
      "rejected",
    ])
    .addEdge("approved", END)
    .addEdge("rejected", END)
    .compile({ checkpointer });
}

export type ExpenseApprovalGraph = ReturnType<typeof buildExpenseApprovalGraph>;
