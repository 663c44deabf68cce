// `npm run db:migrate`: applies pending migrations to the configured database (PGlite under ./data by default, or
// DATABASE_URL). Idempotent. The same runner applies them on every start.
import { parseEnvOrFail } from "./lib/script-env";

function fail(message: string): never {
  console.error(`firebreak: ${message}`);
  process.exit(1);
}

async function main() {
  const env = parseEnvOrFail(fail);
  // Imported late so that a bad environment is reported before any database code loads.
  const { openDatabaseAt, migrateDatabase } = await import("~/db/open-database.server");
  const started = Date.now();
  const database = await openDatabaseAt({ url: env.DATABASE_URL, dataDir: env.FIREBREAK_DATA_DIR }, { migrate: false });
  try {
    const applied = await migrateDatabase(database, env.DATABASE_URL, env.DATABASE_OWNER_URL);
    console.log(
      applied.length === 0
        ? `Database is up to date (${database.mode}).`
        : `Applied ${applied.length} migration(s) to the ${database.mode} database in ${Date.now() - started} ms:\n  ${applied.join("\n  ")}`,
    );
  } finally {
    await database.close();
  }
}

main().catch((error) => {
  console.error(`firebreak: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
  process.exit(1);
});
