// `npx tsx scripts/audit-checkpoint.ts`: signs the audit chain head now (the console's worker does it every 10 minutes;
// this is for a cron job when the worker does not run, and for operations). Verifies the rows since the previous
// checkpoint first and signs nothing if they do not verify.
//   exit 0: signed (or the head was already signed) · exit 1: the chain does not verify · exit 2: could not run
import { parseEnvOrFail } from "./lib/script-env";

function fail(message: string, code = 2): never {
  console.error(`audit-checkpoint: ${message}`);
  process.exit(code);
}

async function main() {
  parseEnvOrFail(fail);
  const { openDatabase } = await import("~/db/open-database.server");
  const { signCheckpoint } = await import("~/audit/checkpoint-service.server");
  const { AuditIntegrityError } = await import("~/audit/checkpoint.server");
  const database = await openDatabase();
  try {
    const outcome = await signCheckpoint(database, "cli");
    if (outcome.status === "empty") console.log("The audit log is empty: nothing to sign.");
    else {
      const cp = outcome.checkpoint;
      const verb = outcome.status === "created" ? "Signed" : "Already signed:";
      console.log(
        `${verb} checkpoint #${cp.id}: row ${cp.seq}, hash ${cp.headHash}, key ${cp.keyId}, at ${cp.signedAt}`,
      );
    }
  } catch (error) {
    if (error instanceof AuditIntegrityError) fail(error.message, 1);
    throw error;
  } finally {
    await database.close();
  }
}

main().catch((error) => fail(error instanceof Error ? (error.message.split("\n")[0] ?? "failed") : String(error)));
