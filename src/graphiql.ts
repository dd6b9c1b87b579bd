import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { type GraphiQLOptions, renderGraphiQL } from "graphql-yoga";

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
      var pattern = name ? new RegExp("\\\\bsubscription\\\\s+" + name + "\\\\b") : /^\\s*subscription\\b/;
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

const RENDER_CALL = "<script>prepareWorkers()";

/** Yoga's GraphiQL page, with the graphql-ws client and the authenticating fetcher added. */
export function renderApprovalGraphiQL(options: GraphiQLOptions): string {
  const html = renderGraphiQL(options);
  if (!html.includes(RENDER_CALL)) return html;
  return html.replace(
    RENDER_CALL,
    `<script src="${GRAPHQL_WS_SCRIPT_PATH}"></script><script>${GRAPHIQL_FETCHER_SCRIPT}</script>${RENDER_CALL}`,
  );
}
