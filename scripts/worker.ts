// `npm run worker`: runs the notification outbox worker on its own (the same worker `npm start` runs in-process).
// SMTP settings, send rate and pool size come from the environment (SMTP_*, MAIL_FROM, NOTIFY_SEND_RATE,
// NOTIFY_SMTP_CONNECTIONS); without SMTP_HOST, outside production, mail goes to an in-process development sink.
// SIGTERM / SIGINT stop it gracefully: no new claims, in-flight messages finish and are recorded. A second signal
// exits at once (anything still in flight is then flagged for review by the next worker, never resent blindly).
//   exit 0: stopped · exit 2: could not start
import { EnvironmentError, parseEnv } from "~/env.server";

function fail(message: string): never {
  console.error(`worker: ${message}`);
  process.exit(2);
}

async function main() {
  try {
    parseEnv();
  } catch (error) {
    if (error instanceof EnvironmentError) fail(error.message);
    throw error;
  }
  // Imported only now: importing ~/db.server opens (and migrates) the database.
  const { startOutboxWorkerFromEnv } = await import("~/notify/outbox-worker.server");
  const stop = await startOutboxWorkerFromEnv();
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    console.info(`[outbox] ${signal}: finishing the messages in flight…`);
    stop().then(
      () => process.exit(0),
      (error: unknown) => fail(error instanceof Error ? error.message : String(error)),
    );
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  fail(message.split("\n")[0] ?? "start-up failed");
});
