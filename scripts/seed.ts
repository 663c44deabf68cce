// `npm run seed [-- --customers N] [--seed S] [--victims V] [--reset] [--ground-truth path]`
// Fills the configured database (DATABASE_URL, or the embedded one under FIREBREAK_DATA_DIR) with the 7pay replay and
// writes the incident's ground truth as JSON. Refuses a database that already holds wallet data unless --reset.
import { parseArgs } from "node:util";
import { parseEnvOrFail } from "./lib/script-env";

function fail(message: string): never {
  console.error(`seed: ${message}`);
  process.exit(1);
}

function positiveInteger(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const cleaned = value.replace(/[_,]/g, "");
  if (!/^\d+$/.test(cleaned) || Number(cleaned) < 1) fail(`--${name} must be a whole number greater than zero`);
  return Number(cleaned);
}

async function main() {
  let args;
  try {
    ({ values: args } = parseArgs({
      options: {
        customers: { type: "string" },
        victims: { type: "string" },
        seed: { type: "string" },
        reset: { type: "boolean", default: false },
        "ground-truth": { type: "string", default: "data/ground-truth.json" },
        "enforce-triggers": { type: "boolean", default: false },
        quiet: { type: "boolean", default: false },
      },
    }));
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  const customers = positiveInteger("customers", args.customers);
  const victims = positiveInteger("victims", args.victims);
  const env = parseEnvOrFail(fail);
  if (args.reset && env.NODE_ENV === "production")
    fail("--reset drops data; it is a development tool and refuses NODE_ENV=production");

  // Imported only now: importing ~/db.server opens (and migrates) the database.
  const { database } = await import("~/db.server");
  const { SeedRefusedError, describeSeed, hasWalletData, seedDatabase, writeGroundTruth } =
    await import("~/incidents/replay/seed.server");
  // Checked again inside the seed's transaction (two seeds at once); this early check keeps the refusal to one line.
  if (!args.reset && (await hasWalletData(database.sql))) {
    await database.close();
    fail("the database already holds wallet data; run `npm run seed -- --reset` to drop it and seed again");
  }
  const target = database.mode === "postgresql" ? "PostgreSQL" : "embedded PGlite";
  if (!args.quiet) console.log(`Seeding the 7pay replay into ${target}${args.reset ? " (reset first)" : ""}…`);
  let lastReport = 0;
  try {
    const result = await seedDatabase(database, {
      customers,
      victims,
      seed: args.seed,
      reset: args.reset,
      enforceTriggers: args["enforce-triggers"],
      onProgress: (done, total) => {
        if (args.quiet || total < 100_000 || done - lastReport < total / 10) return;
        lastReport = done;
        console.log(`  ${done.toLocaleString("en-US")} / ${total.toLocaleString("en-US")} customers`);
      },
    });
    await writeGroundTruth(args["ground-truth"], result.groundTruth);
    if (!args.quiet) {
      for (const line of describeSeed(result)) console.log(line);
      console.log(`Ground truth: ${args["ground-truth"]}`);
    }
  } catch (error) {
    if (error instanceof SeedRefusedError) {
      await database.close();
      fail(error.message);
    }
    throw error;
  }
  await database.close();
}

main().catch((error) => {
  const message = error instanceof Error ? error.message : String(error);
  fail(message.split("\n")[0] ?? "seeding failed");
});
