/**
 * Browsers calling the API from another origin (an approval screen on its own host): CORS allows
 * the configured origins (any by default), never credentials (tokens travel in a header, not in
 * cookies), and lets the page read X-Request-Id.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tokenFor } from "./support/client.js";
import { startTestServer, type TestServer } from "./support/server.js";

let open: TestServer;
let listed: TestServer;

beforeAll(async () => {
  [open, listed] = await Promise.all([
    startTestServer(),
    startTestServer({ env: { CORS_ORIGINS: "https://app.example, https://admin.example" } }),
  ]);
});

afterAll(async () => {
  await Promise.all([open.close(), listed.close()]);
});

const preflight = (server: TestServer, origin: string) =>
  fetch(server.url, {
    method: "OPTIONS",
    headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization, content-type" },
  });

async function crossOriginQuery(server: TestServer, origin: string) {
  return fetch(server.url, {
    method: "POST",
    headers: { origin, authorization: `Bearer ${await tokenFor("alice")}`, "content-type": "application/json" },
    body: JSON.stringify({ query: "{ viewer { id } }" }),
  });
}

describe("CORS", () => {
  it("by default any origin may call, without credentials, and may read X-Request-Id", async () => {
    const answer = await preflight(open, "https://screens.example");
    expect(answer.status).toBeLessThan(300);
    expect(answer.headers.get("access-control-allow-origin")).toBe("https://screens.example");
    expect(answer.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("authorization");
    expect(answer.headers.get("access-control-allow-credentials")).not.toBe("true");

    const response = await crossOriginQuery(open, "https://screens.example");
    expect(await response.json()).toEqual({ data: { viewer: { id: "alice" } } });
    expect(response.headers.get("access-control-allow-origin")).toBe("https://screens.example");
    expect(response.headers.get("access-control-expose-headers")).toMatch(/x-request-id/i);
    expect(response.headers.get("access-control-allow-credentials")).not.toBe("true");
  });

  it("with CORS_ORIGINS, only the listed origins are allowed", async () => {
    for (const origin of ["https://app.example", "https://admin.example"]) {
      expect((await preflight(listed, origin)).headers.get("access-control-allow-origin")).toBe(origin);
      expect((await crossOriginQuery(listed, origin)).headers.get("access-control-allow-origin")).toBe(origin);
    }
    // Any other origin, an opaque one ("null") included, gets no CORS header at all.
    for (const origin of ["https://evil.example", "null"]) {
      expect((await preflight(listed, origin)).headers.get("access-control-allow-origin"), origin).toBeNull();
      expect((await crossOriginQuery(listed, origin)).headers.get("access-control-allow-origin"), origin).toBeNull();
    }
  });
});
