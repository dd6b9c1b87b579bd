/**
 * Follows a process's events over WebSocket and prints each as a line of JSON.
 *
 *   npm run watch -- <processId> [--after 0] [--url ws://127.0.0.1:4000/graphql]   (token in $TOKEN)
 */
import { parseArgs } from "node:util";
import { createClient } from "graphql-ws";
import WebSocket from "ws";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    after: { type: "string" },
    url: { type: "string", default: process.env.WS_URL ?? "ws://127.0.0.1:4000/graphql" },
    token: { type: "string", default: process.env.TOKEN },
  },
});
const id = positionals[0];
if (!id || !values.token) {
  console.error("usage: TOKEN=<jwt> npm run watch -- <processId> [--after <sequence>] [--url ws://…/graphql]");
  process.exit(2);
}

const client = createClient({
  url: values.url,
  webSocketImpl: WebSocket,
  connectionParams: { authorization: `Bearer ${values.token}` },
  retryAttempts: 0,
});
client.subscribe(
  {
    query: `subscription Watch($id: ID!, $after: Int) {
      processUpdated(id: $id, after: $after) { sequence type at actor processStatus task { id status assignee } }
    }`,
    variables: { id, after: values.after === undefined ? null : Number(values.after) },
  },
  {
    next: (result) => console.log(JSON.stringify(result.errors ? { errors: result.errors } : result.data?.processUpdated)),
    error: (error) => {
      console.error(error instanceof Error ? error.message : JSON.stringify(error));
      process.exit(1);
    },
    complete: () => process.exit(0),
  },
);
