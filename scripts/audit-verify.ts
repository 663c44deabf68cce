// `npm run audit:verify [-- --public-key key.pem …] [--checkpoint-log file] [--json]`: verifies every row of the audit
// chain and every signed checkpoint of the configured database (DATABASE_URL, or the embedded database under ./data —
// stop the server first: PGlite is one process), and names the first bad row. With an external checkpoint log
// (--checkpoint-log, default FIREBREAK_AUDIT_CHECKPOINT_LOG) it also catches checkpoint rows deleted from the database.
//   exit 0: intact · exit 1: tampering found · exit 2: could not verify (configuration, database, no trusted key)
// Trusted keys: the configured signing key and FIREBREAK_AUDIT_TRUSTED_KEYS, or exactly the --public-key files given
// (an auditor brings the key they were handed, not the server's). Reads only; never writes.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { parseEnvOrFail } from "./lib/script-env";

const USAGE = "usage: npm run audit:verify -- [--public-key <file.pem>]… [--checkpoint-log <file.jsonl>] [--json]";

function fail(message: string, code = 2): never {
  console.error(`audit:verify: ${message}`);
  process.exit(code);
}

async function main() {
  let args;
  try {
    args = parseArgs({
      options: {
        "public-key": { type: "string", multiple: true },
        "checkpoint-log": { type: "string" },
        json: { type: "boolean", default: false },
      },
    }).values;
  } catch (error) {
    fail(`${(error as Error).message}\n${USAGE}`);
  }
  const env = parseEnvOrFail(fail);
  const { readPublicKey, trustedKeysOf } = await import("~/audit/signatures");
  const { loadTrustedKeys, AuditKeyError } = await import("~/audit/signing-key.server");
  let trusted;
  try {
    trusted = args["public-key"]
      ? trustedKeysOf(args["public-key"].map((file) => readPublicKey(readFileSync(file, "utf8"))))
      : loadTrustedKeys();
  } catch (error) {
    if (error instanceof AuditKeyError || error instanceof Error) fail(`cannot read the public key: ${error.message}`);
    throw error;
  }

  const { checkpointLogPath, readCheckpointLog } = await import("~/audit/checkpoint-log.server");
  const logFile = args["checkpoint-log"] ?? checkpointLogPath();
  let externalCheckpoints: Awaited<ReturnType<typeof readCheckpointLog>> | undefined;
  try {
    externalCheckpoints = logFile ? await readCheckpointLog(logFile) : undefined;
  } catch (error) {
    fail(`cannot read the checkpoint log: ${(error as Error).message}`);
  }

  // Without the outside copy, deleting the newest rows together with the newest checkpoints cannot be told from an
  // intact trail: production never verifies without it.
  if (!externalCheckpoints && env.NODE_ENV === "production") {
    fail(
      "production needs the outside copy of the checkpoints: pass --checkpoint-log or set FIREBREAK_AUDIT_CHECKPOINT_LOG",
    );
  }

  const { openDatabaseAt } = await import("~/db/open-database.server");
  const { verifyAuditTrail } = await import("~/audit/verify-trail.server");
  const database = await openDatabaseAt({ url: env.DATABASE_URL, dataDir: env.FIREBREAK_DATA_DIR }, { migrate: false });
  if (database.mode === "embedded" && !args.json) {
    console.error(`(embedded database ${env.FIREBREAK_DATA_DIR}: the console must not be running meanwhile)`);
  }
  const progress = process.stderr.isTTY && !args.json;
  try {
    const { rows } = await database.sql.query<{ exists: boolean }>(
      "SELECT to_regclass('audit_event') IS NOT NULL AS exists",
    );
    if (!rows[0]?.exists) {
      fail("this database has no audit trail: check DATABASE_URL / FIREBREAK_DATA_DIR (and run npm run db:migrate)");
    }
    const result = await verifyAuditTrail(database.sql, {
      trusted,
      externalCheckpoints,
      onProgress: progress ? (rows) => process.stderr.write(`\r  ${rows.toLocaleString("en-US")} rows…`) : undefined,
    });
    if (progress) process.stderr.write("\r\x1b[K");
    if (args.json) {
      console.log(JSON.stringify(result, null, 2));
    } else {
      const rate = result.chain.rowsChecked / Math.max(result.durationMs / 1000, 0.001);
      console.log(
        `Audit chain: ${result.chain.rowsChecked.toLocaleString("en-US")} rows checked in ` +
          `${(result.durationMs / 1000).toFixed(1)} s (${Math.round(rate).toLocaleString("en-US")} rows/s); ` +
          `head: row ${result.chain.headSeq ?? "none"}`,
      );
      const latest = result.checkpoints.latestGood;
      console.log(
        `Signed checkpoints: ${result.checkpoints.valid} of ${result.checkpoints.total} verified` +
          (latest ? `; latest good: #${latest.id} at row ${latest.seq}, signed ${latest.signedAt}` : "") +
          (logFile ? ` (database and ${externalCheckpoints?.length ?? 0} in ${logFile})` : ""),
      );
      if (externalCheckpoints) {
        const newest = externalCheckpoints.reduce<(typeof externalCheckpoints)[number] | undefined>(
          (a, b) => (!a || BigInt(b.seq) > BigInt(a.seq) ? b : a),
          undefined,
        );
        console.log(
          newest
            ? `Outside copy: newest ${newest.createdBy === "head-note" ? "head note" : `checkpoint #${newest.id}`} vouches for rows up to ${newest.seq}; the database's head is ` +
                `row ${result.chain.headSeq ?? "none"}`
            : "Outside copy: no checkpoint recorded yet",
        );
      }
      for (const warning of result.warnings) console.log(`warning: ${warning}`);
      if (result.firstBad) {
        console.log(`\nTAMPERED — first bad row: ${result.firstBad.seq} (${result.firstBad.problem})`);
        console.log(`  ${result.firstBad.detail}`);
        for (const other of result.problems.slice(1))
          console.log(`  also: row ${other.seq} (${other.problem}): ${other.detail}`);
      } else {
        console.log("\nOK: every row is intact and links to the one before; every checkpoint signature verifies.");
      }
    }
    const noKeyForCheckpoints = trusted.size === 0 && result.checkpoints.total > 0;
    if (noKeyForCheckpoints) fail("no trusted public key: pass the audit public key with --public-key <file.pem>");
    process.exitCode = result.ok ? 0 : 1;
  } finally {
    await database.close();
  }
}

main().catch((error) => fail(error instanceof Error ? (error.message.split("\n")[0] ?? "failed") : String(error)));
