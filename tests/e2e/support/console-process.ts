// Starting and stopping the production console as a child process: the Playwright fixture (console.ts) and the
// boot benchmark (scripts/bench/e2e-console.ts) share it.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { consoleListening } from "../../support/console-listening";

export { freePort } from "../../support/free-port";

// A console starts in seconds alone; the test stages run side by side (ADR 050), and on a machine busy with other work
// besides, a start took longer than 90 s.
const CONSOLE_START_TIMEOUT_MS = 150_000;

/** Starts `scripts/start.ts` (production build, no seed, no workers) and resolves once it listens. */
export async function startConsole(port: number, env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn(
    path.resolve("node_modules/.bin/tsx"),
    ["scripts/start.ts", "--port", String(port), "--no-seed", "--no-workers"],
    { env, stdio: ["ignore", "pipe", "pipe"] },
  );
  await consoleListening(child, CONSOLE_START_TIMEOUT_MS);
  return child;
}

export async function stopConsole(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}
