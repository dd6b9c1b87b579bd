import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { type AddressInfo, Server as NetServer } from "node:net";
import { type ExecutionArgs, GraphQLError } from "graphql";
import { CloseCode, type WebSocket as GraphqlWsSocket, handleProtocols, makeServer, type ServerOptions } from "graphql-ws";
import { createYoga } from "graphql-yoga";
import type pg from "pg";
import type { Logger } from "pino";
import { type WebSocket, WebSocketServer } from "ws";
import { createAuthenticator, developmentSecret } from "./auth.js";
import { useRequireAuthentication } from "./authentication-plugin.js";
import type { Config } from "./config.js";
import { createContextFactory } from "./context.js";
import { BatchedPostgresSaver } from "./db/checkpointer.js";
import { CHECKPOINT_SCHEMA, createDb, createPool, databaseAnswers, migrateDatabase, waitForDatabase } from "./db/database.js";
import { type EmbeddedDatabase, startEmbeddedPostgres } from "./db/embedded.js";
import { ProcessEventBus } from "./events/bus.js";
import { type Announcement, RedisFanOut } from "./events/redis.js";
import { EventRelay } from "./events/relay.js";
import {
  GRAPHIQL_ASSETS_PATH,
  GRAPHQL_WS_SCRIPT_PATH,
  graphiqlAsset,
  graphqlWsBrowserScript,
  renderApprovalGraphiQL,
} from "./graphiql.js";
import { maskErrorFor, requestErrorToClient, SLOW_SUBSCRIBER, useContractCodesForRequestErrors } from "./graphql-errors.js";
import { queryLimitPlugins } from "./limits.js";
import { createLogger, requestScope } from "./logging.js";
import { usePersistedQueries } from "./persisted-queries.js";
import { ProcessService, type RunPoint } from "./processes/service.js";
import { schema } from "./schema/index.js";
import { useSharedSubscriptionExecution } from "./subscription-execution.js";
import { buildExpenseApprovalGraph, type ExpenseApprovalHooks } from "./workflows/expense-approval.js";

export type App = {
  /** Listens on `port` (0 picks a free one) and resolves with the URL of the GraphQL endpoint. */
  start(port?: number): Promise<{ url: string; port: number }>;
  /** Stops accepting, finishes in-flight work, closes sockets, ends the pool and the embedded database. */
  stop(): Promise<void>;
  /** Live subscriptions on one process in this instance. */
  liveSubscribers(processId: string): number;
  /** Counters for metrics and tests. */
  stats(): { slowConsumersDisconnected: number };
  /** The database the app uses (known once started). */
  readonly databaseUrl: string | undefined;
  readonly log: Logger;
};

export type AppOptions = {
  log?: Logger;
  workflowHooks?: ExpenseApprovalHooks;
};

const GRAPHIQL_DEFAULT_QUERY = `# Put a token in the Headers tab (npm run token -- alice), then try:
query Inbox {
  viewer { id roles }
  pendingTasks(first: 10) {
    totalCount
    edges { node { id title process { id status amount currency } } }
  }
}
`;

/** How long shutdown lets the relay hand the last committed events to subscribers. */
const EVENT_FLUSH_GRACE_MS = 100;

/** WebSocket close code for a client that lets too much data pile up unread. */
export const SLOW_CONSUMER_CLOSE_CODE = 4413;
/** How long a slow client gets to read up to the close frame before its socket is destroyed. */
const SLOW_CONSUMER_TERMINATE_MS = 10_000;

/** Whether an Accept-Encoding header takes gzip (named, or through "*", with a q-value above 0). */
export function acceptsGzip(header: string | undefined): boolean {
  let accepted = false;
  for (const part of (header ?? "").toLowerCase().split(",")) {
    const [coding = "", ...params] = part.split(";").map((piece) => piece.trim());
    if (coding !== "gzip" && coding !== "*") continue;
    const q = params.find((param) => param.startsWith("q="));
    const weight = q ? Number(q.slice(2)) : 1;
    if (coding === "gzip") return weight > 0;
    accepted = weight > 0;
  }
  return accepted;
}

/** The client's X-Request-Id when it is a sensible one, else a new id. */
function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === "string" && /^[\w.:-]{1,100}$/.test(header) ? header : randomUUID();
}

/** Why an HTTP request's body is refused before it is read, if it is. */
function bodyRefusal(req: IncomingMessage, maxBytes: number): { status: number; message: string } | null {
  if (req.method !== "POST") return null;
  const length = req.headers["content-length"];
  if (length === undefined) {
    return req.headers["transfer-encoding"] ? { status: 411, message: "Send a Content-Length with the request body." } : null;
  }
  const bytes = Number(length);
  if (!Number.isFinite(bytes) || bytes > maxBytes) {
    return { status: 413, message: `The request body is larger than ${maxBytes} bytes.` };
  }
  return null;
}

type WsInitialContext = { connectionParams?: Readonly<Record<string, unknown>> };

function authorizationFrom(params: Readonly<Record<string, unknown>> | undefined): string | null {
  const value = params?.authorization ?? params?.Authorization;
  return typeof value === "string" ? value : null;
}

/**
 * The database side of the app: one pool shared by Drizzle and LangGraph's PostgresSaver,
 * migrated, and the domain service over it. The caller owns the pool (and ends it).
 */
export async function openProcessStore(
  databaseUrl: string,
  config: Pick<
    Config,
    "poolMax" | "runLeaseMs" | "graphDurability" | "preparedStatements" | "subscriptionLogWaitMs" | "databaseWaitMs"
  >,
  log: Logger,
  extra: {
    workflowHooks?: ExpenseApprovalHooks;
    pauseAt?: (point: RunPoint) => Promise<void>;
    announce?: (announcements: Announcement[]) => void;
  } = {},
): Promise<{ pool: pg.Pool; bus: ProcessEventBus; processes: ProcessService }> {
  const pool = createPool(databaseUrl, config.poolMax, log);
  try {
    await waitForDatabase(pool, config.databaseWaitMs, log);
    const checkpointer = new BatchedPostgresSaver(pool, CHECKPOINT_SCHEMA, { preparedStatements: config.preparedStatements });
    await migrateDatabase(pool, () => checkpointer.setup());
    const bus = new ProcessEventBus();
    const processes = new ProcessService({
      db: createDb(pool),
      graph: buildExpenseApprovalGraph(checkpointer, extra.workflowHooks),
      checkpointer,
      bus,
      log,
      runLeaseMs: config.runLeaseMs,
      durability: config.graphDurability,
      preparedStatements: config.preparedStatements,
      subscriptionLogWaitMs: config.subscriptionLogWaitMs,
      pauseAt: extra.pauseAt,
      announce: extra.announce,
    });
    return { pool, bus, processes };
  } catch (error) {
    await pool.end().catch(() => {});
    throw error;
  }
}

export function buildApp(config: Config, options: AppOptions = {}): App {
  const log = options.log ?? createLogger(config.logLevel);
  let embedded: EmbeddedDatabase | undefined;
  let pool: pg.Pool | undefined;
  let server: Server | undefined;
  let wss: WebSocketServer | undefined;
  let service: ProcessService | undefined;
  let bus: ProcessEventBus | undefined;
  let relay: { stop(): Promise<void> } | undefined;
  let recoveryTimer: NodeJS.Timeout | undefined;
  let recovering: Promise<void> = Promise.resolve();
  let slowConsumersDisconnected = 0;
  const maskError = maskErrorFor(log);
  /** Disconnects a client that does not read what it subscribed to. */
  const closeSlowConsumer = (socket: WebSocket) => {
    if (socket.readyState !== socket.OPEN) return;
    slowConsumersDisconnected++;
    log.warn({ bufferedBytes: socket.bufferedAmount }, "closing a WebSocket whose client does not read");
    socket.close(SLOW_CONSUMER_CLOSE_CODE, "Subscriber too slow: too much data waiting to be sent");
    // The close frame waits behind what the client has not read; do not wait for it forever.
    setTimeout(() => socket.terminate(), SLOW_CONSUMER_TERMINATE_MS).unref();
  };
  /** Responses under way, so that shutdown can end streams and keep no connection alive. */
  const responses = new Set<ServerResponse>();
  let databaseUrl = config.databaseUrl;
  let stopping: Promise<void> | undefined;

  async function start(port = config.port) {
    if (!databaseUrl) {
      embedded = await startEmbeddedPostgres({ dataDir: `${config.dataDir}/postgres`, port: config.embeddedPgPort, log });
      databaseUrl = embedded.url;
    }
    let secret = config.jwtSecret;
    if (!secret) {
      const dev = developmentSecret(config.dataDir);
      secret = dev.secret;
      log.info(
        { file: dev.file },
        `JWT_SECRET is not set: using a development secret${dev.created ? " (generated now)" : ""}. Mint a token with: npm run token -- alice --groups finance`,
      );
    }

    if (secret.length < 32) log.warn("JWT_SECRET is shorter than 32 characters: tokens signed with it are easy to forge");

    let redis: RedisFanOut | undefined;
    const stack = await openProcessStore(databaseUrl, config, log, {
      workflowHooks: options.workflowHooks,
      announce: (announcements) => redis?.announce(announcements),
      pauseAt: config.testPauseAt
        ? (point) => {
            if (point !== config.testPauseAt) return Promise.resolve();
            log.warn({ pausedAt: point }, "paused for a crash test");
            return new Promise<void>(() => {});
          }
        : undefined,
    });
    pool = stack.pool;
    bus = stack.bus;
    service = stack.processes;
    const processes = stack.processes;
    const delivery = {
      bus,
      loadAfter: (id: string, after: number) => processes.eventsAfter(id, after),
      loadLatest: (ids: string[]) => processes.latestEvents(ids),
      log,
    };
    // Committed events reach subscribers on every instance through PostgreSQL LISTEN/NOTIFY, or
    // through Redis when REDIS_URL is set (for very wide fan-out).
    if (config.redisUrl) {
      redis = new RedisFanOut(config.redisUrl, delivery, config.relayReconcileMs);
      await redis.start();
      relay = redis;
    } else {
      const listener = new EventRelay({ ...delivery, connectionString: databaseUrl, heartbeatMs: config.relayHeartbeatMs });
      await listener.start();
      relay = listener;
    }
    const auth = createAuthenticator(secret);
    const createContext = createContextFactory({ auth, processes });

    const anyOrigin = config.corsOrigins.length === 0 || config.corsOrigins.includes("*");
    const yoga = createYoga<{ req?: IncomingMessage; res?: ServerResponse } & WsInitialContext>({
      schema,
      graphqlEndpoint: "/graphql",
      graphiql: config.graphiql
        ? {
            subscriptionsProtocol: "WS",
            title: "Approval API",
            headers: JSON.stringify({ Authorization: "Bearer <token from: npm run token -- alice>" }, null, 2),
            defaultQuery: GRAPHIQL_DEFAULT_QUERY,
          }
        : false,
      renderGraphiQL: renderApprovalGraphiQL,
      // A listed origin gets its own name back; any other gets no CORS header at all (the
      // library would answer "null", which pages with an opaque origin match).
      cors: (request: Request) => {
        const origin = request.headers.get("origin");
        if (!origin || (!anyOrigin && !config.corsOrigins.includes(origin))) return false;
        return { origin, credentials: false, exposedHeaders: ["X-Request-Id"], maxAge: 600 };
      },
      landingPage: false,
      maskedErrors: { maskError },
      plugins: [
        usePersistedQueries(),
        ...queryLimitPlugins(config.limits),
        useContractCodesForRequestErrors,
        useRequireAuthentication,
        useSharedSubscriptionExecution(),
      ],
      logging: {
        debug: (...args) => log.debug(args.map(String).join(" ")),
        info: (...args) => log.info(args.map(String).join(" ")),
        warn: (...args) => log.warn(args.map(String).join(" ")),
        // Errors a client caused are answered, not logged as failures; unexpected ones are logged
        // (with their details) by the error masking.
        error: (...args) => log.debug(args.map(String).join(" ")),
      },
      context: (initial) => {
        const request = (initial as { request?: Request }).request;
        return createContext({
          authorization: initial.connectionParams
            ? authorizationFrom(initial.connectionParams)
            : request?.headers.get("authorization"),
        });
      },
    });

    const readiness = async (res: ServerResponse) => {
      const ready = !stopping && pool !== undefined && (await databaseAnswers(pool));
      res.writeHead(ready ? 200 : 503, { "content-type": "application/json" });
      res.end(JSON.stringify({ status: ready ? "ready" : "unavailable" }));
    };

    /** GraphiQL's own assets: versioned paths, so a browser may keep them. */
    const serveGraphiqlAsset = async (req: IncomingMessage, name: string, res: ServerResponse) => {
      try {
        const asset = await graphiqlAsset(name);
        if (!asset) {
          res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
          res.end("Not found");
          return;
        }
        const gzip = acceptsGzip(req.headers["accept-encoding"]);
        const body = gzip ? await asset.gzipped() : asset.body;
        res.writeHead(200, {
          "content-type": asset.contentType,
          "cache-control": "public, max-age=31536000, immutable",
          vary: "accept-encoding",
          ...(gzip ? { "content-encoding": "gzip" } : {}),
        });
        res.end(body);
      } catch (error) {
        log.error({ err: error }, "GraphiQL's assets could not be served");
        if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
        res.end("GraphiQL is unavailable");
      }
    };

    let graphqlWsScript: string | undefined;
    server = createServer((req, res) => {
      const requestId = requestIdFrom(req.headers["x-request-id"]);
      res.setHeader("x-request-id", requestId);
      // While shutting down, no connection is kept for another request.
      if (stopping) res.setHeader("connection", "close");
      responses.add(res);
      res.once("close", () => responses.delete(res));
      const path = req.url?.split("?")[0];
      if (path === "/health") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ status: "ok" }));
        return;
      }
      if (path === GRAPHQL_WS_SCRIPT_PATH && config.graphiql) {
        graphqlWsScript ??= graphqlWsBrowserScript();
        res.writeHead(200, { "content-type": "text/javascript; charset=utf-8", "cache-control": "public, max-age=3600" });
        res.end(graphqlWsScript);
        return;
      }
      if (path?.startsWith(GRAPHIQL_ASSETS_PATH) && config.graphiql) {
        void serveGraphiqlAsset(req, path.slice(GRAPHIQL_ASSETS_PATH.length), res);
        return;
      }
      if (path === "/ready") {
        void readiness(res);
        return;
      }
      const refusal = bodyRefusal(req, config.maxBodyBytes);
      if (refusal) {
        res.writeHead(refusal.status, { "content-type": "application/json", connection: "close" });
        res.end(
          JSON.stringify({ errors: [{ message: refusal.message, extensions: { code: "BAD_USER_INPUT", field: "body" } }] }),
        );
        req.resume();
        return;
      }
      requestScope.run({ requestId }, () => {
        log.debug({ req: { method: req.method, url: req.url, headers: req.headers } }, "request");
        void yoga(req, res);
      });
    });

    // ws closes a socket that sends a message over maxPayload with 1009 (message too big).
    wss = new WebSocketServer({ server, path: "/graphql", maxPayload: config.maxWsMessageBytes, handleProtocols });
    serveGraphqlWs(
      {
        execute: (args: ExecutionArgs) => (args.rootValue as EnvelopedRoot).execute(args),
        subscribe: (args: ExecutionArgs) => (args.rootValue as EnvelopedRoot).subscribe(args),
        // The contract: no valid token, no connection (4403 Forbidden).
        onConnect: async (ctx) => {
          log.debug({ connectionParams: ctx.connectionParams }, "websocket connection_init");
          return (await auth.viewerFrom(authorizationFrom(ctx.connectionParams)).catch(() => null)) !== null;
        },
        // A client that does not read cannot make the server queue without bound.
        onNext: (ctx, _id, _payload, _args, result) => {
          const socket = ctx.extra.socket;
          if (socket.readyState === socket.OPEN && socket.bufferedAmount > config.maxWsBufferedBytes) closeSlowConsumer(socket);
          // Errors in a result (variables that do not fit their types) go out as on HTTP, minus its status.
          if (result.errors?.some((error) => error.extensions?.http)) {
            return { ...result, errors: result.errors.map((error) => withoutHttp(error).toJSON()) };
          }
          return undefined;
        },
        // An operation that fails after it started (its event stream could not read the log for
        // too long) is reported through the same masking as on HTTP: a code, never SQL.
        onError: (ctx, _id, _payload, errors) => {
          // What yoga's envelop already masked arrives wrapped once more by graphql-ws (without its
          // extensions): send the masked error itself.
          const masked = errors.map((error) =>
            error.originalError instanceof GraphQLError ? error.originalError : maskError(error, "Unexpected error."),
          );
          // A subscription that fell too far behind: the client is told why (the error goes out
          // as soon as this returns, queued behind what it has not read), then the socket closes.
          if (masked.some((error) => error.extensions.reason === SLOW_SUBSCRIBER)) {
            setImmediate(() => closeSlowConsumer(ctx.extra.socket));
          }
          // (onSubscribe's refusals, documents that do not validate, arrive here too.)
          return masked.map((error) => withoutHttp(error).toJSON());
        },
        onSubscribe: async (ctx, _id, payload) => {
          // Everything this operation logs carries its own request id.
          requestScope.enterWith({ requestId: randomUUID() });
          // The initial context holds only what the context factory reads: everything in it stays
          // referenced by the subscription's context for as long as the subscription lives.
          const {
            schema: envelopedSchema,
            execute,
            subscribe,
            contextFactory,
            parse,
            validate,
          } = yoga.getEnveloped({ connectionParams: ctx.connectionParams });
          // Parse errors and the query limits' rules throw; they answer the client like on HTTP.
          let document: ReturnType<typeof parse>;
          try {
            document = parse(payload.query);
            const errors = validate(envelopedSchema, document);
            if (errors.length) return errors.map((error: GraphQLError) => requestErrorToClient(error));
          } catch (error) {
            if (error instanceof GraphQLError) return [requestErrorToClient(error)];
            throw error;
          }
          return {
            schema: envelopedSchema,
            operationName: payload.operationName,
            document,
            variableValues: payload.variables,
            contextValue: await contextFactory(),
            rootValue: { execute, subscribe },
          };
        },
      },
      wss,
      log,
      { initTimeoutMs: config.wsInitTimeoutMs, keepAliveMs: config.wsKeepAliveMs },
    );

    await new Promise<void>((resolve, reject) => {
      server?.once("error", reject);
      server?.listen(port, config.host, () => resolve());
    });
    // Runs abandoned by a server that died are finished here: now, and then on a timer.
    const recover = () => {
      if (stopping || !service) return;
      const processes = service;
      recovering = processes
        .recoverAbandonedRuns()
        .then((ids) => ids.length && log.info({ recovering: ids.length }, "took over abandoned runs"))
        .then(() => processes.pruneIdempotencyKeys(config.idempotencyKeyTtlHours))
        .then((pruned) => pruned && log.info({ pruned }, "forgot expired idempotency keys"))
        .then(() => (config.retentionDays === undefined ? 0 : processes.pruneCheckpoints(config.retentionDays)))
        .then(
          (pruned) => pruned && log.info({ pruned }, "removed checkpoints of long-finished processes"),
          (error: unknown) => log.warn({ err: error }, "maintenance pass failed"),
        )
        .then(() => undefined);
    };
    // One pass at a time: the next is scheduled when the last has finished.
    const schedule = () => {
      if (stopping || config.recoveryIntervalMs <= 0) return;
      recoveryTimer = setTimeout(() => {
        recover();
        void recovering.then(schedule);
      }, config.recoveryIntervalMs);
      recoveryTimer.unref();
    };
    recover();
    void recovering.then(schedule);

    const address = server.address() as AddressInfo;
    const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${address.port}/graphql`;
    log.info({ url }, "approval API listening");
    return { url, port: address.port };
  }

  async function shutdown() {
    clearTimeout(recoveryTimer);
    // New work is refused at once, even while a maintenance pass still runs.
    service?.beginShutdown();
    const timeout = <T>(promise: Promise<T>) =>
      Promise.race([promise, new Promise<void>((resolve) => setTimeout(resolve, config.shutdownTimeoutMs).unref())]);
    // 1. Stop accepting: no new connections (HTTP or WebSocket upgrades).
    const closed = server
      ? new Promise<void>((resolve) => {
          if (!server?.listening) return resolve();
          // net.Server's close: stop listening only. http.Server's would also drop the idle
          // keep-alive connections at once, resetting a request a client is sending on one.
          NetServer.prototype.close.call(server, () => resolve());
        })
      : Promise.resolve();
    // Connections stay open until step 3, so that a request sent on one now is answered
    // (SERVICE_UNAVAILABLE) rather than reset; every response from now on closes its connection.
    for (const res of responses) if (!res.headersSent) res.setHeader("connection", "close");
    // 2. Finish in-flight work: graph runs, and the requests waiting for them; subscribers still
    //    get the events those runs commit.
    await timeout(recovering.then(() => service?.drain()));
    // The relay delivers the last committed events within milliseconds of their NOTIFY.
    await new Promise((resolve) => setTimeout(resolve, EVENT_FLUSH_GRACE_MS));
    // 3. Close sockets: WebSockets with 1001, idle HTTP connections, and subscriptions streamed
    //    over HTTP (server-sent events, which never end by themselves; clients reconnect).
    for (const socket of wss?.clients ?? []) socket.close(1001, "server shutting down");
    server?.closeIdleConnections();
    for (const res of responses) {
      if (String(res.getHeader("content-type") ?? "").startsWith("text/event-stream")) res.destroy();
    }
    await timeout(closed);
    server?.closeAllConnections();
    for (const socket of wss?.clients ?? []) socket.terminate();
    await new Promise<void>((resolve) => (wss ? wss.close(() => resolve()) : resolve()));
    await relay?.stop();
    // Bounded too: pool.end() waits for a connection stuck in a query on a dead socket, and the
    // embedded PostgreSQL's stop() for an exit that an already dead postgres never reports.
    await timeout(
      pool?.end().catch((error: unknown) => log.warn({ err: error }, "closing the pool failed")) ?? Promise.resolve(),
    );
    await timeout(embedded?.stop() ?? Promise.resolve());
    log.info("stopped");
  }

  return {
    start,
    stop() {
      stopping ??= shutdown();
      return stopping;
    },
    liveSubscribers: (processId) => bus?.listenerCount(processId) ?? 0,
    stats: () => ({ slowConsumersDisconnected }),
    get databaseUrl() {
      return databaseUrl;
    },
    log,
  };
}

type WsOptions = ServerOptions<Record<string, unknown> | undefined, WsExtra>;
type EnvelopedRoot = {
  execute: (args: ExecutionArgs) => ReturnType<NonNullable<WsOptions["execute"]>>;
  subscribe: (args: ExecutionArgs) => ReturnType<NonNullable<WsOptions["subscribe"]>>;
};

/** What a graphql-ws connection keeps of its socket: the socket only (not the upgrade request). */
type WsExtra = { readonly socket: WebSocket; initWait: NodeJS.Timeout | null };

/** An error as sent over WebSocket: without `extensions.http` (HTTP's status, meaningless there). */
function withoutHttp(error: GraphQLError): GraphQLError {
  if (!error.extensions?.http) return error;
  const { http: _, ...extensions } = error.extensions;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions,
  });
}

function closeOnInternalError(log: Logger, socket: WebSocket, error: unknown, where: string): void {
  log.warn({ err: error }, `closing a WebSocket after an error ${where}`);
  socket.close(CloseCode.InternalServerError, "Internal server error");
}

/**
 * What graphql-ws sees of a ws socket: one small object per connection, its methods on the
 * prototype (rather than three closures each).
 */
class GraphqlWsSocketAdapter implements GraphqlWsSocket {
  readonly #socket: WebSocket;
  readonly #log: Logger;
  constructor(socket: WebSocket, log: Logger) {
    this.#socket = socket;
    this.#log = log;
  }
  get protocol(): string {
    return this.#socket.protocol;
  }
  send(data: string): Promise<void> {
    const socket = this.#socket;
    return new Promise((resolve, reject) => {
      if (socket.readyState !== socket.OPEN) return resolve();
      socket.send(data, (error) => (error ? reject(error) : resolve()));
    });
  }
  close(code?: number, reason?: string): void {
    this.#socket.close(code, reason);
  }
  onMessage(cb: (data: string) => Promise<void>): void {
    const socket = this.#socket;
    const log = this.#log;
    // Not an async listener: that would keep the raw message Buffer (and one more promise chain)
    // alive for as long as the subscription the message started.
    socket.on("message", (data) => {
      cb(String(data)).catch((error: unknown) => {
        // A message only a server may send (next, connection_ack, error): the client's mistake.
        if (error instanceof Error && error.message.startsWith("Unexpected message of type")) {
          log.debug({ reason: error.message }, "closing a WebSocket that sent a server's message");
          socket.close(CloseCode.BadRequest, error.message);
          return;
        }
        closeOnInternalError(log, socket, error, "while handling a message");
      });
    });
  }
}

/**
 * graphql-ws's useServer (graphql-ws/use/ws) without its per-connection weight: the same protocol
 * server, keepalive and error handling, but a connection keeps only its socket (useServer also keeps
 * the upgrade IncomingMessage and its headers for the connection's whole life).
 *
 * Listeners are anonymous inline functions on purpose: tsx (esbuild keepNames) gives a named function
 * made per connection a dictionary-mode "name" property, 256 bytes each.
 */
function serveGraphqlWs(
  options: WsOptions,
  wss: WebSocketServer,
  log: Logger,
  timing: { initTimeoutMs: number; keepAliveMs: number },
): void {
  // The connection_init timeout is kept here rather than by graphql-ws, whose timer stays
  // referenced by every connection for its whole life.
  const server = makeServer<Record<string, unknown> | undefined, WsExtra>({
    ...options,
    connectionInitWaitTimeout: 0,
    onConnect: (ctx) => {
      if (ctx.extra.initWait) clearTimeout(ctx.extra.initWait);
      ctx.extra.initWait = null;
      return options.onConnect?.(ctx);
    },
  });
  wss.once("error", (error) => {
    log.error({ err: error }, "the WebSocket server failed; closing its sockets");
    for (const client of wss.clients) client.close(CloseCode.InternalServerError, "Internal server error");
  });
  // Keepalive: one sweep for all sockets; a socket that has not answered the last sweep's ping by
  // the next sweep is dropped.
  const unanswered = new Set<WebSocket>();
  function answered(this: WebSocket) {
    unanswered.delete(this);
  }
  const sweep = setInterval(() => {
    for (const socket of wss.clients) {
      if (socket.readyState !== socket.OPEN) continue;
      if (unanswered.has(socket)) {
        unanswered.delete(socket);
        socket.terminate();
        continue;
      }
      unanswered.add(socket);
      socket.ping();
    }
  }, timing.keepAliveMs);
  sweep.unref();
  wss.once("close", () => clearInterval(sweep));
  wss.on("connection", (socket) => {
    socket.on("error", (error) => closeOnInternalError(log, socket, error, "on its socket"));
    socket.on("pong", answered);
    const extra: WsExtra = {
      socket,
      initWait: setTimeout(
        () => socket.close(CloseCode.ConnectionInitialisationTimeout, "Connection initialisation timeout"),
        timing.initTimeoutMs,
      ),
    };
    const closed = server.opened(new GraphqlWsSocketAdapter(socket, log), extra);
    socket.on("close", (code, reason) => {
      if (extra.initWait) clearTimeout(extra.initWait);
      extra.initWait = null;
      unanswered.delete(socket);
      void closed(code, String(reason));
    });
  });
}
