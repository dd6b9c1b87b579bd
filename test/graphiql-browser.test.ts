/**
 * GraphiQL in a real browser (headless Chromium), on a machine that cannot reach a CDN: the page
 * renders from what this server serves, and a subscription run from its editor, authenticated by
 * its Headers tab, streams a process's events over the WebSocket as they happen.
 *
 * Needs Chromium (Debian: apt-get install chromium; or CHROMIUM_PATH). Without one the test is
 * skipped and says so; `.ci/run` installs it when it can.
 */
import { existsSync } from "node:fs";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DecideMinimalDocument } from "./generated/graphql.js";
import { dataOf, gql, startProcessAs, tokenFor } from "./support/client.js";
import { startTestServer, type TestServer } from "./support/server.js";

const executablePath = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find(
  (candidate): candidate is string => Boolean(candidate && existsSync(candidate)),
);
if (!executablePath)
  console.warn("GraphiQL browser test skipped: no Chromium found (apt-get install chromium, or set CHROMIUM_PATH)");

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  if (!executablePath) return;
  server = await startTestServer();
  browser = await chromium.launch({
    executablePath,
    // As root, in a sandbox without network: no Chromium sandbox, no background connections.
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Text of GraphiQL's result pane (Monaco renders it as lines of text). */
const resultText = (page: Page) => page.locator(".graphiql-response").innerText();

it.skipIf(!executablePath)(
  "renders from this server alone and streams a subscription run from its editor",
  { timeout: 60_000 },
  async () => {
    const [alice, bob] = await Promise.all([tokenFor("alice"), tokenFor("bob")]);
    const started = await startProcessAs(server.url, alice, {
      approver: "bob",
      amount: "12.50",
      description: "GraphiQL in a browser",
    });
    const origin = new URL(server.url).origin;

    const context = await browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] });
    const page = await context.newPage();
    const elsewhere: string[] = [];
    const failed: string[] = [];
    const pageErrors: string[] = [];
    page.on("request", (request) => {
      if (!/^(blob|data):/.test(request.url()) && new URL(request.url()).origin !== origin) elsewhere.push(request.url());
    });
    page.on("requestfailed", (request) => failed.push(`${request.url()}: ${request.failure()?.errorText}`));
    page.on("pageerror", (error) => pageErrors.push(error.message));

    await page.goto(server.url);
    await page.locator(".graphiql-query-editor").getByText("query Inbox").waitFor({ timeout: 20_000 });
    /** Replaces an editor's text as a user pasting it would (typing would trigger auto-closing brackets). */
    const paste = async (editor: string, text: string) => {
      await page.locator(editor).click();
      await page.keyboard.press("Control+A");
      await page.keyboard.press("Delete");
      await page.evaluate((value) => navigator.clipboard.writeText(value), text);
      await page.keyboard.press("Control+V");
    };
    const query = "subscription Watch($id: ID!) {\n  processUpdated(id: $id, after: 0) { sequence type processStatus }\n}\n";
    await paste(".graphiql-query-editor .monaco-editor", query);
    await page.getByText("Headers", { exact: true }).first().click();
    await paste('.monaco-editor[data-uri$="headers.json"]', JSON.stringify({ Authorization: `Bearer ${alice}` }));
    await page.getByText("Variables", { exact: true }).first().click();
    await paste('.monaco-editor[data-uri$="variables.json"]', JSON.stringify({ id: started.id }));
    await page.locator(".graphiql-execute-button").click();
    await expect.poll(() => resultText(page), { timeout: 20_000 }).toContain("TASK_CREATED");

    // A decision taken elsewhere reaches the open GraphiQL tab.
    dataOf(
      await gql(server.url, DecideMinimalDocument, { input: { processId: started.id, decision: "APPROVE" } }, { token: bob }),
    );
    await expect.poll(() => resultText(page), { timeout: 20_000 }).toContain("COMPLETED");
    expect(await resultText(page)).toContain("APPROVED");

    expect(elsewhere, "requests that left this server").toEqual([]);
    expect(failed, "failed requests").toEqual([]);
    expect(pageErrors, "errors in the page").toEqual([]);
    await page.close();
  },
);
