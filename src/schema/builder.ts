import SchemaBuilder from "@pothos/core";
import type { Context } from "../context.js";

type UserTypes = {
  Context: Context;
  DefaultFieldNullability: false;
  Scalars: {
    ID: { Input: string; Output: string };
    DateTime: { Input: Date; Output: Date };
    Decimal: { Input: string; Output: string };
    JSON: { Input: unknown; Output: unknown };
  };
};

export type BuilderTypes = PothosSchemaTypes.ExtendDefaultTypes<UserTypes>;

export const builder = new SchemaBuilder<UserTypes>({
  defaultFieldNullability: false,
});

builder.queryType({ description: "Reading processes, tasks and the caller." });
builder.mutationType({ description: "Starting processes and deciding their tasks." });
builder.subscriptionType({
  description: "Live updates over WebSocket (graphql-ws protocol), or over HTTP as server-sent events.",
});
