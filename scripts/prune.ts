/**
 * The retention job, once: removes the LangGraph checkpoints of processes that finished more than
 * N days ago, keeping their business records, decisions, events and final state.
 *
 *   npm run prune -- --days 30
 *
 * Uses DATABASE_URL, else the embedded PostgreSQL under DATA_DIR (the running server's, or one
 * started for the job). A running server does the same on its timer when RETENTION_DAYS is set.
 */
import { parseArgs } from "node:util";
import { openProcessStore } from "../src/app.js";
import { loadConfig } from "../src/config.js";
import { runningEmbeddedUrl, startEmbeddedPostgres } from "../src/db/embedded.js";
import { createLogger } from "../src/logging.js";

const USAGE = "usage: npm run prune -- --days <N>   (N ≥ 0; or set RETENTION_DAYS)";
let values: { days?: string };
try {
  ({ values } = parseArgs({ options: { days: { type: "string" } } }));
} catch (error) {
  // e.g. "--days -1", which reads as an unknown option
  console.error(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
const config = loadConfig(process.env, { forServer: false });
const days = Number(values.days ?? config.retentionDays);
if (!Number.isFinite(days) || days < 0) {
  console.error(USAGE);
  process.exit(2);
}

const log = createLogger(config.logLevel === "info" ? "warn" : config.logLevel);
const embeddedDir = `${config.dataDir}/postgres`;
const embedded =
  config.databaseUrl || runningEmbeddedUrl(embeddedDir) ? undefined : await startEmbeddedPostgres({ dataDir: embeddedDir, log });
const databaseUrl = config.databaseUrl ?? runningEmbeddedUrl(embeddedDir) ?? (embedded?.url as string);

const store = await openProcessStore(databaseUrl, config, log);
let total = 0;
try {
  for (
    let pruned = await store.processes.pruneCheckpoints(days);
    pruned > 0;
    pruned = await store.processes.pruneCheckpoints(days)
  ) {
    total += pruned;
  }
} finally {
  await store.pool.end();
  await embedded?.stop();
}
console.log(`removed the checkpoints of ${total} process(es) finished more than ${days} day(s) ago`);
