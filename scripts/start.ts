// `npm start`: validate the environment, wait for the database and migrate it (and, outside production, seed an empty
// embedded database with the 7pay replay and the demo staff; production refuses an empty embedded database unless
// FIREBREAK_EMPTY_START=1), then run this process's role (docs/decisions/030-process-roles.md):
//   --role all (default)  the console and every background worker in one process — the only choice for the embedded
//                         database, which is a single connection that only one process may open;
//   --role web            the console only (run several behind a proxy);
//   --role worker         the background workers only, with /healthz, /readyz and /metrics on --port.
// `npm run worker` is `--role worker`. FIREBREAK_ROLE sets the default role.
// With PostgreSQL, the console runs in FIREBREAK_WEB_PROCESSES processes sharing the port (one per CPU in production;
// docs/decisions/042-several-web-processes.md): this process prepares the database, runs the workers its role asks
// for, and forks the web processes (scripts/lib/web-cluster.ts).
import cluster from "node:cluster";
import type { Server } from "node:http";
import { availableParallelism } from "node:os";
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { EnvironmentError, parseEnv, webProcessCount } from "~/env.server";
import { parseProcessRole, runsWorkers, servesConsole } from "~/ops/process-role";
import { createHttpApp } from "./lib/http-server";
import { installGracefulShutdown, startWorkerSide } from "./lib/process-lifecycle";
import { onPrimaryShutdown, runWebCluster } from "./lib/web-cluster";

/** The conventional port of a Prometheus exporter: where a worker process answers its probes and metrics. */
const WORKER_DEFAULT_PORT = "9464";

const { values: args } = parseArgs({
  options: {
    role: { type: "string" },
    port: { type: "string" },
    host: { type: "string" },
    "no-seed": { type: "boolean", default: false },
    "no-workers": { type: "boolean", default: false },
    "no-http": { type: "boolean", default: false },
  },
});

function fail(message: string): never {
  console.error(`firebreak: ${message}`);
  process.exit(1);
}

/** A web process forked by the primary: the database is prepared and the workers run elsewhere; serve the console. */
async function runForkedWebProcess() {
  const env = parseEnv();
  const { joinClusterMetrics } = await import("~/ops/cluster-metrics.server");
  joinClusterMetrics();
  const app = createHttpApp({
    build: await import(pathToFileURL(path.resolve("build/index.js")).href),
    serveConsole: true,
    mode: env.NODE_ENV === "production" ? "production" : "development",
    trustProxyHops: env.FIREBREAK_TRUST_PROXY,
    publicOrigin: env.PUBLIC_BASE_URL,
    metricsToken: env.FIREBREAK_METRICS_TOKEN,
  });
  const server = app.listen(Number(args.port ?? env.PORT), args.host ?? env.HOST);
  const { drain } = installGracefulShutdown({
    name: `firebreak web ${process.pid}`,
    server,
    stops: [],
    deadlineMs: env.FIREBREAK_SHUTDOWN_TIMEOUT_MS,
    log: (message) => console.log(message),
  });
  onPrimaryShutdown(() => drain("drain requested by the primary"));
}

async function main() {
  if (cluster.isWorker) return runForkedWebProcess();
  let env;
  let role;
  try {
    env = parseEnv();
    role = parseProcessRole(args.role, env.FIREBREAK_ROLE);
  } catch (error) {
    if (error instanceof EnvironmentError) fail(error.message);
    if (error instanceof Error) fail(error.message);
    throw error;
  }
  if (role !== "all" && !env.DATABASE_URL) {
    fail(`--role ${role} needs PostgreSQL (DATABASE_URL): the embedded database can be opened by one process only.`);
  }
  if ((env.FIREBREAK_WEB_PROCESSES ?? 1) > 1 && !env.DATABASE_URL) {
    fail("FIREBREAK_WEB_PROCESSES above 1 needs PostgreSQL (DATABASE_URL): the embedded database is one process.");
  }
  const webProcesses = servesConsole(role) && !args["no-http"] ? webProcessCount(env, availableParallelism()) : 1;
  const buildPath = path.resolve("build/index.js");
  if (servesConsole(role) && !existsSync(buildPath)) {
    fail("no build found: run `npm run build` first (npm start does this for you).");
  }

  // Imported only now: opening the database (waiting for it if need be) is a side effect of importing it, and must
  // follow the checks above.
  const { StartRefusedError, prepareDatabase } = await import("./lib/prepare-database");
  try {
    await prepareDatabase({ seedIfEmpty: !args["no-seed"] && servesConsole(role), env });
  } catch (error) {
    if (error instanceof StartRefusedError) fail(error.message);
    throw error;
  }
  // Warns, without refusing to start, when the configured processes could open more connections than the server allows.
  const { database } = await import("~/db.server");
  const { warnIfOverConnectionBudget } = await import("~/db/connection-budget.server");
  await warnIfOverConnectionBudget({ database });

  const mode = env.NODE_ENV === "production" ? "production" : "development";
  const port = Number(args.port ?? (role === "worker" ? WORKER_DEFAULT_PORT : env.PORT));
  const host = args.host ?? env.HOST;
  const startWorkers = async () => (runsWorkers(role) && !args["no-workers"] ? [await startWorkerSide()] : []);
  if (webProcesses > 1) {
    await runWebCluster({
      processes: webProcesses,
      stops: await startWorkers(),
      deadlineMs: env.FIREBREAK_SHUTDOWN_TIMEOUT_MS,
      onListening: (actual) => {
        const shown = host === "0.0.0.0" ? "localhost" : host;
        console.log(`Firebreak console on http://${shown}:${actual} (role: ${role}, ${webProcesses} web processes)`);
      },
      log: (message) => console.log(`firebreak ${role}: ${message}`),
    });
    return;
  }
  const app = createHttpApp({
    build: servesConsole(role) ? await import(pathToFileURL(buildPath).href) : undefined,
    serveConsole: servesConsole(role),
    mode,
    trustProxyHops: env.FIREBREAK_TRUST_PROXY,
    publicOrigin: env.PUBLIC_BASE_URL,
    metricsToken: env.FIREBREAK_METRICS_TOKEN,
  });
  let server: Server | undefined;
  if (!args["no-http"]) {
    server = app.listen(port, host, () => {
      const shown = host === "0.0.0.0" ? "localhost" : host;
      const address = server!.address();
      const actual = typeof address === "object" && address ? address.port : port;
      console.log(
        role === "worker"
          ? `Firebreak workers running; probes and metrics on http://${shown}:${actual}`
          : `Firebreak console on http://${shown}:${actual} (role: ${role})`,
      );
    });
  }

  const stops = await startWorkers();
  installGracefulShutdown({
    name: `firebreak ${role}`,
    server,
    stops,
    deadlineMs: env.FIREBREAK_SHUTDOWN_TIMEOUT_MS,
    log: (message) => console.log(message),
  });
}

main().catch((error) => {
  const message = error instanceof Error ? error.message : String(error);
  fail(message.split("\n")[0] ?? "start-up failed");
});
