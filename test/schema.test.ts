import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generate } from "@graphql-codegen/cli";
import { isEnumType, isInputObjectType, isInterfaceType, isObjectType, printSchema } from "graphql";
import { describe, expect, it } from "vitest";
import { schema } from "../src/schema/index.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

describe("schema.graphql", () => {
  it("equals the printed Pothos schema (run npm run schema:print when this fails)", () => {
    expect(readFileSync(path.join(root, "schema.graphql"), "utf8")).toBe(`${printSchema(schema)}\n`);
  });

  it("describes every type, field, argument and enum value", () => {
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith("__")) continue;
      if (!type.description) missing.push(type.name);
      if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) missing.push(`${type.name}.${field.name}`);
          for (const arg of "args" in field ? field.args : []) {
            if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
          }
        }
      }
      if (isEnumType(type)) {
        for (const value of type.getValues()) if (!value.description) missing.push(`${type.name}.${value.name}`);
      }
    }
    // Built-in scalars come with graphql-js's own descriptions.
    expect(missing).toEqual([]);
  });
});

describe("generated client documents", () => {
  it("match what codegen.ts produces now (run npm run codegen when this fails)", async () => {
    const { default: config } = await import("../codegen.js");
    const previous = process.cwd();
    process.chdir(root);
    try {
      const files = (await generate({ ...config, silent: true }, false)) as Array<{ filename: string; content: string }>;
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) {
        expect(readFileSync(path.resolve(root, file.filename), "utf8"), file.filename).toBe(file.content);
      }
    } finally {
      process.chdir(previous);
    }
  });
});
