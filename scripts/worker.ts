// `npm run worker`: every background worker (audit checkpoints, bulk jobs, kill-switch auto-release, the mail
// outbox, auth housekeeping — the list in app/jobs/workers.server.ts), without the console. Run as many as you like
// against one PostgreSQL: each job, message and checkpoint is claimed by one of them (docs/decisions/030-process-roles.md).
// SMTP settings, send rate and pool size come from the environment (SMTP_*, MAIL_FROM, NOTIFY_SEND_RATE,
// NOTIFY_SMTP_CONNECTIONS). Probes and metrics are served on --port / FIREBREAK_WORKER_PORT (and --host / HOST) when a
// port is given.
// SIGTERM / SIGINT stop it gracefully: no new claims, in-flight work finishes and is recorded; a second signal exits
// at once (mail still in flight is then flagged for review by the next worker, never resent blindly).
//   exit 0: stopped · exit 1: shutdown deadline passed · exit 2: could not start
import { parseArgs } from "node:util";
import { parseEnvOrFail } from "./lib/script-env";
import { createHttpApp } from "./lib/http-server";
import { installGracefulShutdown, startWorkerSide } from "./lib/process-lifecycle";

const { values: args } = parseArgs({
  options: {
    port: { type: "string" },
    host: { type: "string" },
  },
});

function fail(message: string): never {
  console.error(`worker: ${message}`);
  process.exit(2);
}

async function main() {
  const env = parseEnvOrFail(fail);
  const port = args.port === undefined ? env.FIREBREAK_WORKER_PORT : Number(args.port);
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65_535)) {
    fail(`--port ${args.port}: a port number from 0 to 65535`);
  }
  const stop = await startWorkerSide();
  // Warns, without refusing to start, when the configured processes could open more connections than the server allows.
  const { database } = await import("~/db.server");
  const { warnIfOverConnectionBudget } = await import("~/db/connection-budget.server");
  await warnIfOverConnectionBudget({ database });
  const server =
    port === undefined
      ? undefined
      : createHttpApp({
          serveConsole: false,
          mode: env.NODE_ENV === "production" ? "production" : "development",
          trustProxyHops: env.FIREBREAK_TRUST_PROXY,
          metricsToken: env.FIREBREAK_METRICS_TOKEN,
        }).listen(port, args.host ?? env.HOST);
  const announce = () => {
    const address = server?.address();
    const port = typeof address === "object" && address ? address.port : undefined;
    console.info(`[worker] background workers running${port ? `; probes and metrics on port ${port}` : ""}`);
  };
  // The shutdown handlers first: a supervisor that reads "running" and at once sends SIGTERM must get a graceful stop,
  // not the default signal's hard kill.
  installGracefulShutdown({
    name: "worker",
    server,
    stops: [stop],
    deadlineMs: env.FIREBREAK_SHUTDOWN_TIMEOUT_MS,
    log: (message) => console.info(`[worker] ${message}`),
  });
  if (server) server.once("listening", announce);
  else announce();
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  fail(message.split("\n")[0] ?? "start-up failed");
});
