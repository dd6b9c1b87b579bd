/**
 * The contract's operations through the client libraries frontends use, unchanged: Apollo Client
 * (HTTP link and GraphQLWsLink, its cache adding __typename everywhere) and urql (queries sent as
 * GET within the URL limit, its default; subscriptions over graphql-ws), against a real server.
 */
import { createHash } from "node:crypto";
import { ApolloClient, ApolloLink, CombinedGraphQLErrors, HttpLink, InMemoryCache } from "@apollo/client";
import { PersistedQueryLink } from "@apollo/client/link/persisted-queries";
import { GraphQLWsLink } from "@apollo/client/link/subscriptions";
import { fetchExchange, subscriptionExchange, Client as UrqlClient } from "@urql/core";
import { createClient as createWsClient } from "graphql-ws";
import { afterAll, beforeAll, expect, it } from "vitest";
import WebSocket from "ws";
import {
  DecideDocument,
  GetProcessDocument,
  MyPendingTasksDocument,
  ProcessUpdatedDocument,
  StartProcessDocument,
  ViewerDocument,
} from "./generated/graphql.js";
import { deferred, tokenFor, until } from "./support/client.js";
import { startTestServer, type TestServer } from "./support/server.js";

let server: TestServer;
const disposers: Array<() => unknown> = [];

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  for (const dispose of disposers.splice(0)) await dispose();
  await server.close();
});

function wsFor(token: string) {
  const client = createWsClient({
    url: server.wsUrl,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${token}` },
  });
  disposers.push(() => client.dispose());
  return client;
}

/** Apollo Client as a frontend sets it up: HTTP for queries and mutations, WebSocket for subscriptions. */
function apolloFor(token: string) {
  const http = new HttpLink({ uri: server.url, headers: { authorization: `Bearer ${token}` } });
  const ws = new GraphQLWsLink(wsFor(token));
  const link = ApolloLink.split(
    ({ query }) => query.definitions.some((d) => d.kind === "OperationDefinition" && d.operation === "subscription"),
    ws,
    http,
  );
  const client = new ApolloClient({ link, cache: new InMemoryCache() });
  disposers.push(() => client.stop());
  return client;
}

/** HTTP methods urql used, in order (it sends queries as GET within the URL limit, its default). */
const urqlMethods: string[] = [];

/** urql with its defaults and graphql-ws for subscriptions. */
function urqlFor(token: string) {
  const ws = wsFor(token);
  return new UrqlClient({
    url: server.url,
    fetchOptions: { headers: { authorization: `Bearer ${token}` } },
    fetch: (input, init) => {
      urqlMethods.push(init?.method ?? "GET");
      return fetch(input, init);
    },
    exchanges: [
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({ unsubscribe: ws.subscribe({ ...request, query: request.query ?? "" }, sink) }),
        }),
      }),
    ],
  });
}

it("Apollo Client and urql run every contract operation over HTTP and graphql-ws", async () => {
  const [aliceToken, bobToken, carolToken] = await Promise.all([tokenFor("alice"), tokenFor("bob"), tokenFor("carol")]);
  const alice = apolloFor(aliceToken);
  const bob = urqlFor(bobToken);
  const carol = apolloFor(carolToken);

  const viewer = await alice.query({ query: ViewerDocument, fetchPolicy: "no-cache" });
  expect(viewer.data?.viewer.id).toBe("alice");
  expect((await bob.query(ViewerDocument, {}).toPromise()).data?.viewer.id).toBe("bob");

  const started = await alice.mutate({
    mutation: StartProcessDocument,
    variables: { input: { approver: "bob", amount: "420.00", description: "Client libraries" } },
  });
  const process = started.data?.startProcess.process;
  expect(process?.status).toBe("PENDING_REVIEW");
  const processId = process?.id as string;

  // urql sends this query as GET (its default within the URL limit).
  urqlMethods.length = 0;
  const inbox = await bob.query(MyPendingTasksDocument, { first: 10 }).toPromise();
  expect(inbox.error).toBeUndefined();
  expect(urqlMethods).toEqual(["GET"]);
  const task = inbox.data?.pendingTasks.edges.find((edge) => edge.node.processId === processId)?.node;
  expect(task).toMatchObject({ kind: "REVIEW", status: "OPEN", assignee: "bob", process: { id: processId } });

  // Both watch the process live, each through its library's WebSocket transport.
  const apolloEvents: string[] = [];
  const urqlEvents: string[] = [];
  const bothDone = [deferred<void>(), deferred<void>()];
  const apolloSubscription = alice.subscribe({ query: ProcessUpdatedDocument, variables: { id: processId } }).subscribe({
    next: (result) => {
      const event = result.data?.processUpdated;
      // `process` is the process as it is when the event is delivered; after COMPLETED it is final.
      if (event)
        apolloEvents.push(`${event.sequence}:${event.type}${event.type === "COMPLETED" ? `:${event.process.status}` : ""}`);
      if (event?.type === "COMPLETED") bothDone[0]?.resolve();
    },
  });
  disposers.push(() => apolloSubscription.unsubscribe());
  const urqlSubscription = bob.subscription(ProcessUpdatedDocument, { id: processId }).subscribe((result) => {
    const event = result.data?.processUpdated;
    if (event) urqlEvents.push(`${event.sequence}:${event.type}${event.type === "COMPLETED" ? `:${event.process.status}` : ""}`);
    if (event?.type === "COMPLETED") bothDone[1]?.resolve();
  });
  disposers.push(() => urqlSubscription.unsubscribe());
  // A live subscription (no `after`) starts at the next event: wait until both servers' streams run.
  await until(() => server.app.liveSubscribers(processId) === 2);

  // carol is not allowed to decide: the code reaches Apollo's error as the server sent it.
  const refused = await carol.mutate({
    mutation: DecideDocument,
    variables: { input: { processId, decision: "APPROVE" } },
    errorPolicy: "all",
  });
  expect(CombinedGraphQLErrors.is(refused.error)).toBe(true);
  expect((refused.error as CombinedGraphQLErrors).errors.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);

  const decided = await bob
    .mutation(DecideDocument, { input: { processId, decision: "APPROVE", comment: "via urql" } })
    .toPromise();
  expect(decided.error).toBeUndefined();
  expect(urqlMethods.at(-1)).toBe("POST");
  expect(decided.data?.decide.process.status).toBe("APPROVED");
  expect(decided.data?.decide.process.decisions).toEqual([
    expect.objectContaining({ decision: "APPROVE", decidedBy: "bob", comment: "via urql" }),
  ]);
  // A second decision: CONFLICT, as urql reports it.
  const again = await bob.mutation(DecideDocument, { input: { processId, decision: "REJECT" } }).toPromise();
  expect(again.error?.graphQLErrors.map((e) => e.extensions?.code)).toEqual(["CONFLICT"]);

  await Promise.all(bothDone.map((d) => d.promise));
  expect(apolloEvents).toEqual(["3:DECIDED", "4:COMPLETED:APPROVED"]);
  expect(urqlEvents).toEqual(apolloEvents);

  const details = await alice.query({ query: GetProcessDocument, variables: { id: processId }, fetchPolicy: "no-cache" });
  expect(details.data?.process?.status).toBe("APPROVED");
  expect(details.data?.process?.history.length).toBeGreaterThanOrEqual(2);
  expect(details.data?.process?.state).toMatchObject({ outcome: "APPROVED" });
  // An outsider: NOT_FOUND through Apollo, exactly as for an id that does not exist.
  const hidden = await carol.query({ query: GetProcessDocument, variables: { id: processId }, errorPolicy: "all" });
  expect((hidden.error as CombinedGraphQLErrors).errors.map((e) => e.extensions?.code)).toEqual(["NOT_FOUND"]);
});

it("Apollo's automatic persisted queries: the hash alone is enough once this server has seen the document", async () => {
  const token = await tokenFor("alice");
  const bodies: Array<{ query?: string; extensions?: { persistedQuery?: unknown } }> = [];
  const http = new HttpLink({
    uri: server.url,
    headers: { authorization: `Bearer ${token}` },
    fetch: (input, init) => {
      bodies.push(JSON.parse(String(init?.body)));
      return fetch(input, init);
    },
  });
  const persisted = new PersistedQueryLink({ sha256: (query) => createHash("sha256").update(query).digest("hex") });
  const client = new ApolloClient({ link: ApolloLink.from([persisted, http]), cache: new InMemoryCache() });
  disposers.push(() => client.stop());

  // First time: the hash alone, PersistedQueryNotFound, then the document with its hash.
  const first = await client.query({ query: ViewerDocument, fetchPolicy: "no-cache" });
  expect(first.data?.viewer.id).toBe("alice");
  expect(bodies.map((body) => [body.query === undefined, body.extensions?.persistedQuery !== undefined])).toEqual([
    [true, true],
    [false, true],
  ]);
  // From then on: the hash alone is enough.
  const second = await client.query({ query: ViewerDocument, fetchPolicy: "no-cache" });
  expect(second.data?.viewer.id).toBe("alice");
  expect(bodies).toHaveLength(3);
  expect(bodies[2]?.query).toBeUndefined();

  // A document that does not match its hash is refused, not remembered under it.
  const forged = await fetch(server.url, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({
      query: "{ pendingTasks { totalCount } }",
      extensions: { persistedQuery: { version: 1, sha256Hash: createHash("sha256").update("{ viewer { id } }").digest("hex") } },
    }),
  });
  expect(forged.status).toBe(400);
  expect(await forged.json()).toMatchObject({ errors: [{ extensions: { code: "BAD_USER_INPUT", field: "extensions" } }] });

  // Nothing is remembered for a forged document, nor for one sent without a valid token.
  const post = (body: unknown, authorization?: string) =>
    fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) },
      body: JSON.stringify(body),
    });
  const persistedQuery = (query: string) => ({
    persistedQuery: { version: 1, sha256Hash: createHash("sha256").update(query).digest("hex") },
  });
  // (the hash Apollo sent: of its document as its cache rewrote it, with __typename)
  const viewerByHash = await post({ extensions: bodies[2]?.extensions }, `Bearer ${token}`);
  expect(await viewerByHash.json()).toMatchObject({ data: { viewer: { id: "alice" } } });
  const anonymous = "{ pendingTasks { totalCount } }";
  const refused = await post({ query: anonymous, extensions: persistedQuery(anonymous) });
  expect(await refused.json()).toMatchObject({ errors: [{ extensions: { code: "UNAUTHENTICATED" } }] });
  const anonymousByHash = await post({ extensions: persistedQuery(anonymous) }, `Bearer ${token}`);
  expect(await anonymousByHash.json()).toMatchObject({ errors: [{ message: "PersistedQueryNotFound" }] });
  // A query that is not a string is refused as Yoga refuses it, hash or not.
  const notText = await post({ query: 5, extensions: persistedQuery("5") }, `Bearer ${token}`);
  expect(notText.status).toBe(400);
  expect(await notText.json()).toMatchObject({ errors: [{ extensions: { code: "BAD_USER_INPUT" } }] });
});
