// What `npm start` does to the database before serving: importing ~/db.server opened and migrated it; then, on an
// embedded database that holds no wallet data yet, it seeds the 7pay replay and one demo staff member per role and
// prints their credentials. A real PostgreSQL (DATABASE_URL) is never seeded implicitly: run `npm run seed` and
// `npm run staff:create-admin` there on purpose.
import { createDemoStaff, formatDemoStaffCredentials } from "~/auth/demo-staff.server";
import { database } from "~/db.server";
import { describeSeed, hasWalletData, seedDatabase, writeGroundTruth } from "~/incidents/replay/seed.server";

const GROUND_TRUTH_FILE = "data/ground-truth.json";

export async function prepareDatabase(options: { seedIfEmpty: boolean }): Promise<void> {
  if (!options.seedIfEmpty || database.mode !== "embedded") return;
  if (!(await hasWalletData(database.sql))) {
    console.log("Empty embedded database: seeding the 7pay replay (first start only)…");
    const result = await seedDatabase(database);
    await writeGroundTruth(GROUND_TRUTH_FILE, result.groundTruth);
    for (const line of describeSeed(result)) console.log(`  ${line}`);
  }
  // Idempotent: creates the demo members that are missing, and always reprints the demo credentials.
  const staff = await createDemoStaff(database.prisma);
  console.log(formatDemoStaffCredentials(staff));
}
