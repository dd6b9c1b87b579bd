/**
 * The hot statements run as named prepared statements, and DB_PREPARED_STATEMENTS=false (for
 * PgBouncer in transaction mode before 1.21) runs every statement unnamed with the same results.
 */
import { expect, it } from "vitest";
import { DecideDocument, StartProcessDocument } from "./generated/graphql.js";
import { dataOf, gql, tokenFor } from "./support/client.js";
import { startTestServer } from "./support/server.js";
import { recordStatements } from "./support/statements.js";

async function startAndDecide(env: Record<string, string>) {
  const server = await startTestServer({ env });
  const [alice, bob] = await Promise.all([tokenFor("alice"), tokenFor("bob")]);
  const recording = recordStatements();
  try {
    const started = dataOf(
      await gql(
        server.url,
        StartProcessDocument,
        { input: { approver: "bob", amount: "10.00", description: "x" } },
        { token: alice },
      ),
    ).startProcess.process;
    const decided = dataOf(
      await gql(server.url, DecideDocument, { input: { processId: started.id, decision: "APPROVE" } }, { token: bob }),
    ).decide.process;
    const statements = recording.sent;
    const unnamed = statements.filter((s) => !s.name).map((s) => s.text.replace(/\s+/g, " ").trim());
    return { started, decided, named: statements.filter((s) => s.name).length, all: statements.length, unnamed };
  } finally {
    recording.stop();
    await server.close();
  }
}

it("start and decide run their statements prepared by default", async () => {
  const { started, decided, named, unnamed } = await startAndDecide({});
  expect(started.status).toBe("PENDING_REVIEW");
  expect(decided.status).toBe("APPROVED");
  expect(named).toBeGreaterThanOrEqual(10);
  // Unnamed: LangGraph's own checkpoint read (once, in decide) and the start-up maintenance pass.
  const maintenance = /^(delete from "idempotency_keys"|update "processes" set run_lease_until)/;
  expect(unnamed.filter((text) => !maintenance.test(text))).toEqual([expect.stringMatching(/^select thread_id, checkpoint,/)]);
});

it("DB_PREPARED_STATEMENTS=false names no statement and gives the same results", async () => {
  const { started, decided, named, all } = await startAndDecide({ DB_PREPARED_STATEMENTS: "false" });
  expect(started.status).toBe("PENDING_REVIEW");
  expect(decided.status).toBe("APPROVED");
  expect(all).toBeGreaterThan(0);
  expect(named).toBe(0);
});
