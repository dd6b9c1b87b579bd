/* eslint-disable */
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A point in time as an ISO 8601 string in UTC with milliseconds, e.g. "2026-01-31T09:30:00.000Z". */
  DateTime: { input: string; output: string; }
  /** An exact decimal number as a string of digits, e.g. "1250.00". Never a float. */
  Decimal: { input: string; output: string; }
  /** Any JSON value. */
  JSON: { input: unknown; output: unknown; }
};

/** One LangGraph checkpoint of a process's run. */
export type CheckpointEntry = {
  __typename?: 'CheckpointEntry';
  /** The checkpoint's id. */
  checkpointId: Scalars['ID']['output'];
  /** When it was written. */
  createdAt: Scalars['DateTime']['output'];
  /** Nodes due to run after this checkpoint. */
  next: Array<Scalars['String']['output']>;
  /** The node whose step wrote this checkpoint: the last that ran before it (several, comma-separated, when they ran in parallel); null for input. With durability 'exit' one checkpoint can follow several steps. */
  node?: Maybe<Scalars['String']['output']>;
  /** The checkpoint this one follows. */
  parentCheckpointId?: Maybe<Scalars['ID']['output']>;
  /** What created it: input, loop, update or fork. */
  source: Scalars['String']['output'];
  /** The superstep: -1 for the input checkpoint, then 0, 1, 2… */
  step: Scalars['Int']['output'];
};

/** A decision on an open task. */
export type DecideInput = {
  /** Why (up to 2000 characters). */
  comment?: InputMaybe<Scalars['String']['input']>;
  /** APPROVE or REJECT. */
  decision: Decision;
  /** Optimistic check: decide only if the process is still at this version (Process.version); CONFLICT otherwise. */
  expectedVersion?: InputMaybe<Scalars['Int']['input']>;
  /** Makes retries safe: the same key with the same input answers with the process this key decided (as it stands now) instead of deciding again. */
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  /** The process. */
  processId: Scalars['ID']['input'];
  /** The task; may be omitted when the caller has exactly one open task on the process. */
  taskId?: InputMaybe<Scalars['ID']['input']>;
};

/** The result of decide. */
export type DecidePayload = {
  __typename?: 'DecidePayload';
  /** The process after the workflow ran to its next pause or its end. */
  process: Process;
};

/** What a reviewer decides. */
export type Decision =
  /** Approve the request. */
  | 'APPROVE'
  /** Reject the request. */
  | 'REJECT';

/** A decision taken on a task. */
export type DecisionRecord = {
  __typename?: 'DecisionRecord';
  /** The reviewer's comment. */
  comment?: Maybe<Scalars['String']['output']>;
  /** When. */
  decidedAt: Scalars['DateTime']['output'];
  /** Who decided. */
  decidedBy: Scalars['ID']['output'];
  /** What was decided. */
  decision: Decision;
  /** The decision id. */
  id: Scalars['ID']['output'];
  /** The task it decided. */
  taskId: Scalars['ID']['output'];
};

/** Starting processes and deciding their tasks. */
export type Mutation = {
  __typename?: 'Mutation';
  /** Decides an open task and resumes the workflow; returns once it has run to its next pause or its end. */
  decide: DecidePayload;
  /** Admins only: resumes a FAILED process from its last checkpoint; returns once the graph has paused, ended or failed again. */
  retryProcess: RetryProcessPayload;
  /** Starts an approval process; returns once the workflow has paused for review (or failed). */
  startProcess: StartProcessPayload;
};


/** Starting processes and deciding their tasks. */
export type MutationDecideArgs = {
  input: DecideInput;
};


/** Starting processes and deciding their tasks. */
export type MutationRetryProcessArgs = {
  id: Scalars['ID']['input'];
};


/** Starting processes and deciding their tasks. */
export type MutationStartProcessArgs = {
  input: StartProcessInput;
};

/** Where a page sits in its list (Relay cursor connections). */
export type PageInfo = {
  __typename?: 'PageInfo';
  /** Cursor of the last item of this page: pass it as `after` to get the next page. */
  endCursor?: Maybe<Scalars['String']['output']>;
  /** Whether more items follow this page. */
  hasNextPage: Scalars['Boolean']['output'];
  /** Always false: lists page forward only, with first/after. */
  hasPreviousPage: Scalars['Boolean']['output'];
  /** Cursor of the first item of this page. */
  startCursor?: Maybe<Scalars['String']['output']>;
};

/** One run of an approval workflow, from request to outcome. */
export type Process = {
  __typename?: 'Process';
  /** The amount requested, exact. */
  amount: Scalars['Decimal']['output'];
  /** The user asked to review it. */
  approver: Scalars['ID']['output'];
  /** When it reached APPROVED or REJECTED. */
  completedAt?: Maybe<Scalars['DateTime']['output']>;
  /** When it was started. */
  createdAt: Scalars['DateTime']['output'];
  /** ISO 4217 currency code of the amount. */
  currency: Scalars['String']['output'];
  /** The workflow node it waits in or runs; null once finished. */
  currentNode?: Maybe<Scalars['String']['output']>;
  /** The decisions taken on it, oldest first. */
  decisions: Array<DecisionRecord>;
  /** What the money is for. */
  description: Scalars['String']['output'];
  /** Why it failed, when status is FAILED. */
  failure?: Maybe<ProcessFailure>;
  /** The LangGraph checkpoints of its run, newest first (empty once the retention job has pruned them). */
  history: Array<CheckpointEntry>;
  /** The process id (also the LangGraph thread id). */
  id: Scalars['ID']['output'];
  /** The user who started it. */
  initiator: Scalars['ID']['output'];
  /** Its open tasks, oldest first. */
  pendingTasks: Array<Task>;
  /** The workflow's current state values (LangGraph getState().values). */
  state: Scalars['JSON']['output'];
  /** Where the process stands. */
  status: ProcessStatus;
  /** All its tasks, open or not, oldest first. */
  tasks: Array<Task>;
  /** When it last changed. */
  updatedAt: Scalars['DateTime']['output'];
  /** Increases with every change of the process. */
  version: Scalars['Int']['output'];
  /** Which workflow runs it, e.g. expense-approval. */
  workflow: Scalars['String']['output'];
};


/** One run of an approval workflow, from request to outcome. */
export type ProcessHistoryArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** A page of processes (Relay cursor connection). */
export type ProcessConnection = {
  __typename?: 'ProcessConnection';
  /** The items of this page with their cursors. */
  edges: Array<ProcessEdge>;
  /** The items of this page, without cursors. */
  nodes: Array<Process>;
  /** Where this page sits in the list. */
  pageInfo: PageInfo;
  /** Number of processes in the whole list, across all pages. */
  totalCount: Scalars['Int']['output'];
};

/** One process in a page, with its cursor. */
export type ProcessEdge = {
  __typename?: 'ProcessEdge';
  /** Opaque position of this item; pass it as `after`. */
  cursor: Scalars['String']['output'];
  /** The process. */
  node: Process;
};

/** A change of a process, as written to its event log. */
export type ProcessEvent = {
  __typename?: 'ProcessEvent';
  /** Who caused it, when a person did. */
  actor?: Maybe<Scalars['ID']['output']>;
  /** When it was committed. */
  at: Scalars['DateTime']['output'];
  /** The process as it is now. */
  process: Process;
  /** The process's status right after this event (see `process` for its current state). */
  processStatus: ProcessStatus;
  /** The process's version right after this event. */
  processVersion: Scalars['Int']['output'];
  /** Counts the process's events from 1, without gaps. */
  sequence: Scalars['Int']['output'];
  /** The task it is about (TASK_CREATED, DECIDED). */
  task?: Maybe<Task>;
  /** What changed. */
  type: ProcessEventType;
};

/** What changed. */
export type ProcessEventType =
  /** The process was cancelled. */
  | 'CANCELLED'
  /** The process finished: approved or rejected. */
  | 'COMPLETED'
  /** A task was decided. */
  | 'DECIDED'
  /** The workflow failed. */
  | 'FAILED'
  /** The process was started. */
  | 'STARTED'
  /** The workflow interrupted and a human task exists. */
  | 'TASK_CREATED';

/** Why a process failed. */
export type ProcessFailure = {
  __typename?: 'ProcessFailure';
  /** When it failed. */
  at: Scalars['DateTime']['output'];
  /** The error message (no stack). */
  message: Scalars['String']['output'];
  /** The workflow node that failed, when known. */
  node?: Maybe<Scalars['String']['output']>;
};

/** Where a process stands. */
export type ProcessStatus =
  /** Finished: the request was approved. */
  | 'APPROVED'
  /** The process was cancelled. */
  | 'CANCELLED'
  /** The workflow failed; see `failure`. */
  | 'FAILED'
  /** The workflow waits for a human decision on an open task. */
  | 'PENDING_REVIEW'
  /** Finished: the request was rejected. */
  | 'REJECTED'
  /** The workflow is running (between human steps). */
  | 'RUNNING';

/** Reading processes, tasks and the caller. */
export type Query = {
  __typename?: 'Query';
  /** The caller's open tasks (assigned to them or to one of their groups), oldest first. */
  pendingTasks: TaskConnection;
  /** A process by id: visible to its initiator, its task holders and admins; NOT_FOUND for anyone else. */
  process?: Maybe<Process>;
  /** Processes the caller started or holds tasks on (every process for admins), newest first. */
  processes: ProcessConnection;
  /** The caller. */
  viewer: Viewer;
};


/** Reading processes, tasks and the caller. */
export type QueryPendingTasksArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** Reading processes, tasks and the caller. */
export type QueryProcessArgs = {
  id: Scalars['ID']['input'];
};


/** Reading processes, tasks and the caller. */
export type QueryProcessesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  status?: InputMaybe<ProcessStatus>;
};

/** The result of retryProcess. */
export type RetryProcessPayload = {
  __typename?: 'RetryProcessPayload';
  /** The process after its graph ran on from its last checkpoint. */
  process: Process;
};

/** A request for approval of an expense. */
export type StartProcessInput = {
  /** The amount, e.g. "1250.00"; positive, within the currency's precision. */
  amount: Scalars['Decimal']['input'];
  /** The user who should review it; not the caller. */
  approver: Scalars['ID']['input'];
  /** ISO 4217 currency code; USD when omitted. */
  currency?: InputMaybe<Scalars['String']['input']>;
  /** What the money is for (1 to 1000 characters). */
  description: Scalars['String']['input'];
  /** Makes retries safe: the same key with the same input answers with the process this key started (as it stands now) instead of starting another. */
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
};

/** The result of startProcess. */
export type StartProcessPayload = {
  __typename?: 'StartProcessPayload';
  /** The process as it stands once the workflow waits for review. */
  process: Process;
};

/** Live updates over WebSocket (graphql-ws protocol), or over HTTP as server-sent events. */
export type Subscription = {
  __typename?: 'Subscription';
  /** Every change of a process, live. With `after`, logged events with a greater sequence are replayed first, so a client that reconnects misses nothing. */
  processUpdated: ProcessEvent;
};


/** Live updates over WebSocket (graphql-ws protocol), or over HTTP as server-sent events. */
export type SubscriptionProcessUpdatedArgs = {
  after?: InputMaybe<Scalars['Int']['input']>;
  id: Scalars['ID']['input'];
};

/** A step where the workflow waits for a person: created by an interrupt() in the graph. */
export type Task = {
  __typename?: 'Task';
  /** The decisions it accepts. */
  allowedDecisions: Array<Decision>;
  /** The user it is assigned to, if any. */
  assignee?: Maybe<Scalars['ID']['output']>;
  /** Groups whose members may decide it. */
  candidateGroups: Array<Scalars['String']['output']>;
  /** When it was decided or cancelled. */
  completedAt?: Maybe<Scalars['DateTime']['output']>;
  /** When it was created. */
  createdAt: Scalars['DateTime']['output'];
  /** What the workflow asked to show the person deciding. */
  details: Scalars['JSON']['output'];
  /** The task id. */
  id: Scalars['ID']['output'];
  /** What it asks for. */
  kind: TaskKind;
  /** The workflow node that asked for it. */
  node: Scalars['String']['output'];
  /** The process it belongs to. */
  process: Process;
  /** The process it belongs to. */
  processId: Scalars['ID']['output'];
  /** Where it stands. */
  status: TaskStatus;
  /** A one-line summary for an inbox. */
  title: Scalars['String']['output'];
};

/** A page of tasks (Relay cursor connection). */
export type TaskConnection = {
  __typename?: 'TaskConnection';
  /** The items of this page with their cursors. */
  edges: Array<TaskEdge>;
  /** The items of this page, without cursors. */
  nodes: Array<Task>;
  /** Where this page sits in the list. */
  pageInfo: PageInfo;
  /** Number of tasks in the whole list, across all pages. */
  totalCount: Scalars['Int']['output'];
};

/** One task in a page, with its cursor. */
export type TaskEdge = {
  __typename?: 'TaskEdge';
  /** Opaque position of this item; pass it as `after`. */
  cursor: Scalars['String']['output'];
  /** The task. */
  node: Task;
};

/** What a human task asks for. */
export type TaskKind =
  /** Approve or reject a request. */
  | 'REVIEW';

/** Where a human task stands. */
export type TaskStatus =
  /** No longer needed. */
  | 'CANCELLED'
  /** Decided. */
  | 'COMPLETED'
  /** Waiting for a decision. */
  | 'OPEN';

/** The authenticated caller, as their token describes them. */
export type Viewer = {
  __typename?: 'Viewer';
  /** Groups; tasks may be assigned to them. */
  groups: Array<Scalars['String']['output']>;
  /** The user id (the token's sub). */
  id: Scalars['ID']['output'];
  /** Display name, when the token has one. */
  name?: Maybe<Scalars['String']['output']>;
  /** Roles, e.g. admin. */
  roles: Array<Scalars['String']['output']>;
};

export type ProcessesPageQueryVariables = Exact<{
  status?: InputMaybe<ProcessStatus>;
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type ProcessesPageQuery = { __typename?: 'Query', processes: { __typename?: 'ProcessConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null }, edges: Array<{ __typename?: 'ProcessEdge', cursor: string, node: { __typename?: 'Process', id: string, status: ProcessStatus, initiator: string, createdAt: string } }> } };

export type ProcessDetailsQueryVariables = Exact<{
  id: Scalars['ID']['input'];
  historyFirst?: InputMaybe<Scalars['Int']['input']>;
}>;


export type ProcessDetailsQuery = { __typename?: 'Query', process?: { __typename?: 'Process', id: string, status: ProcessStatus, version: number, amount: string, currency: string, currentNode?: string | null, completedAt?: string | null, state: unknown, failure?: { __typename?: 'ProcessFailure', message: string, node?: string | null, at: string } | null, tasks: Array<{ __typename?: 'Task', id: string, status: TaskStatus, assignee?: string | null, candidateGroups: Array<string>, title: string, details: unknown, node: string, completedAt?: string | null }>, decisions: Array<{ __typename?: 'DecisionRecord', id: string, taskId: string, decision: Decision, comment?: string | null, decidedBy: string }>, history: Array<{ __typename?: 'CheckpointEntry', checkpointId: string, parentCheckpointId?: string | null, step: number, source: string, node?: string | null, next: Array<string>, createdAt: string }> } | null };

export type StartMinimalMutationVariables = Exact<{
  input: StartProcessInput;
}>;


export type StartMinimalMutation = { __typename?: 'Mutation', startProcess: { __typename?: 'StartProcessPayload', process: { __typename?: 'Process', id: string, status: ProcessStatus, version: number, amount: string, currency: string, pendingTasks: Array<{ __typename?: 'Task', id: string, assignee?: string | null }> } } };

export type DecideMinimalMutationVariables = Exact<{
  input: DecideInput;
}>;


export type DecideMinimalMutation = { __typename?: 'Mutation', decide: { __typename?: 'DecidePayload', process: { __typename?: 'Process', id: string, status: ProcessStatus, version: number, decisions: Array<{ __typename?: 'DecisionRecord', decision: Decision, decidedBy: string }> } } };

export type ProcessEventsSubscriptionVariables = Exact<{
  id: Scalars['ID']['input'];
  after?: InputMaybe<Scalars['Int']['input']>;
}>;


export type ProcessEventsSubscription = { __typename?: 'Subscription', processUpdated: { __typename?: 'ProcessEvent', sequence: number, type: ProcessEventType, actor?: string | null, processStatus: ProcessStatus, processVersion: number, process: { __typename?: 'Process', id: string, status: ProcessStatus }, task?: { __typename?: 'Task', id: string, status: TaskStatus } | null } };

export type ViewerDetailsQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerDetailsQuery = { __typename?: 'Query', viewer: { __typename?: 'Viewer', id: string, name?: string | null, roles: Array<string>, groups: Array<string> } };

export type ContractTaskFragment = { __typename?: 'Task', id: string, processId: string, kind: TaskKind, status: TaskStatus, assignee?: string | null, candidateGroups: Array<string>, allowedDecisions: Array<Decision>, createdAt: string, completedAt?: string | null };

export type ContractDecisionFragment = { __typename?: 'DecisionRecord', id: string, taskId: string, decision: Decision, comment?: string | null, decidedBy: string, decidedAt: string };

export type ContractProcessFragment = { __typename?: 'Process', id: string, status: ProcessStatus, initiator: string, approver: string, amount: string, currency: string, description: string, currentNode?: string | null, version: number, createdAt: string, updatedAt: string, pendingTasks: Array<{ __typename?: 'Task', id: string, processId: string, kind: TaskKind, status: TaskStatus, assignee?: string | null, candidateGroups: Array<string>, allowedDecisions: Array<Decision>, createdAt: string, completedAt?: string | null }>, decisions: Array<{ __typename?: 'DecisionRecord', id: string, taskId: string, decision: Decision, comment?: string | null, decidedBy: string, decidedAt: string }> };

export type StartProcessMutationVariables = Exact<{
  input: StartProcessInput;
}>;


export type StartProcessMutation = { __typename?: 'Mutation', startProcess: { __typename?: 'StartProcessPayload', process: { __typename?: 'Process', id: string, status: ProcessStatus, initiator: string, approver: string, amount: string, currency: string, description: string, currentNode?: string | null, version: number, createdAt: string, updatedAt: string, pendingTasks: Array<{ __typename?: 'Task', id: string, processId: string, kind: TaskKind, status: TaskStatus, assignee?: string | null, candidateGroups: Array<string>, allowedDecisions: Array<Decision>, createdAt: string, completedAt?: string | null }>, decisions: Array<{ __typename?: 'DecisionRecord', id: string, taskId: string, decision: Decision, comment?: string | null, decidedBy: string, decidedAt: string }> } } };

export type DecideMutationVariables = Exact<{
  input: DecideInput;
}>;


export type DecideMutation = { __typename?: 'Mutation', decide: { __typename?: 'DecidePayload', process: { __typename?: 'Process', id: string, status: ProcessStatus, initiator: string, approver: string, amount: string, currency: string, description: string, currentNode?: string | null, version: number, createdAt: string, updatedAt: string, pendingTasks: Array<{ __typename?: 'Task', id: string, processId: string, kind: TaskKind, status: TaskStatus, assignee?: string | null, candidateGroups: Array<string>, allowedDecisions: Array<Decision>, createdAt: string, completedAt?: string | null }>, decisions: Array<{ __typename?: 'DecisionRecord', id: string, taskId: string, decision: Decision, comment?: string | null, decidedBy: string, decidedAt: string }> } } };

export type GetProcessQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type GetProcessQuery = { __typename?: 'Query', process?: { __typename?: 'Process', state: unknown, id: string, status: ProcessStatus, initiator: string, approver: string, amount: string, currency: string, description: string, currentNode?: string | null, version: number, createdAt: string, updatedAt: string, history: Array<{ __typename?: 'CheckpointEntry', checkpointId: string, parentCheckpointId?: string | null, step: number, source: string, node?: string | null, next: Array<string>, createdAt: string }>, pendingTasks: Array<{ __typename?: 'Task', id: string, processId: string, kind: TaskKind, status: TaskStatus, assignee?: string | null, candidateGroups: Array<string>, allowedDecisions: Array<Decision>, createdAt: string, completedAt?: string | null }>, decisions: Array<{ __typename?: 'DecisionRecord', id: string, taskId: string, decision: Decision, comment?: string | null, decidedBy: string, decidedAt: string }> } | null };

export type MyPendingTasksQueryVariables = Exact<{
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type MyPendingTasksQuery = { __typename?: 'Query', pendingTasks: { __typename?: 'TaskConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null }, edges: Array<{ __typename?: 'TaskEdge', cursor: string, node: { __typename?: 'Task', id: string, processId: string, kind: TaskKind, status: TaskStatus, assignee?: string | null, candidateGroups: Array<string>, allowedDecisions: Array<Decision>, createdAt: string, completedAt?: string | null, process: { __typename?: 'Process', id: string, status: ProcessStatus, initiator: string, amount: string, currency: string, description: string } } }> } };

export type ViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerQuery = { __typename?: 'Query', viewer: { __typename?: 'Viewer', id: string, roles: Array<string> } };

export type ProcessUpdatedSubscriptionVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type ProcessUpdatedSubscription = { __typename?: 'Subscription', processUpdated: { __typename?: 'ProcessEvent', sequence: number, type: ProcessEventType, at: string, process: { __typename?: 'Process', id: string, status: ProcessStatus, currentNode?: string | null, version: number, pendingTasks: Array<{ __typename?: 'Task', id: string, processId: string, kind: TaskKind, status: TaskStatus, assignee?: string | null, candidateGroups: Array<string>, allowedDecisions: Array<Decision>, createdAt: string, completedAt?: string | null }> }, task?: { __typename?: 'Task', id: string, processId: string, kind: TaskKind, status: TaskStatus, assignee?: string | null, candidateGroups: Array<string>, allowedDecisions: Array<Decision>, createdAt: string, completedAt?: string | null } | null } };

export const ContractTaskFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ContractTask"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Task"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"processId"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"assignee"}},{"kind":"Field","name":{"kind":"Name","value":"candidateGroups"}},{"kind":"Field","name":{"kind":"Name","value":"allowedDecisions"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"completedAt"}}]}}]} as unknown as DocumentNode<ContractTaskFragment, unknown>;
export const ContractDecisionFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ContractDecision"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DecisionRecord"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"taskId"}},{"kind":"Field","name":{"kind":"Name","value":"decision"}},{"kind":"Field","name":{"kind":"Name","value":"comment"}},{"kind":"Field","name":{"kind":"Name","value":"decidedBy"}},{"kind":"Field","name":{"kind":"Name","value":"decidedAt"}}]}}]} as unknown as DocumentNode<ContractDecisionFragment, unknown>;
export const ContractProcessFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ContractProcess"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Process"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"initiator"}},{"kind":"Field","name":{"kind":"Name","value":"approver"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"currentNode"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"pendingTasks"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ContractTask"}}]}},{"kind":"Field","name":{"kind":"Name","value":"decisions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ContractDecision"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ContractTask"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Task"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"processId"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"assignee"}},{"kind":"Field","name":{"kind":"Name","value":"candidateGroups"}},{"kind":"Field","name":{"kind":"Name","value":"allowedDecisions"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"completedAt"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ContractDecision"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DecisionRecord"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"taskId"}},{"kind":"Field","name":{"kind":"Name","value":"decision"}},{"kind":"Field","name":{"kind":"Name","value":"comment"}},{"kind":"Field","name":{"kind":"Name","value":"decidedBy"}},{"kind":"Field","name":{"kind":"Name","value":"decidedAt"}}]}}]} as unknown as DocumentNode<ContractProcessFragment, unknown>;
export const ProcessesPageDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ProcessesPage"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"status"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ProcessStatus"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"processes"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"status"},"value":{"kind":"Variable","name":{"kind":"Name","value":"status"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"initiator"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]}}]}}]}}]} as unknown as DocumentNode<ProcessesPageQuery, ProcessesPageQueryVariables>;
export const ProcessDetailsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ProcessDetails"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"historyFirst"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"process"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}},{"kind":"Field","name":{"kind":"Name","value":"currentNode"}},{"kind":"Field","name":{"kind":"Name","value":"completedAt"}},{"kind":"Field","name":{"kind":"Name","value":"failure"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"node"}},{"kind":"Field","name":{"kind":"Name","value":"at"}}]}},{"kind":"Field","name":{"kind":"Name","value":"tasks"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"assignee"}},{"kind":"Field","name":{"kind":"Name","value":"candidateGroups"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"details"}},{"kind":"Field","name":{"kind":"Name","value":"node"}},{"kind":"Field","name":{"kind":"Name","value":"completedAt"}}]}},{"kind":"Field","name":{"kind":"Name","value":"decisions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"taskId"}},{"kind":"Field","name":{"kind":"Name","value":"decision"}},{"kind":"Field","name":{"kind":"Name","value":"comment"}},{"kind":"Field","name":{"kind":"Name","value":"decidedBy"}}]}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"history"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"historyFirst"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"checkpointId"}},{"kind":"Field","name":{"kind":"Name","value":"parentCheckpointId"}},{"kind":"Field","name":{"kind":"Name","value":"step"}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"node"}},{"kind":"Field","name":{"kind":"Name","value":"next"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]}}]}}]} as unknown as DocumentNode<ProcessDetailsQuery, ProcessDetailsQueryVariables>;
export const StartMinimalDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"StartMinimal"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"StartProcessInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"startProcess"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"process"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}},{"kind":"Field","name":{"kind":"Name","value":"pendingTasks"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"assignee"}}]}}]}}]}}]}}]} as unknown as DocumentNode<StartMinimalMutation, StartMinimalMutationVariables>;
export const DecideMinimalDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DecideMinimal"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DecideInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"decide"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"process"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"decisions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"decision"}},{"kind":"Field","name":{"kind":"Name","value":"decidedBy"}}]}}]}}]}}]}}]} as unknown as DocumentNode<DecideMinimalMutation, DecideMinimalMutationVariables>;
export const ProcessEventsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"ProcessEvents"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"processUpdated"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sequence"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"actor"}},{"kind":"Field","name":{"kind":"Name","value":"processStatus"}},{"kind":"Field","name":{"kind":"Name","value":"processVersion"}},{"kind":"Field","name":{"kind":"Name","value":"process"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}},{"kind":"Field","name":{"kind":"Name","value":"task"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]} as unknown as DocumentNode<ProcessEventsSubscription, ProcessEventsSubscriptionVariables>;
export const ViewerDetailsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ViewerDetails"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"roles"}},{"kind":"Field","name":{"kind":"Name","value":"groups"}}]}}]}}]} as unknown as DocumentNode<ViewerDetailsQuery, ViewerDetailsQueryVariables>;
export const StartProcessDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"StartProcess"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"StartProcessInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"startProcess"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"process"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ContractProcess"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ContractTask"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Task"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"processId"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"assignee"}},{"kind":"Field","name":{"kind":"Name","value":"candidateGroups"}},{"kind":"Field","name":{"kind":"Name","value":"allowedDecisions"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"completedAt"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ContractDecision"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DecisionRecord"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"taskId"}},{"kind":"Field","name":{"kind":"Name","value":"decision"}},{"kind":"Field","name":{"kind":"Name","value":"comment"}},{"kind":"Field","name":{"kind":"Name","value":"decidedBy"}},{"kind":"Field","name":{"kind":"Name","value":"decidedAt"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ContractProcess"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Process"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"initiator"}},{"kind":"Field","name":{"kind":"Name","value":"approver"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"currentNode"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"pendingTasks"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ContractTask"}}]}},{"kind":"Field","name":{"kind":"Name","value":"decisions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ContractDecision"}}]}}]}}]} as unknown as DocumentNode<StartProcessMutation, StartProcessMutationVariables>;
export const DecideDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"Decide"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DecideInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"decide"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"process"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ContractProcess"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ContractTask"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Task"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"processId"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"assignee"}},{"kind":"Field","name":{"kind":"Name","value":"candidateGroups"}},{"kind":"Field","name":{"kind":"Name","value":"allowedDecisions"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"completedAt"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ContractDecision"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DecisionRecord"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"taskId"}},{"kind":"Field","name":{"kind":"Name","value":"decision"}},{"kind":"Field","name":{"kind":"Name","value":"comment"}},{"kind":"Field","name":{"kind":"Name","value":"decidedBy"}},{"kind":"Field","name":{"kind":"Name","value":"decidedAt"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ContractProcess"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Process"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"initiator"}},{"kind":"Field","name":{"kind":"Name","value":"approver"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"currentNode"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"pendingTasks"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ContractTask"}}]}},{"kind":"Field","name":{"kind":"Name","value":"decisions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ContractDecision"}}]}}]}}]} as unknown as DocumentNode<DecideMutation, DecideMutationVariables>;
export const GetProcessDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"GetProcess"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"process"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ContractProcess"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"history"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"50"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"checkpointId"}},{"kind":"Field","name":{"kind":"Name","value":"parentCheckpointId"}},{"kind":"Field","name":{"kind":"Name","value":"step"}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"node"}},{"kind":"Field","name":{"kind":"Name","value":"next"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ContractTask"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Task"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"processId"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"assignee"}},{"kind":"Field","name":{"kind":"Name","value":"candidateGroups"}},{"kind":"Field","name":{"kind":"Name","value":"allowedDecisions"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"completedAt"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ContractDecision"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DecisionRecord"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"taskId"}},{"kind":"Field","name":{"kind":"Name","value":"decision"}},{"kind":"Field","name":{"kind":"Name","value":"comment"}},{"kind":"Field","name":{"kind":"Name","value":"decidedBy"}},{"kind":"Field","name":{"kind":"Name","value":"decidedAt"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ContractProcess"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Process"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"initiator"}},{"kind":"Field","name":{"kind":"Name","value":"approver"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"currentNode"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"pendingTasks"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ContractTask"}}]}},{"kind":"Field","name":{"kind":"Name","value":"decisions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ContractDecision"}}]}}]}}]} as unknown as DocumentNode<GetProcessQuery, GetProcessQueryVariables>;
export const MyPendingTasksDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"MyPendingTasks"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pendingTasks"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ContractTask"}},{"kind":"Field","name":{"kind":"Name","value":"process"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"initiator"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}},{"kind":"Field","name":{"kind":"Name","value":"description"}}]}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ContractTask"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Task"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"processId"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"assignee"}},{"kind":"Field","name":{"kind":"Name","value":"candidateGroups"}},{"kind":"Field","name":{"kind":"Name","value":"allowedDecisions"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"completedAt"}}]}}]} as unknown as DocumentNode<MyPendingTasksQuery, MyPendingTasksQueryVariables>;
export const ViewerDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"roles"}}]}}]}}]} as unknown as DocumentNode<ViewerQuery, ViewerQueryVariables>;
export const ProcessUpdatedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"ProcessUpdated"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"processUpdated"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sequence"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"process"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"currentNode"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"pendingTasks"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ContractTask"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"task"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ContractTask"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ContractTask"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Task"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"processId"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"assignee"}},{"kind":"Field","name":{"kind":"Name","value":"candidateGroups"}},{"kind":"Field","name":{"kind":"Name","value":"allowedDecisions"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"completedAt"}}]}}]} as unknown as DocumentNode<ProcessUpdatedSubscription, ProcessUpdatedSubscriptionVariables>;