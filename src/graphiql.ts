import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import type { GraphiQLOptions } from "graphql-yoga";

/** Where the page loads the graphql-ws browser client from (served by this server). */
export const GRAPHQL_WS_SCRIPT_PATH = "/graphiql/graphql-ws.min.js";

const require = createRequire(import.meta.url);

/** The graphql-ws browser build shipped in the graphql-ws package. */
export function graphqlWsBrowserScript(): string {
  const packageDir = path.dirname(require.resolve("graphql-ws/package.json"));
  return readFileSync(path.join(packageDir, "umd", "graphql-ws.min.js"), "utf8");
}

/**
 * GraphiQL's own WebSocket client cannot send the Headers tab, so a subscription from GraphiQL
 * would be refused (4403). This fetcher sends queries and mutations over HTTP with the headers,
 * and subscriptions over graphql-ws with the Authorization header as connection_init payload.
 * It runs in the browser; the test suite runs it in a VM against a real server.
 */
export const GRAPHIQL_FETCHER_SCRIPT = `(function () {
  function approvalFetcher(options) {
    var endpoint = new URL(options.endpoint || location.pathname, location.href).toString();
    var wsUrl = endpoint.replace(/^http/, "ws");
    var clients = {};
    function wsClientFor(authorization) {
      if (!clients[authorization]) {
        clients[authorization] = graphqlWs.createClient({
          url: wsUrl,
          lazy: true,
          retryAttempts: 0,
          connectionParams: authorization ? { authorization: authorization } : {},
        });
      }
      return clients[authorization];
    }
    function isSubscription(params) {
      var source = String(params.query || "").replace(/#[^\\n]*/g, "");
      var name = params.operationName;
      // Unnamed: the document's operation, after any fragments (each ends with "}").
      var pattern = name ? new RegExp("\\\\bsubscription\\\\s+" + name + "\\\\b") : /(?:^|\\})\\s*subscription\\b/;
      return pattern.test(source);
    }
    return function fetcher(params, fetcherOptions) {
      var headers = (fetcherOptions && fetcherOptions.headers) || {};
      var authorization = headers.Authorization || headers.authorization || "";
      if (isSubscription(params)) {
        return wsClientFor(authorization).iterate({
          query: params.query,
          variables: params.variables || undefined,
          operationName: params.operationName || undefined,
        });
      }
      return fetch(endpoint, {
        method: "POST",
        credentials: "same-origin",
        headers: Object.assign({ "content-type": "application/json", accept: "application/graphql-response+json, application/json" }, headers),
        body: JSON.stringify(params),
      }).then(function (response) { return response.json(); });
    };
  }
  try {
    var yoga = YogaGraphiQL;
    var render = yoga.renderYogaGraphiQL;
    YogaGraphiQL = Object.assign({}, yoga, {
      renderYogaGraphiQL: function (root, options) {
        return render(root, Object.assign({}, options, { fetcher: approvalFetcher(options) }));
      },
    });
  } catch (error) {
    console.warn("GraphiQL: WebSocket authentication unavailable", error);
  }
})();`;

/** The version of the bundled GraphiQL, in its assets' paths: a new version is a new URL. */
const GRAPHIQL_VERSION = (require("@graphql-yoga/render-graphiql/package.json") as { version: string }).version;
/** Where the page loads GraphiQL's own scripts, styles and editor workers from (this server). */
export const GRAPHIQL_ASSETS_PATH = `/graphiql/${GRAPHIQL_VERSION}/`;

export type GraphiqlAsset = { body: string | Buffer; contentType: string; gzipped(): Promise<Buffer> };

const gzipAsync = promisify(gzip);

function asset(body: string | Buffer, contentType: string): GraphiqlAsset {
  let gzipped: Promise<Buffer> | undefined;
  // Compressed once, off the event loop (the script is 5 MB, 1.3 MB gzipped).
  return {
    body,
    contentType,
    gzipped() {
      gzipped ??= gzipAsync(body);
      return gzipped;
    },
  };
}

let assets: Promise<Map<string, GraphiqlAsset>> | undefined;

/**
 * GraphiQL's scripts, styles, editor workers and icon, from the bundle in
 * `@graphql-yoga/render-graphiql`: the page loads nothing from a CDN, so it works on a network
 * that cannot reach one. Loaded on first use (about 9 MB), never by a server that serves no page.
 */
export async function graphiqlAsset(name: string): Promise<GraphiqlAsset | undefined> {
  assets ??= import("@graphql-yoga/render-graphiql/graphiql").then((bundle) => {
    const script = "text/javascript; charset=utf-8";
    const [, icon = ""] = /^data:[^,]*;base64,(.*)$/.exec(bundle.favicon) ?? [];
    return new Map<string, GraphiqlAsset>([
      ["graphiql.js", asset(bundle.js, script)],
      ["graphiql.css", asset(bundle.css, "text/css; charset=utf-8")],
      ["editor.worker.js", asset(bundle.editorWorkerService, script)],
      ["json.worker.js", asset(bundle.jsonWorker, script)],
      ["graphql.worker.js", asset(bundle.graphqlWorker, script)],
      ["favicon.ico", asset(Buffer.from(icon, "base64"), "image/x-icon")],
    ]);
  });
  return (await assets).get(name);
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] as string);

/**
 * The GraphiQL page: Yoga's GraphiQL with its assets served by this server, the graphql-ws
 * client, and the fetcher that authenticates subscriptions with the Headers tab.
 */
export function renderApprovalGraphiQL(options: GraphiQLOptions = {}): string {
  const base = GRAPHIQL_ASSETS_PATH;
  const workers = {
    editorWorkerService: `${base}editor.worker.js`,
    json: `${base}json.worker.js`,
    graphql: `${base}graphql.worker.js`,
  };
  // Options are the server's own; "</" is escaped so that no value can end the script early.
  const json = (value: unknown) => JSON.stringify(value).replace(/<\//g, "<\\/");
  const title = escapeHtml(options.title ?? "GraphiQL");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${title}</title>
<link rel="icon" href="${base}favicon.ico">
<link rel="stylesheet" href="${base}graphiql.css">
</head>
<body id="body" class="no-focus-outline">
<noscript>You need to enable JavaScript to run this app.</noscript>
<div id="root">Loading ${title}…</div>
<script>self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: function (_moduleId, label) { return ${json(workers)}[label]; } };</script>
<script src="${base}graphiql.js"></script>
<script src="${GRAPHQL_WS_SCRIPT_PATH}"></script>
<script>${GRAPHIQL_FETCHER_SCRIPT}</script>
<script>YogaGraphiQL.renderYogaGraphiQL(document.getElementById("root"), ${json(options)});</script>
</body>
</html>
`;
}
