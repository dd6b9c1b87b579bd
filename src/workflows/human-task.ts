/**
 * The protocol between a workflow and the service that drives it: a node asks for a human by
 * calling `interrupt(request)` with a HumanTaskRequest, and is resumed with a HumanTaskResponse.
 */
export type HumanTaskRequest = {
  kind: "REVIEW";
  /** The user who should act, if one is named. */
  assignee: string | null;
  /** Groups whose members may act. */
  candidateGroups: string[];
  allowedDecisions: Array<"APPROVE" | "REJECT">;
  /** A one-line summary for an inbox. */
  title: string;
  /** Whatever the screen should show the person deciding. */
  details: Record<string, unknown>;
  /** The node asking (saves the service reading the graph state to find out). */
  node?: string;
};

export type HumanTaskResponse = {
  decision: "APPROVE" | "REJECT";
  comment: string | null;
  decidedBy: string;
  decidedAt: string;
};

/** Narrows an interrupt value found in a graph's state to a HumanTaskRequest. */
export function isHumanTaskRequest(value: unknown): value is HumanTaskRequest {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    v.kind === "REVIEW" &&
    (v.assignee === null || typeof v.assignee === "string") &&
    Array.isArray(v.candidateGroups) &&
    Array.isArray(v.allowedDecisions) &&
    typeof v.title === "string"
  );
}
