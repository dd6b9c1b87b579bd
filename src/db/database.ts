import { createHash } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type SQL, sql } from "drizzle-orm";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import { PgDialect } from "drizzle-orm/pg-core";
import pg from "pg";
import type { Logger } from "pino";
import * as schema from "./schema.js";

export type Db = NodePgDatabase<typeof schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/** LangGraph's checkpoint tables live in their own schema, apart from the business tables. */
export const CHECKPOINT_SCHEMA = "langgraph";

const MIGRATIONS_FOLDER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../drizzle");
// Any constant works; it only has to be the same for every server sharing the database.
const MIGRATION_LOCK = 727_274_001;

// numeric stays a string (exact); int8 counts fit in a JS number for this domain.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));

export function createPool(url: string, max: number, log: Logger): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    // A connection whose peer vanished without a reset is found by the kernel, not waited on forever.
    keepAlive: true,
    application_name: "approval-api",
  });
  // A client losing its connection (a database restart, a failover) emits 'error': pg-pool
  // listens while the client is idle (its 'error' event, below) or runs a pool.query, but not while
  // it is checked out, as for a transaction, where an unheard 'error' would end the process. Every
  // client gets a listener of its own for that case; what it was running fails by itself.
  pool.on("error", (error) => log.warn({ err: error }, "idle database connection lost"));
  pool.on("connect", (client) => {
    client.on("error", (error) => log.debug({ err: error }, "database connection lost"));
  });
  return pool;
}

const dialect = new PgDialect();
const statementNames = new Map<string, string>();
/** Past this many distinct texts, statements run unnamed (a guard against texts that vary). */
const MAX_NAMED_STATEMENTS = 200;

/** The name a statement text is prepared under: derived from the text, so it is the same everywhere. */
export function statementName(text: string): string | undefined {
  let name = statementNames.get(text);
  if (name === undefined && statementNames.size < MAX_NAMED_STATEMENTS) {
    name = `s_${createHash("sha1").update(text).digest("base64url").slice(0, 24)}`;
    statementNames.set(text, name);
  }
  return name;
}

/**
 * `db.execute(query)`, as a named prepared statement when `prepared`: each connection has
 * PostgreSQL parse and plan a statement once instead of on every call. Rows come back as
 * `db.execute` returns them.
 */
export async function execute<T extends Record<string, unknown>>(
  db: Db | Tx,
  query: SQL,
  prepared: boolean,
): Promise<pg.QueryResult<T>> {
  const built = dialect.sqlToQuery(query);
  const name = prepared ? statementName(built.sql) : undefined;
  return (await db._.session.prepareQuery(built, undefined, name, false).execute()) as pg.QueryResult<T>;
}

export function createDb(pool: pg.Pool): Db {
  return drizzle(pool, { schema });
}

/**
 * Applies the drizzle-kit migrations and then `setup`, under an advisory lock so that several
 * servers starting at once on one database migrate it exactly once.
 */
export async function migrateDatabase(pool: pg.Pool, setup: () => Promise<void>): Promise<void> {
  const lockClient = await pool.connect();
  try {
    await lockClient.query("select pg_advisory_lock($1)", [MIGRATION_LOCK]);
    await migrate(createDb(pool), { migrationsFolder: MIGRATIONS_FOLDER });
    await setup();
  } finally {
    await lockClient.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => {});
    lockClient.release();
  }
}

/**
 * Waits up to `waitMs` for the database to accept connections (a server started together with its
 * database, as in a compose file, may come up first), retrying every second. Errors that waiting
 * cannot cure (a wrong password, a missing database) fail at once, as does the last one past the wait.
 */
export async function waitForDatabase(pool: pg.Pool, waitMs: number, log: Logger): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (let attempt = 1; ; attempt++) {
    try {
      await pool.query("select 1");
      if (attempt > 1) log.info("the database answers");
      return;
    } catch (error) {
      const left = deadline - Date.now();
      if (!isDatabaseUnavailable(error) || left <= 0) throw error;
      if (attempt === 1) log.warn({ err: error, waitMs }, "the database does not answer yet; waiting for it");
      // Every second, and once more at the deadline.
      await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, left)));
    }
  }
}

/** True when the database answers a trivial query within `timeoutMs` (through a pool or Drizzle). */
export async function databaseAnswers(db: pg.Pool | Db, timeoutMs = 1_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    const answer = db instanceof pg.Pool ? db.query("select 1") : db.execute(sql`select 1`);
    return await Promise.race([answer.then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** An error and the errors it wraps (drizzle wraps driver errors in `cause`). */
function* causeChain(error: unknown): Generator<unknown> {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    yield current;
    current = (current as { cause?: unknown }).cause;
  }
}

// Connection failures, shutdown (57P0x), too many connections (53300), connection exceptions (08xxx).
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "57P01",
  "57P02",
  "57P03",
  "53300",
]);
const UNAVAILABLE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|connection error|Client was closed|not currently accepting connections/i;

/** Whether an error comes from the database or its driver (and may carry SQL or schema details). */
export function isDatabaseError(error: unknown): boolean {
  for (const e of causeChain(error)) {
    if (e instanceof pg.DatabaseError || (e instanceof Error && e.name === "DrizzleQueryError")) return true;
    if (e instanceof Error && UNAVAILABLE_MESSAGE.test(e.message)) return true;
  }
  return false;
}

/**
 * Whether an error may pass if the same work is tried again: the database away, or a conflict
 * between transactions (serialization failure, deadlock: class 40), a lock or statement timeout,
 * or a server that turned read-only under a failover.
 */
export function isTransientDatabaseError(error: unknown): boolean {
  if (isDatabaseUnavailable(error)) return true;
  for (const e of causeChain(error)) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && (code.startsWith("40") || ["55P03", "57014", "25006"].includes(code))) return true;
  }
  return false;
}

/** Whether an error means the database cannot be reached right now. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (const e of causeChain(error)) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && (UNAVAILABLE_CODES.has(code) || code.startsWith("08"))) return true;
    if (e instanceof Error && UNAVAILABLE_MESSAGE.test(e.message)) return true;
  }
  return false;
}
