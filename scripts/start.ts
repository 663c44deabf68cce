// `npm start`: validate the environment, wait for the database and migrate it (and, outside production, seed an empty
// embedded database with the 7pay replay and the demo staff; production refuses an empty embedded database unless
// FIREBREAK_EMPTY_START=1), then run this process's role (docs/decisions/030-process-roles.md):
//   --role all (default)  the console and every background worker in one process — the only choice for the embedded
//                         database, which is a single connection that only one process may open;
//   --role web            the console only (run several behind a proxy);
//   --role worker         the background workers only, with /healthz, /readyz and /metrics on --port.
// `npm run worker` is `--role worker`. FIREBREAK_ROLE sets the default role.
import type { Server } from "node:http";
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { EnvironmentError, parseEnv } from "~/env.server";
import { parseProcessRole, runsWorkers, servesConsole } from "~/ops/process-role";
import { createHttpApp } from "./lib/http-server";
import { installGracefulShutdown, startWorkerSide } from "./lib/process-lifecycle";

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

async function main() {
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

  const mode = env.NODE_ENV === "production" ? "production" : "development";
  const app = createHttpApp({
    build: servesConsole(role) ? await import(pathToFileURL(buildPath).href) : undefined,
    serveConsole: servesConsole(role),
    mode,
    trustProxyHops: env.FIREBREAK_TRUST_PROXY,
    publicOrigin: env.PUBLIC_BASE_URL,
    metricsToken: env.FIREBREAK_METRICS_TOKEN,
  });
  const port = Number(args.port ?? (role === "worker" ? WORKER_DEFAULT_PORT : env.PORT));
  const host = args.host ?? env.HOST;
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

  const stops = runsWorkers(role) && !args["no-workers"] ? [await startWorkerSide()] : [];
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
