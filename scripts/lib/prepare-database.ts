// What `npm start` does to the database before serving: importing ~/db.server opened and migrated it; then
// `planStartup` decides. Outside production, an embedded database that holds no wallet data yet is seeded with the
// 7pay replay and one demo staff member per role plus a second admin, whose credentials are printed. Production never
// creates demo staff and never prints a secret: the demo passwords and TOTP secrets are public (they are in the
// README), so a production console holding them would be open to anyone. On an empty embedded database production
// refuses to start, in one line, unless FIREBREAK_EMPTY_START=1 asks for an empty console (then
// `npm run staff:create-admin` creates the first admin). A real PostgreSQL (DATABASE_URL) is never seeded implicitly:
// run `npm run seed` there on purpose.
import { createDemoStaff, formatDemoStaffCredentials } from "~/auth/demo-staff.server";
import { database } from "~/db.server";
import type { Env } from "~/env.server";
import { describeSeed, hasWalletData, seedDatabase, writeGroundTruth } from "~/incidents/replay/seed.server";

const GROUND_TRUTH_FILE = "data/ground-truth.json";

export class StartRefusedError extends Error {}

export type StartupPlan = "seed-and-demo-staff" | "demo-staff" | "nothing" | "refuse-empty-production";

export function planStartup(input: {
  nodeEnv: Env["NODE_ENV"];
  embedded: boolean;
  seedIfEmpty: boolean;
  hasWalletData: boolean;
  hasStaff: boolean;
  emptyStartAllowed: boolean;
}): StartupPlan {
  if (input.nodeEnv === "production") {
    const empty = !input.hasWalletData && !input.hasStaff;
    if (input.embedded && empty && !input.emptyStartAllowed) return "refuse-empty-production";
    return "nothing";
  }
  if (!input.seedIfEmpty || !input.embedded) return "nothing";
  return input.hasWalletData ? "demo-staff" : "seed-and-demo-staff";
}

export async function prepareDatabase(options: { seedIfEmpty: boolean; env: Env }): Promise<void> {
  const embedded = database.mode === "embedded";
  const plan = planStartup({
    nodeEnv: options.env.NODE_ENV,
    embedded,
    seedIfEmpty: options.seedIfEmpty,
    hasWalletData: embedded && (await hasWalletData(database.sql)),
    hasStaff: embedded && (await database.prisma.staffUser.count()) > 0,
    emptyStartAllowed: options.env.FIREBREAK_EMPTY_START === "1",
  });
  if (plan === "refuse-empty-production") {
    throw new StartRefusedError(
      "production refuses an empty embedded database (the demo data and demo staff are development-only): set " +
        "DATABASE_URL, or set FIREBREAK_EMPTY_START=1 to start empty and create the first admin with " +
        "`npm run staff:create-admin`.",
    );
  }
  if (plan === "seed-and-demo-staff") {
    console.log("Empty embedded database: seeding the 7pay replay (first start only)…");
    const result = await seedDatabase(database);
    await writeGroundTruth(GROUND_TRUTH_FILE, result.groundTruth);
    for (const line of describeSeed(result)) console.log(`  ${line}`);
  }
  if (plan === "seed-and-demo-staff" || plan === "demo-staff") {
    // Idempotent: creates the demo members that are missing, and always reprints the demo credentials.
    const staff = await createDemoStaff(database.prisma);
    console.log(formatDemoStaffCredentials(staff));
  }
}
