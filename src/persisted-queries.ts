import { createHash } from "node:crypto";
import { createGraphQLError, createLRUCache, type Plugin } from "graphql-yoga";

/** Documents remembered by hash, per instance (a miss only costs the client one resend). */
const MAX_REMEMBERED = 1_000;
/** Larger documents are answered but not remembered (at most 1,000 × 20,000 characters are kept). */
const MAX_REMEMBERED_LENGTH = 20_000;
const REMEMBERED_FOR_MS = 24 * 60 * 60 * 1000;

type PersistedQuery = { version: 1; sha256Hash: string };

function persistedQueryOf(extensions: Record<string, unknown> | undefined): PersistedQuery | null {
  const value = extensions?.persistedQuery as Partial<PersistedQuery> | undefined;
  return value?.version === 1 && typeof value.sha256Hash === "string" ? (value as PersistedQuery) : null;
}

/**
 * Automatic persisted queries, as Apollo Client's PersistedQueryLink speaks them: a request may
 * send a document's SHA-256 hash instead of the document; an unknown hash is answered with
 * "PersistedQueryNotFound" (the link then sends the document with its hash, which is checked).
 * A document is remembered only once an authenticated request has executed it, so requests
 * without a valid token cannot fill or churn the cache. Answers are 200 with the error in the
 * body, which every client reads.
 */
export function usePersistedQueries(): Plugin {
  const documents = createLRUCache<string>({ max: MAX_REMEMBERED, ttl: REMEMBERED_FOR_MS });
  /** Documents sent with their hash, waiting to be executed by an authenticated request. */
  const offered = new WeakMap<Request, { hash: string; query: string }>();
  return {
    onParams({ params, request, setParams }) {
      const persisted = persistedQueryOf(params.extensions);
      if (!persisted) return;
      if (params.query == null) {
        const query = documents.get(persisted.sha256Hash);
        if (query === undefined) {
          // The message is what Apollo's link looks for; the code is the contract's.
          throw createGraphQLError("PersistedQueryNotFound", {
            extensions: {
              code: "BAD_USER_INPUT",
              field: "extensions",
              reason: "PERSISTED_QUERY_NOT_FOUND",
              http: { status: 200 },
            },
          });
        }
        setParams({ ...params, query });
        return;
      }
      // A query that is not a string is Yoga's to refuse.
      if (typeof params.query !== "string") return;
      if (createHash("sha256").update(params.query).digest("hex") !== persisted.sha256Hash) {
        throw createGraphQLError("The document does not match its extensions.persistedQuery.sha256Hash.", {
          extensions: { code: "BAD_USER_INPUT", field: "extensions", reason: "PERSISTED_QUERY_MISMATCH", http: { status: 400 } },
        });
      }
      if (params.query.length <= MAX_REMEMBERED_LENGTH) offered.set(request, { hash: persisted.sha256Hash, query: params.query });
    },
    onExecute({ args }) {
      const context = args.contextValue as { request?: Request; viewer?: unknown };
      const offer = context.request ? offered.get(context.request) : undefined;
      if (offer && context.viewer) documents.set(offer.hash, offer.query);
    },
  };
}
