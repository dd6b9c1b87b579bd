/**
 * Structured logs carry the request id that the response reports, and no secret (tokens, the JWT
 * secret, database passwords) appears in any log line or error.
 */
import { Writable } from "node:stream";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type App, buildApp } from "../src/app.js";
import { loadConfig } from "../src/config.js";
import { createLogger } from "../src/logging.js";
import { ProcessDetailsDocument } from "./generated/graphql.js";
import { startProcessAs, subscribe, tokenFor, wsClient } from "./support/client.js";
import { createTestDatabase } from "./support/database.js";
import { TEST_SECRET } from "./support/server.js";

const lines: string[] = [];
const sink = new Writable({
  write(chunk, _encoding, done) {
    lines.push(...String(chunk).split("\n").filter(Boolean));
    done();
  },
});
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: App;
let url: string;

beforeAll(async () => {
  database = await createTestDatabase();
  app = buildApp(loadConfig({ NODE_ENV: "test", DATABASE_URL: database.url, JWT_SECRET: TEST_SECRET, LOG_LEVEL: "debug" }), {
    log: createLogger("debug", sink),
  });
  ({ url } = await app.start(0));
});

afterAll(async () => {
  await app.stop();
  await database.drop();
});

it("every line written for a request carries its id; no token, secret or password is ever logged", async () => {
  const alice = await tokenFor("alice");
  const started = await startProcessAs(url, alice, { approver: "bob", amount: "2.00", description: "Logged" });

  // An unexpected failure is logged with its details, under the request's id.
  const admin = new (await import("pg")).default.Client({ connectionString: database.url });
  await admin.connect();
  await admin.query("alter table decisions rename to decisions_elsewhere");
  const before = lines.length;
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${alice}`, "x-request-id": "req-under-test" },
    body: JSON.stringify({ query: ProcessDetailsDocumentText, variables: { id: started.id } }),
  });
  await admin.query("alter table decisions_elsewhere rename to decisions");
  await admin.end();
  expect(response.headers.get("x-request-id")).toBe("req-under-test");
  const body = (await response.json()) as { errors: Array<{ message: string }> };
  expect(body.errors[0]?.message).toBe("Unexpected error.");
  const written = lines
    .slice(before)
    .map((line) => JSON.parse(line) as { requestId?: string; msg: string; err?: { message: string } });
  const failure = written.find((line) => line.msg === "unexpected error");
  expect(failure?.requestId).toBe("req-under-test");
  expect(failure?.err?.message).toMatch(/decisions/);

  // A request id the client does not send is made up and reported back.
  const anonymous = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: '{"query":"{ viewer { id } }"}',
  });
  expect(anonymous.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);

  // WebSocket traffic with a token in connection_init.
  const client = wsClient(url.replace(/^http/, "ws"), alice);
  await subscribe(client, "{ viewer { id } }", {}).waitFor(1);
  await client.dispose();

  const everything = lines.join("\n");
  const password = decodeURIComponent(new URL(database.url).password);
  expect(everything).not.toContain(alice);
  expect(everything).not.toContain(alice.split(".")[2]);
  expect(everything).not.toContain(TEST_SECRET);
  if (password) expect(everything).not.toContain(`:${password}@`);
});

const ProcessDetailsDocumentText = (await import("graphql")).print(ProcessDetailsDocument);
