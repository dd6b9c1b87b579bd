import { GraphQLError } from "graphql";
import { createGraphQLError, type Plugin } from "graphql-yoga";
import type { Logger } from "pino";
import { isDatabaseUnavailable } from "./db/database.js";
import { AppError } from "./errors.js";
import { SlowSubscriberError } from "./events/bus.js";

/** extensions.reason of the error that ends a subscription whose client fell too far behind. */
export const SLOW_SUBSCRIBER = "SLOW_SUBSCRIBER";

const FIELD_NAMED = /Field "(?:\w+\.)?(\w+)" (?:of required type .* was not provided|is not defined by type)/;
const BAD_VALUE = /Expected value of type|does not exist in ".*" enum|cannot represent/;

/**
 * The input an error about an input value is about, from graphql-js's messages. For variables:
 * the last segment of `at "input.amount"`, a missing or unknown input field, or else the
 * variable. For values written in the document: a missing or unknown input field, or the name
 * before the offending value (`amount: "abc"`).
 */
function inputFieldOf(error: GraphQLError): string | undefined {
  const { message } = error;
  const variable = /^Variable "\$(\w+)"/.exec(message);
  if (variable) {
    const at = /\bat "([^"]+)"/.exec(message)?.[1];
    const fromPath = at
      ?.split(".")
      .filter((segment) => !/^\[?\d+\]?$/.test(segment))
      .pop();
    return fromPath ?? FIELD_NAMED.exec(message)?.[1] ?? variable[1];
  }
  const named = FIELD_NAMED.exec(message)?.[1];
  if (named) return named;
  const position = error.positions?.[0];
  if (BAD_VALUE.test(message) && error.source && position !== undefined) {
    return /(\w+)\s*:\s*$/.exec(error.source.body.slice(0, position))?.[1];
  }
  return undefined;
}

/** Which part of a GraphQL request an error about the request itself is about. */
function requestPartOf(message: string): string {
  if (/"variables"/.test(message)) return "variables";
  if (/"extensions"/.test(message)) return "extensions";
  if (/operationName/.test(message)) return "operationName";
  if (/POST body|JSON/.test(message)) return "body";
  return "query";
}

/** Codes this server gives (the contract's, and the two it adds): an error that has one is final. */
const FINAL_CODES = new Set([
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "NOT_FOUND",
  "BAD_USER_INPUT",
  "CONFLICT",
  "SERVICE_UNAVAILABLE",
  "INTERNAL_SERVER_ERROR",
]);

/**
 * Turns errors into what a client may see, with the contract's codes: AppErrors keep their
 * message and code; a document that does not parse, validate or stay within the query limits is
 * BAD_USER_INPUT on the field "query" (GraphQL's own code kept as extensions.reason); a variable
 * that does not fit its type is BAD_USER_INPUT on that input; anything else is a bare
 * INTERNAL_SERVER_ERROR, logged with its details here.
 */
/** The client-facing form of an error GraphQL itself raised about the request (document or variables). */
export function requestErrorToClient(graphqlError: GraphQLError, defaultReason = "GRAPHQL_VALIDATION_FAILED"): GraphQLError {
  const field = inputFieldOf(graphqlError);
  const { originalError: _, ...extensions } = graphqlError.extensions ?? {};
  const code = extensions.code;
  if (typeof code === "string" && FINAL_CODES.has(code) && (code !== "BAD_USER_INPUT" || extensions.field || !field)) {
    return graphqlError;
  }
  return createGraphQLError(graphqlError.message, {
    nodes: graphqlError.nodes,
    source: graphqlError.source,
    positions: graphqlError.positions,
    path: graphqlError.path,
    extensions: field
      ? { ...extensions, code: "BAD_USER_INPUT", field }
      : {
          ...extensions,
          code: "BAD_USER_INPUT",
          field: requestPartOf(graphqlError.message),
          reason: typeof code === "string" ? code : defaultReason,
        },
  });
}

/** The GraphQL parameters of a query string or a form body; JSON that does not parse names its field. */
function paramsFrom(params: URLSearchParams) {
  const json = (field: string) => {
    const value = params.get(field);
    if (!value) return undefined;
    try {
      return JSON.parse(value);
    } catch {
      throw createGraphQLError(`Request parameter "${field}" is not valid JSON.`, {
        extensions: { code: "BAD_USER_INPUT", field, http: { status: 400 } },
      });
    }
  };
  return {
    query: params.get("query") || undefined,
    operationName: params.get("operationName") || undefined,
    variables: json("variables"),
    extensions: json("extensions"),
  };
}

/** Yoga's test for a form body: the first content type given, exactly or with parameters. */
function isFormBody(request: Request): boolean {
  const type = request.headers.get("content-type")?.split(",")[0]?.trim().toLowerCase() ?? "";
  return type === "application/x-www-form-urlencoded" || type.startsWith("application/x-www-form-urlencoded;");
}

/**
 * Gives parse and validation errors (including the query limits') the contract's codes, on every
 * transport. Over HTTP, the parameters of a query string or a form body are read here as Yoga
 * reads them, except that `variables` or `extensions` that are not JSON are BAD_USER_INPUT naming
 * them (Yoga let JSON.parse's SyntaxError through, masked as INTERNAL_SERVER_ERROR); and a POST
 * body of a type GraphQL over HTTP does not define is answered 415 with a coded error (Yoga sent
 * an empty body). Other methods are left to Yoga (405).
 */
export const useContractCodesForRequestErrors: Plugin = {
  onRequestParse: ({ request, requestParser, setRequestParser, endResponse, fetchAPI }) => {
    if (request.method === "GET") {
      setRequestParser((incoming) => paramsFrom(new URL(incoming.url).searchParams));
      return;
    }
    if (request.method !== "POST") return;
    if (isFormBody(request)) {
      setRequestParser(async (incoming) => paramsFrom(new URLSearchParams(await incoming.text())));
      return;
    }
    if (requestParser) return;
    const body = JSON.stringify({
      errors: [
        {
          message: `Content-Type ${JSON.stringify(request.headers.get("content-type") ?? "")} is not supported: send application/json (or application/graphql, multipart/form-data, application/x-www-form-urlencoded).`,
          extensions: { code: "BAD_USER_INPUT", field: "body", reason: "UNSUPPORTED_MEDIA_TYPE" },
        },
      ],
    });
    endResponse(new fetchAPI.Response(body, { status: 415, headers: { "content-type": "application/json; charset=utf-8" } }));
  },
  onParse:
    () =>
    ({ result, replaceParseResult }) => {
      if (result instanceof GraphQLError) replaceParseResult(requestErrorToClient(result, "GRAPHQL_PARSE_FAILED"));
    },
  onValidate:
    () =>
    ({ result, setResult }) => {
      if (result.length)
        setResult(result.map((error: Error) => (error instanceof GraphQLError ? requestErrorToClient(error) : error)));
    },
};

export function maskErrorFor(log: Logger) {
  return (error: unknown, message: string): GraphQLError => {
    const graphqlError = error instanceof GraphQLError ? error : null;
    const original = graphqlError ? graphqlError.originalError : error;
    if (original instanceof AppError) {
      return createGraphQLError(original.message, {
        nodes: graphqlError?.nodes,
        path: graphqlError?.path,
        extensions: { ...original.details, code: original.code, ...(original.field ? { field: original.field } : {}) },
      });
    }
    if (graphqlError && (!original || original instanceof GraphQLError)) return requestErrorToClient(graphqlError);
    if (original instanceof SlowSubscriberError) {
      // The WebSocket transport closes such a subscriber's socket with 4413 (it looks for the reason).
      return createGraphQLError(original.message, {
        nodes: graphqlError?.nodes,
        path: graphqlError?.path,
        extensions: { code: "SERVICE_UNAVAILABLE", reason: SLOW_SUBSCRIBER },
      });
    }
    if (isDatabaseUnavailable(original)) {
      log.warn({ err: original }, "database unavailable");
      return createGraphQLError("The database is unavailable; try again shortly.", {
        nodes: graphqlError?.nodes,
        path: graphqlError?.path,
        extensions: { code: "SERVICE_UNAVAILABLE" },
      });
    }
    log.error({ err: original }, "unexpected error");
    return createGraphQLError(message, {
      nodes: graphqlError?.nodes,
      path: graphqlError?.path,
      extensions: { code: "INTERNAL_SERVER_ERROR" },
    });
  };
}
