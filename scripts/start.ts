// `npm start`: validate the environment, migrate (and, outside production, seed an empty embedded database with the
// 7pay replay and the demo staff; production refuses an empty embedded database unless FIREBREAK_EMPTY_START=1), then
// serve the Remix build and run the background workers in this same process. One process matters for
// the embedded database: PGlite is a single connection that only one process may open.
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { EnvironmentError, parseEnv } from "~/env.server";
import { createHttpApp } from "./lib/http-server";

const { values: args } = parseArgs({
  options: {
    port: { type: "string" },
    host: { type: "string" },
    "no-seed": { type: "boolean", default: false },
    "no-workers": { type: "boolean", default: false },
  },
});

function fail(message: string): never {
  console.error(`firebreak: ${message}`);
  process.exit(1);
}

async function main() {
  let env;
  try {
    env = parseEnv();
  } catch (error) {
    if (error instanceof EnvironmentError) fail(error.message);
    throw error;
  }
  const buildPath = path.resolve("build/index.js");
  if (!existsSync(buildPath)) fail("no build found: run `npm run build` first (npm start does this for you).");

  // Imported only now: opening the database is a side effect of importing it, and must follow the checks above.
  const { StartRefusedError, prepareDatabase } = await import("./lib/prepare-database");
  try {
    await prepareDatabase({ seedIfEmpty: !args["no-seed"], env });
  } catch (error) {
    if (error instanceof StartRefusedError) fail(error.message);
    throw error;
  }

  const build = await import(pathToFileURL(buildPath).href);
  const mode = env.NODE_ENV === "production" ? "production" : "development";
  const app = createHttpApp({
    build,
    mode,
    trustProxyHops: env.FIREBREAK_TRUST_PROXY,
    publicOrigin: env.PUBLIC_BASE_URL,
  });
  const port = args.port === undefined ? env.PORT : Number(args.port);
  const host = args.host ?? env.HOST;
  const server = app.listen(port, host, () => {
    console.log(`Firebreak console on http://${host === "0.0.0.0" ? "localhost" : host}:${port}`);
  });

  const stopWorkers = args["no-workers"] ? async () => {} : await startWorkers();
  const shutdown = async () => {
    server.close();
    await stopWorkers();
    process.exit(0);
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

async function startWorkers(): Promise<() => Promise<void>> {
  // Background jobs (outbox delivery, bulk actions, automatic switch release) share this process's database.
  const { startBackgroundWorkers } = await import("~/jobs/workers.server");
  return startBackgroundWorkers();
}

main().catch((error) => {
  const message = error instanceof Error ? error.message : String(error);
  fail(message.split("\n")[0] ?? "start-up failed");
});
