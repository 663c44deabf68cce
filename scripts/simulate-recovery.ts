// `npm run simulate:recovery`: plays a 7pay-style takeover and its recovery against the wallet back end and the
// recovery services, one line per step with the outcome the rules demand (scripts/lib/simulate-recovery.ts). Exits 1
// if any step came out differently. Kill switches are read as the console has them: engage signin.new_device or
// reset.self_service in the console and run it again to see those flows refused.
//
// Like `npm run simulate`, it shares the console's database, so it needs PostgreSQL (DATABASE_URL) while the console
// runs, or --embedded while it does not. It never prints a token or a reset link.
import { parseArgs } from "node:util";
import { parseEnvOrFail } from "./lib/script-env";

const USAGE = `npm run simulate:recovery -- [options]

Plays an account takeover and its recovery, step by step: sessions revoked by a forced reset, the old password
refused, the hijacked email restored after an identity check, the reset link working once and expiring, 2FA enrolment
required, and nothing ever sent to the attacker's address.

  --embedded   use the embedded database (only while the console is NOT running: PGlite is one process)
  --no-color   plain output
`;

function fail(message: string, code = 1): never {
  console.error(`simulate:recovery: ${message}`);
  process.exit(code);
}

async function main() {
  const { values } = parseArgs({
    options: {
      embedded: { type: "boolean", default: false },
      "no-color": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const env = parseEnvOrFail(fail);
  if (env.NODE_ENV === "production") fail("refusing to simulate a takeover against a production environment.");
  if (!env.DATABASE_URL && !values.embedded) {
    fail(
      [
        "the simulator shares the console's database, and the embedded one (PGlite) can be opened by one process only.",
        "Run both on PostgreSQL (DATABASE_URL=postgresql://postgres@127.0.0.1:5432/firebreak), or stop the console",
        "and run: npm run simulate:recovery -- --embedded",
      ].join("\n"),
      2,
    );
  }
  // The expiry step moves this process's clock forward (never the console's).
  process.env.FIREBREAK_TEST_CLOCK = "1";

  const { prisma, database } = await import("~/db.server");
  const { runRecoveryStory } = await import("./lib/simulate-recovery");
  const { asExpected, formatStep } = await import("./lib/simulate-recovery-format");
  const color = !values["no-color"] && (process.stdout.isTTY ?? false);
  const lines = await runRecoveryStory(prisma, (line) => console.log(formatStep(line, color)));
  const unexpected = lines.filter((line) => !asExpected(line));
  console.log(
    unexpected.length === 0
      ? `\nEvery step came out as the recovery rules demand (${lines.length} lines).`
      : `\n${unexpected.length} step(s) came out differently from what the rules demand.`,
  );
  await database.close();
  process.exit(unexpected.length === 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
