import { inject } from "vitest";
import { createDatabase } from "./fresh-database.js";

/** A database of its own for one test file, dropped when the file is done. */
export function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  return createDatabase(inject("adminDatabaseUrl"));
}
