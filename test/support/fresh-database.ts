import { randomBytes } from "node:crypto";
import pg from "pg";

/** Creates an empty database on the server at `adminUrl`; the returned `drop` removes it. */
export async function createDatabase(adminUrl: string, prefix = "test"): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      // Connections a pool has let go of may still be closing when the database is dropped.
      client.on("error", () => {});
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}
