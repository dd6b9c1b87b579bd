import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export type ServerProcess = {
  child: ChildProcess;
  /** The GraphQL URL, once the server listens. */
  url: Promise<string>;
  exited: Promise<number | null>;
  /** Resolves with the first log line matching the pattern, once the server has written it. */
  logged(pattern: RegExp): Promise<string>;
};

/** `npm run build`: compiles src/ into dist/, what `npm start` runs. */
export function buildServer(): void {
  execFileSync(process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], {
    cwd: root,
    stdio: "inherit",
  });
}

/**
 * `npm start` as a user runs it (the compiled server; `buildServer` first): a real child process;
 * by default no DATABASE_URL and a free port.
 */
export function startServerProcess(env: Record<string, string>): ServerProcess {
  const child = spawn(process.execPath, ["--enable-source-maps", "dist/main.js"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: "", JWT_SECRET: "", PORT: "0", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const watchers: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  const findLine = (pattern: RegExp) => output.split("\n").find((line) => pattern.test(line));
  const url = new Promise<string>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"url":"([^"]+)","msg":"approval API listening"/.exec(output);
      if (match?.[1]) resolve(match[1]);
      for (const watcher of [...watchers]) {
        const line = findLine(watcher.pattern);
        if (line === undefined) continue;
        watchers.splice(watchers.indexOf(watcher), 1);
        watcher.resolve(line);
      }
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code} before listening:\n${output}`)));
  });
  url.catch(() => {});
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    url,
    exited,
    logged: (pattern) =>
      new Promise<string>((resolve) => {
        const line = findLine(pattern);
        if (line !== undefined) resolve(line);
        else watchers.push({ pattern, resolve });
      }),
  };
}
