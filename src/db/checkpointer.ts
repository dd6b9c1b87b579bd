import type { RunnableConfig } from "@langchain/core/runnables";
import {
  type ChannelVersions,
  type Checkpoint,
  type CheckpointMetadata,
  type CheckpointTuple,
  type PendingWrite,
  WRITES_IDX_MAP,
} from "@langchain/langgraph-checkpoint";
import { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";
import type pg from "pg";
import { statementName } from "./database.js";

const bytes = (value: Uint8Array | undefined) =>
  value === undefined ? null : Buffer.from(value.buffer, value.byteOffset, value.byteLength);

/**
 * PostgresSaver that writes a checkpoint (its channel blobs and the checkpoint row) in one
 * statement, and a task's writes in one statement, instead of a transaction with a round trip per
 * row. The rows written are exactly those of PostgresSaver (same tables, keys and conflict
 * handling), and one statement is as atomic as its BEGIN/COMMIT. Reading is PostgresSaver's own.
 */
export class BatchedPostgresSaver extends PostgresSaver {
  readonly #pool: pg.Pool;
  readonly #blobs: string;
  readonly #checkpoints: string;
  readonly #writes: string;
  /** Threads being run for the first time: nothing to read for them yet. */
  readonly #newThreads = new Set<string>();

  readonly #prepared: boolean;

  constructor(pool: pg.Pool, schema: string, options: { preparedStatements?: boolean } = {}) {
    super(pool, undefined, { schema });
    this.#pool = pool;
    this.#prepared = options.preparedStatements ?? true;
    this.#blobs = `"${schema}".checkpoint_blobs`;
    this.#checkpoints = `"${schema}".checkpoints`;
    this.#writes = `"${schema}".checkpoint_writes`;
  }

  /**
   * Runs `work` (a graph's first run on a thread made for it) knowing the thread has no
   * checkpoint: the run's initial read answers "none" without a query.
   */
  async onNewThread<T>(threadId: string, work: () => Promise<T>): Promise<T> {
    this.#newThreads.add(threadId);
    try {
      return await work();
    } finally {
      this.#newThreads.delete(threadId);
    }
  }

  /** A statement of this saver, named (prepared once per connection) unless that is turned off. */
  #query(text: string, values: unknown[]): Promise<pg.QueryResult> {
    return this.#pool.query({ name: this.#prepared ? statementName(text) : undefined, text, values });
  }

  override async getTuple(config: RunnableConfig): Promise<CheckpointTuple | undefined> {
    const { thread_id, checkpoint_ns = "", checkpoint_id } = config.configurable ?? {};
    // Once: the run's own first read. Any later read (this run's, or another instance's after a
    // takeover) goes to the database.
    if (checkpoint_ns === "" && checkpoint_id === undefined && this.#newThreads.delete(thread_id)) return undefined;
    return super.getTuple(config);
  }

  override async put(
    config: RunnableConfig,
    checkpoint: Checkpoint,
    metadata: CheckpointMetadata,
    newVersions: ChannelVersions,
  ): Promise<RunnableConfig> {
    if (config.configurable === undefined) throw new Error(`Missing "configurable" field in "config" param`);
    const { thread_id, checkpoint_ns = "", checkpoint_id } = config.configurable;
    this.#newThreads.delete(thread_id);
    const serializedCheckpoint = this._dumpCheckpoint(checkpoint);
    const [blobs, serializedMetadata] = await Promise.all([
      this._dumpBlobs(thread_id, checkpoint_ns, checkpoint.channel_values, newVersions),
      this._dumpMetadata(metadata),
    ]);
    await this.#query(
      `with blobs as (
         insert into ${this.#blobs} (thread_id, checkpoint_ns, channel, version, type, blob)
         select $1, $2, channel, version, type, blob
         from unnest($3::text[], $4::text[], $5::text[], $6::bytea[]) as b(channel, version, type, blob)
         on conflict (thread_id, checkpoint_ns, channel, version) do nothing
       )
       insert into ${this.#checkpoints} (thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, checkpoint, metadata)
       values ($1, $2, $7, $8, $9, $10)
       on conflict (thread_id, checkpoint_ns, checkpoint_id)
       do update set checkpoint = excluded.checkpoint, metadata = excluded.metadata`,
      [
        thread_id,
        checkpoint_ns,
        blobs.map((b) => b[2]),
        blobs.map((b) => b[3]),
        blobs.map((b) => b[4]),
        blobs.map((b) => bytes(b[5])),
        checkpoint.id,
        checkpoint_id,
        serializedCheckpoint,
        serializedMetadata,
      ],
    );
    return { configurable: { thread_id, checkpoint_ns, checkpoint_id: checkpoint.id } };
  }

  override async putWrites(config: RunnableConfig, writes: PendingWrite[], taskId: string): Promise<void> {
    const upsert = writes.every((w) => w[0] in WRITES_IDX_MAP);
    const all = await this._dumpWrites(
      config.configurable?.thread_id,
      config.configurable?.checkpoint_ns,
      config.configurable?.checkpoint_id,
      taskId,
      writes,
    );
    // Stock PostgresSaver upserts row by row, so a later write to the same slot wins; one
    // statement may not touch a row twice, so keep only the last write per slot.
    const dumped = upsert ? [...new Map(all.map((row) => [row[4], row])).values()] : all;
    if (!dumped.length) return;
    const onConflict = upsert
      ? "do update set channel = excluded.channel, type = excluded.type, blob = excluded.blob"
      : "do nothing";
    await this.#query(
      `insert into ${this.#writes} (thread_id, checkpoint_ns, checkpoint_id, task_id, idx, channel, type, blob)
       select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::text[], $7::text[], $8::bytea[])
       on conflict (thread_id, checkpoint_ns, checkpoint_id, task_id, idx) ${onConflict}`,
      [...[0, 1, 2, 3, 4, 5, 6].map((column): unknown[] => dumped.map((row) => row[column])), dumped.map((row) => bytes(row[7]))],
    );
  }
}
