import { type DocumentNode, Kind, type OperationDefinitionNode } from "graphql";
import { createGraphQLError, type Plugin } from "graphql-yoga";
import type { Context } from "./context.js";

function operationOf(document: DocumentNode, operationName: string | null | undefined): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return operationName
    ? operations.find((op) => op.name?.value === operationName)
    : operations.length === 1
      ? operations[0]
      : undefined;
}

/** Whether an operation only asks about the schema (`__schema`, `__type`, `__typename`). */
function isIntrospectionOnly(document: DocumentNode, operationName: string | null | undefined): boolean {
  const operation = operationOf(document, operationName);
  const selections = operation?.selectionSet.selections ?? [];
  return selections.length > 0 && selections.every((s) => s.kind === Kind.FIELD && s.name.value.startsWith("__"));
}

function refuse(context: Context) {
  const message = context.authError ? `${context.authError}.` : "Authentication required: send a valid Bearer token.";
  return { errors: [createGraphQLError(message, { extensions: { code: "UNAUTHENTICATED" } })] };
}

/**
 * Without a valid token every operation but introspection is UNAUTHENTICATED, and says so before
 * anything else: before variables are checked, so an anonymous caller learns nothing else.
 */
export const useRequireAuthentication: Plugin<Context> = {
  onExecute: ({ args, setResultAndStopExecution }) => {
    const context = args.contextValue as Context;
    if (!context.viewer && !isIntrospectionOnly(args.document, args.operationName)) setResultAndStopExecution(refuse(context));
  },
  onSubscribe: ({ args, setResultAndStopExecution }) => {
    const context = args.contextValue as Context;
    if (!context.viewer && !isIntrospectionOnly(args.document, args.operationName)) setResultAndStopExecution(refuse(context));
  },
};
