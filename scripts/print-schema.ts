/** Writes schema.graphql from the Pothos schema (sorted). `--check` fails instead when it differs. */
import { readFileSync, writeFileSync } from "node:fs";
import { printSchema } from "graphql";
import { schema } from "../src/schema/index.js";

const file = new URL("../schema.graphql", import.meta.url);
const printed = `${printSchema(schema)}\n`;
if (process.argv.includes("--check")) {
  if (readFileSync(file, "utf8") !== printed) {
    console.error("schema.graphql is stale: run npm run schema:print");
    process.exit(1);
  }
} else {
  writeFileSync(file, printed);
}
