import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { type DocumentNode, print } from "graphql";
import { type Client, createClient } from "graphql-ws";
import WebSocket from "ws";
import { mintToken } from "../../src/auth.js";
import { StartMinimalDocument, type StartProcessInput } from "../generated/graphql.js";
import { TEST_SECRET } from "./server.js";

export type GraphQLResponse<TData> = {
  status: number;
  data?: TData | null;
  errors?: Array<{ message: string; path?: unknown[]; extensions?: { code?: string; field?: string; [k: string]: unknown } }>;
};

export function tokenFor(sub: string, claims: { groups?: string[]; roles?: string[]; name?: string } = {}, expiresIn?: string) {
  return mintToken(TEST_SECRET, { sub, ...claims }, expiresIn);
}

/** POSTs a document to the server like any HTTP client would. */
export async function gql<TData, TVars>(
  url: string,
  document: TypedDocumentNode<TData, TVars> | DocumentNode | string,
  variables?: TVars,
  options: { token?: string | null; authorization?: string; operationName?: string } = {},
): Promise<GraphQLResponse<TData>> {
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/graphql-response+json" };
  const authorization = options.authorization ?? (options.token ? `Bearer ${options.token}` : undefined);
  if (authorization) headers.authorization = authorization;
  const response = await fetch(url, {
    method: "POST",
    headers,
    body: JSON.stringify({
      query: typeof document === "string" ? document : print(document),
      variables,
      operationName: options.operationName,
    }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse<TData>, "status">;
  return { status: response.status, ...body };
}

/** The data of a response that must have succeeded. */
export function dataOf<TData>(response: GraphQLResponse<TData>): TData {
  if (response.errors?.length || !response.data) {
    throw new Error(`expected data, got ${JSON.stringify(response.errors ?? response)}`);
  }
  return response.data;
}

/** The codes of a response's errors. */
export const codesOf = (response: GraphQLResponse<unknown>) => (response.errors ?? []).map((e) => e.extensions?.code);

export function wsClient(
  wsUrl: string,
  token: string | null,
  extra: { connectionParams?: Record<string, unknown> } = {},
): Client {
  return createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    lazy: false,
    retryAttempts: 0,
    connectionParams: extra.connectionParams ?? (token ? { authorization: `Bearer ${token}` } : {}),
    onNonLazyError: () => {},
  });
}

type Deferred<T> = { promise: Promise<T>; resolve(value: T): void; reject(error: unknown): void };
export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export type Subscription<TData> = {
  results: Array<{ data?: TData | null; errors?: GraphQLResponse<TData>["errors"] }>;
  /** Resolves once `count` results have arrived (or rejects when the subscription ends first). */
  waitFor(count: number): Promise<Array<{ data?: TData | null; errors?: GraphQLResponse<TData>["errors"] }>>;
  /** Resolves when the server completes the subscription, or with the error it ended with. */
  ended: Promise<unknown>;
  dispose(): void;
};

/** Subscribes over graphql-ws and records every result; waits on deferreds, never on sleeps. */
export function subscribe<TData, TVars>(
  client: Client,
  document: TypedDocumentNode<TData, TVars> | string,
  variables: TVars,
  operationName?: string,
): Subscription<TData> {
  const results: Subscription<TData>["results"] = [];
  const waiters: Array<{ count: number; done: Deferred<Subscription<TData>["results"]> }> = [];
  const ended = deferred<unknown>();
  let finished = false;
  const check = () => {
    for (const waiter of [...waiters]) {
      if (results.length >= waiter.count) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.done.resolve(results.slice(0, waiter.count));
      } else if (finished) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.done.reject(
          new Error(`subscription ended after ${results.length} results, wanted ${waiter.count}: ${JSON.stringify(results)}`),
        );
      }
    }
  };
  const dispose = client.subscribe(
    {
      query: typeof document === "string" ? document : print(document),
      variables: variables as Record<string, unknown>,
      ...(operationName ? { operationName } : {}),
    },
    {
      next: (value) => {
        results.push(value as Subscription<TData>["results"][number]);
        check();
      },
      error: (error) => {
        finished = true;
        ended.resolve(error);
        check();
      },
      complete: () => {
        finished = true;
        ended.resolve("complete");
        check();
      },
    },
  );
  return {
    results,
    ended: ended.promise,
    waitFor(count) {
      const done = deferred<Subscription<TData>["results"]>();
      waiters.push({ count, done });
      check();
      return done.promise;
    },
    dispose,
  };
}

/** Waits until a condition about the server holds, checking every few milliseconds. */
export async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms: ${condition}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** startProcess as the token's user (the StartMinimal selection); the new process, or the test fails. */
export async function startProcessAs(url: string, token: string, input: StartProcessInput) {
  return dataOf(await gql(url, StartMinimalDocument, { input }, { token })).startProcess.process;
}
