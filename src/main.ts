import { buildApp } from "./app.js";
import { loadConfig } from "./config.js";

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

const app = buildApp(config);
let exiting = false;
const exit = (signal: string) => {
  if (exiting) return;
  exiting = true;
  app.log.info({ signal }, "shutting down");
  app.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      app.log.error({ err: error }, "shutdown failed");
      process.exit(1);
    },
  );
};
process.on("SIGTERM", () => exit("SIGTERM"));
process.on("SIGINT", () => exit("SIGINT"));

app.start().catch(async (error: unknown) => {
  app.log.fatal({ err: error }, "failed to start");
  await app.stop().catch(() => {});
  process.exit(1);
});
