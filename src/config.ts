import { z } from "zod";
import type { QueryLimits } from "./limits.js";
import type { RunPoint } from "./processes/service.js";

const emptyToUndefined = (value: unknown) => (value === "" ? undefined : value);

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().min(1).default("127.0.0.1"),
  DATABASE_URL: z.preprocess(emptyToUndefined, z.string().url().optional()),
  DATA_DIR: z.string().min(1).default("./.data"),
  EMBEDDED_PG_PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(65535).optional()),
  JWT_SECRET: z.preprocess(emptyToUndefined, z.string().optional()),
  DB_POOL_MAX: z.coerce.number().int().min(2).max(200).default(20),
  DATABASE_WAIT_MS: z.coerce.number().int().min(0).default(30_000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  GRAPHIQL: z.preprocess(emptyToUndefined, z.enum(["true", "false"]).optional()),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  RUN_LEASE_MS: z.coerce.number().int().min(100).default(30_000),
  RECOVERY_INTERVAL_MS: z.coerce.number().int().min(0).default(15_000),
  INTROSPECTION: z.preprocess(emptyToUndefined, z.enum(["true", "false"]).optional()),
  MAX_QUERY_DEPTH: z.coerce.number().int().min(1).default(12),
  MAX_ALIASES: z.coerce.number().int().min(0).default(20),
  MAX_DIRECTIVES: z.coerce.number().int().min(0).default(20),
  MAX_TOKENS: z.coerce.number().int().min(10).default(3_000),
  MAX_COST: z.coerce.number().int().min(1).default(5_000),
  MAX_BODY_BYTES: z.coerce.number().int().min(1_024).default(100_000),
  MAX_WS_MESSAGE_BYTES: z.coerce.number().int().min(1_024).default(100_000),
  REDIS_URL: z.preprocess(emptyToUndefined, z.string().url().optional()),
  RELAY_RECONCILE_MS: z.coerce.number().int().min(50).default(1_000),
  RELAY_HEARTBEAT_MS: z.coerce.number().int().min(50).default(10_000),
  SUBSCRIPTION_LOG_WAIT_MS: z.coerce.number().int().min(0).default(60_000),
  GRAPH_DURABILITY: z.enum(["exit", "async", "sync"]).default("exit"),
  DB_PREPARED_STATEMENTS: z.enum(["true", "false"]).default("true"),
  RETENTION_DAYS: z.preprocess(emptyToUndefined, z.coerce.number().min(0).optional()),
  IDEMPOTENCY_KEY_TTL_HOURS: z.coerce.number().int().min(24).default(48),
  WS_INIT_TIMEOUT_MS: z.coerce.number().int().min(100).default(3_000),
  WS_KEEPALIVE_MS: z.coerce.number().int().min(100).default(12_000),
  MAX_WS_BUFFERED_BYTES: z.coerce.number().int().min(1_024).default(1_000_000),
  CORS_ORIGINS: z.string().default("*"),
  TEST_PAUSE_AT: z.preprocess(
    emptyToUndefined,
    z.enum(["start:committed", "start:ran", "decide:committed", "decide:ran"]).optional(),
  ),
});

export type Config = {
  env: "development" | "production" | "test";
  port: number;
  host: string;
  /** PostgreSQL URL; undefined means "start the embedded PostgreSQL under dataDir". */
  databaseUrl: string | undefined;
  dataDir: string;
  embeddedPgPort: number | undefined;
  /** HS256 secret; undefined outside production means "generate one under dataDir". */
  jwtSecret: string | undefined;
  poolMax: number;
  /** How long start-up waits for DATABASE_URL's server to accept connections. */
  databaseWaitMs: number;
  logLevel: z.infer<typeof schema>["LOG_LEVEL"];
  graphiql: boolean;
  shutdownTimeoutMs: number;
  /** How long a graph run belongs to the instance running it before another may take it over. */
  runLeaseMs: number;
  /** How often to look for abandoned runs (0: only at start-up). */
  recoveryIntervalMs: number;
  limits: QueryLimits;
  /** Largest HTTP request body accepted (413 beyond). */
  maxBodyBytes: number;
  /** Largest WebSocket message accepted (the socket is closed with 1009 beyond). */
  maxWsMessageBytes: number;
  /** Redis for event fan-out across instances; undefined: PostgreSQL LISTEN/NOTIFY. */
  redisUrl: string | undefined;
  /** With Redis: how often each watched process's latest event is re-published from the log. */
  relayReconcileMs: number;
  /** Without Redis: how often the LISTEN connection must answer a query, or be replaced. */
  relayHeartbeatMs: number;
  /** How long a subscription retries reading the event log (an outage) before it ends with an error. */
  subscriptionLogWaitMs: number;
  /** LangGraph's checkpoint durability for runs (see ProcessServiceDeps.durability). */
  graphDurability: "exit" | "async" | "sync";
  /** Hot statements are named prepared statements (turn off behind PgBouncer < 1.21 in transaction mode). */
  preparedStatements: boolean;
  /** Checkpoints of processes finished longer ago than this are removed (undefined: kept forever). */
  retentionDays: number | undefined;
  /** How long idempotency keys are kept (at least 24 hours). */
  idempotencyKeyTtlHours: number;
  /** How long a WebSocket may wait before sending connection_init (then 4408). */
  wsInitTimeoutMs: number;
  /** How often the server pings each WebSocket; one not answered within as long is dropped. */
  wsKeepAliveMs: number;
  /** Bytes queued for a slow WebSocket client before it is disconnected (4413). */
  maxWsBufferedBytes: number;
  /**
   * Browser origins allowed to call the API (CORS); ["*"] for any. Tokens travel in a header, not
   * in cookies, so credentials are never allowed.
   */
  corsOrigins: string[];
  /** Test-only (NODE_ENV=test): a run point where the server stops and waits to be killed. */
  testPauseAt: RunPoint | undefined;
};

/**
 * Parses and validates every environment variable the server reads, once. `forServer: false` is
 * for the command-line jobs (npm run prune), which sign and verify no token.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, { forServer = true } = {}): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid configuration:\n  ${problems.join("\n  ")}`);
  }
  const e = parsed.data;
  if (forServer && e.NODE_ENV === "production" && (!e.JWT_SECRET || e.JWT_SECRET.length < 32)) {
    throw new Error("Invalid configuration:\n  JWT_SECRET: at least 32 characters are required when NODE_ENV=production");
  }
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    embeddedPgPort: e.EMBEDDED_PG_PORT,
    jwtSecret: e.JWT_SECRET,
    poolMax: e.DB_POOL_MAX,
    databaseWaitMs: e.DATABASE_WAIT_MS,
    logLevel: e.LOG_LEVEL,
    graphiql: e.GRAPHIQL ? e.GRAPHIQL === "true" : e.NODE_ENV !== "production",
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    runLeaseMs: e.RUN_LEASE_MS,
    recoveryIntervalMs: e.RECOVERY_INTERVAL_MS,
    testPauseAt: e.NODE_ENV === "test" ? e.TEST_PAUSE_AT : undefined,
    limits: {
      maxDepth: e.MAX_QUERY_DEPTH,
      maxAliases: e.MAX_ALIASES,
      maxDirectives: e.MAX_DIRECTIVES,
      maxTokens: e.MAX_TOKENS,
      maxCost: e.MAX_COST,
      introspection: e.INTROSPECTION ? e.INTROSPECTION === "true" : e.NODE_ENV !== "production",
    },
    maxBodyBytes: e.MAX_BODY_BYTES,
    maxWsMessageBytes: e.MAX_WS_MESSAGE_BYTES,
    maxWsBufferedBytes: e.MAX_WS_BUFFERED_BYTES,
    corsOrigins: e.CORS_ORIGINS.split(",")
      .map((origin) => origin.trim())
      .filter(Boolean),
    wsInitTimeoutMs: e.WS_INIT_TIMEOUT_MS,
    wsKeepAliveMs: e.WS_KEEPALIVE_MS,
    idempotencyKeyTtlHours: e.IDEMPOTENCY_KEY_TTL_HOURS,
    retentionDays: e.RETENTION_DAYS,
    graphDurability: e.GRAPH_DURABILITY,
    preparedStatements: e.DB_PREPARED_STATEMENTS === "true",
    redisUrl: e.REDIS_URL,
    relayReconcileMs: e.RELAY_RECONCILE_MS,
    relayHeartbeatMs: e.RELAY_HEARTBEAT_MS,
    subscriptionLogWaitMs: e.SUBSCRIPTION_LOG_WAIT_MS,
  };
}
