/**
 * GraphiQL's page, with its own scripts, styles and editor workers served by this server. What
 * this project adds to it (the fetcher that authenticates subscriptions over WebSocket) is
 * plain JavaScript, so it runs here in a VM, against the real server, with a real WebSocket.
 */
import { get } from "node:http";
import vm from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { acceptsGzip } from "../src/app.js";
import { startProcessAs, tokenFor } from "./support/client.js";
import { startTestServer, type TestServer } from "./support/server.js";

type Fetcher = (
  params: { query: string; variables?: Record<string, unknown>; operationName?: string },
  options?: { headers?: Record<string, string> },
) => Promise<unknown> | AsyncIterable<{ data?: unknown; errors?: unknown }>;

let server: TestServer;
let html: string;

beforeAll(async () => {
  server = await startTestServer();
  html = await (await fetch(server.url, { headers: { accept: "text/html" } })).text();
});

afterAll(() => server.close());

/** Loads the page's added scripts into a VM as the browser would and returns GraphiQL's fetcher. */
async function pageFetcher(): Promise<Fetcher> {
  const scripts = [...html.matchAll(/<script(?: src="?([^"> ]+)"?)?>([\s\S]*?)<\/script>/g)];
  const wsScript = scripts.find((match) => match[1] === "/graphiql/graphql-ws.min.js");
  expect(wsScript, "the page loads graphql-ws from this server").toBeDefined();
  const fetcherScript = scripts[scripts.indexOf(wsScript as RegExpExecArray) + 1]?.[2];
  expect(fetcherScript).toContain("approvalFetcher");

  const origin = new URL(server.url).origin;
  const wsResponse = await fetch(`${origin}/graphiql/graphql-ws.min.js`);
  expect(wsResponse.status).toBe(200);
  expect(wsResponse.headers.get("content-type")).toMatch(/javascript/);

  let captured: { fetcher: Fetcher } | undefined;
  const context = vm.createContext({
    URL,
    fetch: (url: string, init: RequestInit) => fetch(new URL(url, origin), init),
    location: new URL(server.url),
    WebSocket,
    console,
    setTimeout,
    clearTimeout,
    YogaGraphiQL: {
      renderYogaGraphiQL: (_root: unknown, options: { fetcher: Fetcher }) => {
        captured = options;
      },
    },
  });
  vm.runInContext(await wsResponse.text(), context);
  vm.runInContext(fetcherScript as string, context);
  vm.runInContext(`YogaGraphiQL.renderYogaGraphiQL(null, { endpoint: "/graphql", subscriptionsProtocol: "WS" })`, context);
  if (!captured) throw new Error("GraphiQL was not rendered");
  return captured.fetcher;
}

async function take<T>(iterable: AsyncIterable<T>, count: number): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) {
    items.push(item);
    if (items.length === count) break;
  }
  return items;
}

describe("GraphiQL", () => {
  it("is served with subscriptions over WebSocket and the Authorization header prefilled", () => {
    expect(html).toMatch(/"subscriptionsProtocol":"WS"/);
    expect(html).toContain("Bearer <token from: npm run token -- alice>");
  });

  it("loads everything from this server: no CDN, so it works on a network that cannot reach one", async () => {
    const origin = new URL(server.url).origin;
    const references = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1] as string);
    const workers = [...html.matchAll(/"(\/graphiql\/[^"]+\.worker\.js)"/g)].map((match) => match[1] as string);
    expect(references.length).toBeGreaterThanOrEqual(4);
    expect(workers).toHaveLength(3);
    for (const reference of [...references, ...workers]) {
      expect(reference, "a path on this server").toMatch(/^\/[^/]/);
      const response = await fetch(`${origin}${reference}`);
      expect(response.status, reference).toBe(200);
      expect(response.headers.get("content-type"), reference).toMatch(/javascript|css|image/);
      expect((await response.arrayBuffer()).byteLength, reference).toBeGreaterThan(1_000);
    }
    expect(html).not.toMatch(/https?:\/\//);
    // The 5 MB script goes out compressed to clients that accept it.
    const script = references.find((reference) => reference.endsWith("graphiql.js")) as string;
    const compressed = await new Promise<{ encoding?: string; bytes: number }>((resolve, reject) => {
      get(`${origin}${script}`, { headers: { "accept-encoding": "gzip" } }, (response) => {
        let bytes = 0;
        response.on("data", (chunk: Buffer) => {
          bytes += chunk.length;
        });
        response.on("end", () => resolve({ encoding: response.headers["content-encoding"], bytes }));
      }).on("error", reject);
    });
    expect(compressed.encoding).toBe("gzip");
    expect(compressed.bytes).toBeLessThan(3_000_000);
    for (const [header, gzip] of [
      ["gzip;q=0, identity", false],
      ["br, *;q=0.1", true],
      ["deflate, br", false],
      ["GZIP;q=0.5", true],
    ] as const) {
      expect(acceptsGzip(header), header).toBe(gzip);
    }
    expect((await fetch(`${origin}${script}`)).headers.get("x-request-id")).toBeTruthy();
    expect((await fetch(`${origin}/graphiql/none/graphiql.js`)).status).toBe(404);
  });

  it("sends queries over HTTP with the Headers tab, introspection without a token", async () => {
    const fetcher = await pageFetcher();
    const alice = await tokenFor("alice");
    expect(await fetcher({ query: "{ viewer { id } }" }, { headers: { Authorization: `Bearer ${alice}` } })).toEqual({
      data: { viewer: { id: "alice" } },
    });
    const introspection = (await fetcher({ query: "{ __schema { queryType { name } } }" })) as { data: unknown };
    expect(introspection.data).toEqual({ __schema: { queryType: { name: "Query" } } });
  });

  it("runs subscriptions over WebSocket, authenticated with the Headers tab's token", async () => {
    const fetcher = await pageFetcher();
    const alice = await tokenFor("alice");
    const started = await startProcessAs(server.url, alice, { approver: "bob", amount: "1.00", description: "GraphiQL" });
    const query = "subscription Watch($id: ID!) { processUpdated(id: $id, after: 0) { sequence type } }";
    const events = await take(
      fetcher(
        { query, variables: { id: started.id }, operationName: "Watch" },
        { headers: { Authorization: `Bearer ${alice}` } },
      ) as AsyncIterable<{
        data?: unknown;
      }>,
      2,
    );
    expect(events.map((event) => event.data)).toEqual([
      { processUpdated: { sequence: 1, type: "STARTED" } },
      { processUpdated: { sequence: 2, type: "TASK_CREATED" } },
    ]);

    // An unnamed subscription after a fragment goes over the WebSocket too.
    const withFragment =
      "fragment Seq on ProcessEvent { sequence }\nsubscription ($id: ID!) { processUpdated(id: $id, after: 1) { ...Seq } }";
    const fragmentEvents = await take(
      fetcher(
        { query: withFragment, variables: { id: started.id } },
        { headers: { Authorization: `Bearer ${alice}` } },
      ) as AsyncIterable<{
        data?: unknown;
      }>,
      1,
    );
    expect(fragmentEvents.map((event) => event.data)).toEqual([{ processUpdated: { sequence: 2 } }]);

    // Without a token the server refuses the socket, as for any client.
    const refused = fetcher({ query, variables: { id: started.id }, operationName: "Watch" }) as AsyncIterable<unknown>;
    await expect(take(refused, 1)).rejects.toMatchObject({ code: 4403 });
  });
});
