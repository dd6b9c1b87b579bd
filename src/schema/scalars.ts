import { Kind, type ValueNode } from "graphql";
import { builder } from "./builder.js";

// Plain errors, not GraphQLErrors: graphql-js then says which value failed and where, which is
// how the error masking names the offending input (extensions.field).
const invalid = (message: string) => new TypeError(message);

const DECIMAL = /^[-+]?\d{1,40}(?:\.\d{1,40})?$/;

function parseDecimal(value: unknown): string {
  if (typeof value === "string" && DECIMAL.test(value.trim())) return value.trim();
  if (typeof value === "number" && Number.isSafeInteger(value)) return String(value);
  if (typeof value === "number") throw invalid('Decimal values with a fraction must be sent as strings, e.g. "12.50".');
  throw invalid(`Decimal must be a string of decimal digits such as "1250.00"; got ${JSON.stringify(value)}.`);
}

builder.scalarType("Decimal", {
  description: 'An exact decimal number as a string of digits, e.g. "1250.00". Never a float.',
  serialize: (value) => String(value),
  parseValue: parseDecimal,
  parseLiteral: (ast) => {
    if (ast.kind === Kind.STRING || ast.kind === Kind.INT) return parseDecimal(ast.kind === Kind.INT ? ast.value : ast.value);
    if (ast.kind === Kind.FLOAT) throw invalid('Decimal values with a fraction must be sent as strings, e.g. "12.50".');
    throw invalid("Decimal must be a string of decimal digits.");
  },
});

function parseDateTime(value: unknown): Date {
  const date = typeof value === "string" ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) throw invalid(`DateTime must be an ISO 8601 string; got ${JSON.stringify(value)}.`);
  return date;
}

builder.scalarType("DateTime", {
  description: 'A point in time as an ISO 8601 string in UTC with milliseconds, e.g. "2026-01-31T09:30:00.000Z".',
  serialize: (value) => (value instanceof Date ? value : new Date(String(value))).toISOString(),
  parseValue: parseDateTime,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw invalid("DateTime must be an ISO 8601 string.");
    return parseDateTime(ast.value);
  },
});

function literalValue(ast: ValueNode): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return ast.values.map(literalValue);
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((field) => [field.name.value, literalValue(field.value)]));
    default:
      throw invalid("JSON literals cannot contain variables or enums.");
  }
}

builder.scalarType("JSON", {
  description: "Any JSON value.",
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: literalValue,
});
