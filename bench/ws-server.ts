/**
 * The baseline for the memory benchmark: a bare `ws` server (no GraphQL, no subscriptions), as its
 * own process. Prints {"port": N} once listening.
 */
import { WebSocketServer } from "ws";

const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
server.on("connection", (socket) => socket.on("message", (data) => socket.send(data)));
server.on("listening", () => {
  const address = server.address();
  console.log(JSON.stringify({ port: typeof address === "object" && address ? address.port : 0 }));
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
