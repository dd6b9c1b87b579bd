import { AsyncLocalStorage } from "node:async_hooks";
import pino, { type DestinationStream, type Logger } from "pino";

/** The request a piece of work belongs to, for every log line written while doing it. */
export const requestScope = new AsyncLocalStorage<{ requestId: string }>();

/** Values that must never reach a log line, wherever they appear. */
const REDACTED_PATHS = [
  "authorization",
  "*.authorization",
  "*.headers.authorization",
  "*.*.headers.authorization",
  "connectionParams",
  "*.connectionParams",
  "password",
  "*.password",
  "secret",
  "*.secret",
  "token",
  "*.token",
  "databaseUrl",
  "*.databaseUrl",
  "connectionString",
  "*.connectionString",
];

/** The app's structured logger: JSON lines (pino), each with the current request's id. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
      mixin: () => {
        const scope = requestScope.getStore();
        return scope ? { requestId: scope.requestId } : {};
      },
    },
    destination,
  );
}
