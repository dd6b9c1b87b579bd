/**
 * Hostile input on both transports: the graphql-ws protocol broken on purpose with a raw client,
 * documents over each query limit, oversized bodies and messages, introspection switched off.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { codesOf, gql, subscribe, tokenFor, wsClient } from "./support/client.js";
import { reportReliability } from "./support/report.js";
import { startTestServer, type TestServer } from "./support/server.js";

let server: TestServer;
let alice: string;
const disposers: Array<() => unknown> = [];

beforeAll(async () => {
  server = await startTestServer({
    env: {
      WS_INIT_TIMEOUT_MS: "300",
      WS_KEEPALIVE_MS: "2500",
      MAX_QUERY_DEPTH: "6",
      MAX_ALIASES: "5",
      MAX_DIRECTIVES: "5",
      MAX_TOKENS: "400",
      MAX_COST: "300",
      MAX_BODY_BYTES: "4096",
      MAX_WS_MESSAGE_BYTES: "4096",
      INTROSPECTION: "false",
    },
  });
  alice = await tokenFor("alice");
});

afterAll(async () => {
  for (const dispose of disposers.splice(0)) await dispose();
  await server.close();
});

/** A raw graphql-ws connection: send what the test says, report the close code. */
function rawSocket(url: string, options: WebSocket.ClientOptions = {}) {
  const socket = new WebSocket(url, "graphql-transport-ws", options);
  const opened = new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.once("close", (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  const messages: Array<{ type: string }> = [];
  const acked = new Promise<void>((resolve) =>
    socket.on("message", (raw) => {
      const message = JSON.parse(String(raw)) as { type: string };
      messages.push(message);
      if (message.type === "connection_ack") resolve();
    }),
  );
  disposers.push(() => socket.terminate());
  return {
    opened,
    closed,
    acked,
    messages,
    send: (message: unknown) => socket.send(typeof message === "string" ? message : JSON.stringify(message)),
  };
}

const subscribeMessage = (id: string) => ({
  id,
  type: "subscribe",
  payload: {
    query: "subscription($id: ID!) { processUpdated(id: $id) { sequence } }",
    variables: { id: "00000000-0000-4000-8000-000000000000" },
  },
});

describe("graphql-ws protocol conduct (raw client)", () => {
  it("no connection_init within the timeout: 4408", async () => {
    const socket = rawSocket(server.wsUrl);
    await socket.opened;
    expect((await socket.closed).code).toBe(4408);
  });

  it("a connection that stops answering pings is dropped; one that answers stays", async () => {
    const silent = rawSocket(server.wsUrl, { autoPong: false });
    const answering = rawSocket(server.wsUrl);
    await Promise.all([silent.opened, answering.opened]);
    for (const socket of [silent, answering]) {
      socket.send({ type: "connection_init", payload: { authorization: `Bearer ${alice}` } });
      await socket.acked;
    }
    // Pinged by the first keepalive sweep, dropped by the next one without a pong (1006: no close frame).
    expect((await silent.closed).code).toBe(1006);
    const stillOpen = await Promise.race([
      answering.closed.then(() => false),
      new Promise((r) => setTimeout(() => r(true), 6_000)),
    ]);
    expect(stillOpen).toBe(true);
    reportReliability({
      case: "WebSocket keepalive",
      did: "a client that stops answering pings next to one that answers (WS_KEEPALIVE_MS 2500)",
      checked: "which connection the server drops",
      result: "the silent one dropped (1006); the answering one still open 6 s (two more sweeps) later",
    });
  });

  it("subscribe before the ack: 4401", async () => {
    const socket = rawSocket(server.wsUrl);
    await socket.opened;
    socket.send(subscribeMessage("1"));
    expect((await socket.closed).code).toBe(4401);
  });

  it("a second connection_init: 4429", async () => {
    const socket = rawSocket(server.wsUrl);
    await socket.opened;
    socket.send({ type: "connection_init", payload: { authorization: `Bearer ${alice}` } });
    await socket.acked;
    socket.send({ type: "connection_init", payload: { authorization: `Bearer ${alice}` } });
    expect((await socket.closed).code).toBe(4429);
  });

  it("a duplicate operation id: 4409", async () => {
    const socket = rawSocket(server.wsUrl);
    await socket.opened;
    socket.send({ type: "connection_init", payload: { authorization: `Bearer ${alice}` } });
    await socket.acked;
    const live = {
      id: "same",
      type: "subscribe",
      payload: { query: 'subscription { processUpdated(id: "00000000-0000-4000-8000-000000000000") { sequence } }' },
    };
    // The first one must still be running for the second to collide: use an id that stays open.
    const started = await gql<{ startProcess: { process: { id: string } } }, unknown>(
      server.url,
      'mutation { startProcess(input: { approver: "bob", amount: "1", description: "ws" }) { process { id } } }',
      undefined,
      { token: alice },
    );
    const id = started.data?.startProcess.process.id as string;
    live.payload.query = `subscription { processUpdated(id: "${id}") { sequence } }`;
    socket.send(live);
    socket.send(live);
    expect((await socket.closed).code).toBe(4409);
  });

  it("a message that is not JSON or not a known type: 4400", async () => {
    const socket = rawSocket(server.wsUrl);
    await socket.opened;
    socket.send("{not json");
    expect((await socket.closed).code).toBe(4400);
  });

  it("a message only a server may send (next, connection_ack): 4400, not an internal error", async () => {
    for (const message of [{ id: "1", type: "next", payload: {} }, { type: "connection_ack" }]) {
      const socket = rawSocket(server.wsUrl);
      await socket.opened;
      socket.send({ type: "connection_init", payload: { authorization: `Bearer ${alice}` } });
      await socket.acked;
      socket.send(message);
      expect((await socket.closed).code, message.type).toBe(4400);
    }
  });

  it("a message over the size limit: 1009", async () => {
    const socket = rawSocket(server.wsUrl);
    await socket.opened;
    socket.send({ type: "connection_init", payload: { authorization: `Bearer ${alice}`, padding: "x".repeat(5000) } });
    expect((await socket.closed).code).toBe(1009);
    reportReliability({
      case: "graphql-ws protocol abuse (raw client)",
      did: "no init, subscribe before ack, second init, duplicate id, non-JSON, oversized message, bad token",
      checked: "close codes",
      result: "4408, 4401, 4429, 4409, 4400, 1009, 4403 (bad token: authorization tests)",
    });
  });
});

describe("query limits, over HTTP and WebSocket alike", () => {
  const documents: Record<string, string> = {
    depth: `{ pendingTasks { edges { node { process { pendingTasks { process { pendingTasks { id } } } } } } } }`,
    aliases: `{ ${Array.from({ length: 6 }, (_, i) => `a${i}: viewer { id }`).join(" ")} }`,
    directives: `{ viewer { id ${Array.from({ length: 6 }, () => "@include(if: true)").join(" ")} } }`,
    tokens: `{ viewer { ${Array.from({ length: 200 }, () => "id").join(" ")} } }`,
    cost: `{ processes(first: 100) { edges { node { tasks { process { tasks { process { decisions { id } } } } } } } } }`,
  };

  for (const [limit, document] of Object.entries(documents)) {
    it(`${limit}: BAD_USER_INPUT on HTTP and on WebSocket, before anything runs`, async () => {
      const http = await gql(server.url, document, undefined, { token: alice });
      expect(codesOf(http), limit).toEqual([expect.stringMatching(/^BAD_USER_INPUT$/)]);
      expect(http.errors?.[0]?.extensions?.field).toBe("query");
      expect(http.data ?? null).toBeNull();

      const client = wsClient(server.wsUrl, alice);
      disposers.push(() => client.dispose());
      const sub = subscribe(client, document, {});
      const ended = await sub.ended;
      const errors = Array.isArray(ended) ? ended : (sub.results[0]?.errors ?? []);
      expect(errors.length, `${limit} over WebSocket: ${JSON.stringify(ended)}`).toBeGreaterThan(0);
      const extensions = (errors as Array<{ extensions?: Record<string, unknown> }>)[0]?.extensions;
      expect(extensions?.code).toBe("BAD_USER_INPUT");
      // The same error as on HTTP, without HTTP's status (which HTTP strips too).
      expect(extensions?.http).toBeUndefined();
    });
  }

  it("a document or variables that do not validate: over WebSocket the same code as on HTTP, without HTTP's status", async () => {
    const client = wsClient(server.wsUrl, alice);
    disposers.push(() => client.dispose());
    for (const [document, variables] of [
      ["subscription { nope }", {}],
      ["subscription ($id: ID!) { processUpdated(id: $id) { sequence } }", {}],
    ] as const) {
      const sub = subscribe(client, document, variables);
      const ended = await sub.ended;
      const errors = (Array.isArray(ended) ? ended : (sub.results[0]?.errors ?? [])) as Array<{
        extensions?: Record<string, unknown>;
      }>;
      expect(errors[0]?.extensions?.code, document).toBe("BAD_USER_INPUT");
      expect(errors[0]?.extensions?.http, document).toBeUndefined();
    }
  });

  it("documents within the limits still run", async () => {
    reportReliability({
      case: "query limits",
      did: "documents over the depth, alias, directive, token and cost limits, over HTTP and over WebSocket",
      checked: "error code before execution",
      result: "BAD_USER_INPUT (field: query) for each of the 5 limits on both transports; body over MAX_BODY_BYTES: 413",
    });
    const response = await gql(server.url, `{ viewer { id } pendingTasks { totalCount } }`, undefined, { token: alice });
    expect(response.errors).toBeUndefined();
  });
});

describe("sizes and introspection", () => {
  it("an HTTP body over the limit is refused with 413 before it is read", async () => {
    const response = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${alice}` },
      body: JSON.stringify({ query: `{ viewer { id } }`, variables: { padding: "x".repeat(5000) } }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: "BAD_USER_INPUT", field: "body" } }] });
  });

  it("introspection can be switched off, on both transports", async () => {
    const http = await gql(server.url, "{ __schema { queryType { name } } }", undefined, { token: alice });
    expect(codesOf(http).length).toBeGreaterThan(0);
    expect(new Set(codesOf(http))).toEqual(new Set(["BAD_USER_INPUT"]));
    const client = wsClient(server.wsUrl, alice);
    disposers.push(() => client.dispose());
    const ended = await subscribe(client, "{ __schema { queryType { name } } }", {}).ended;
    expect(Array.isArray(ended) ? (ended as Array<{ extensions?: { code?: string } }>)[0]?.extensions?.code : ended).toBe(
      "BAD_USER_INPUT",
    );
  });
});
