// `npm run db:new-migration -- <name>`: writes the SQL that takes the committed migration history to the current
// prisma/schema.prisma into a new prisma/migrations/<timestamp>_<name>/migration.sql, offline. The Prisma CLI replays
// the history into an in-memory PGlite shadow database (prisma.config.ts); no real database is touched.
// Review the file, add what Prisma cannot express (triggers, reference data), then `npm run db:migrate`.
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:new-migration -- <snake_case_name>");
  process.exit(2);
}

const result = spawnSync(
  "npx",
  [
    "prisma",
    "migrate",
    "diff",
    "--from-migrations",
    "prisma/migrations",
    "--to-schema-datamodel",
    "prisma/schema.prisma",
    "--script",
  ],
  { encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1" } },
);
if (result.status !== 0) {
  console.error(result.stderr || result.stdout);
  process.exit(1);
}
const sql = result.stdout.trim();
if (sql === "" || sql.includes("This is an empty migration")) {
  console.log("The schema matches the migration history: nothing to write.");
  process.exit(0);
}
// Migrations apply in folder-name order, so a new one must sort after every committed one, also when a committed
// stamp is later than this machine's clock.
const latest = readdirSync(path.join("prisma", "migrations"))
  .filter((entry) => /^\d{14}_/.test(entry))
  .map((entry) => entry.slice(0, 14))
  .sort()
  .at(-1);
const clock = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
const stamp = latest && latest >= clock ? String(BigInt(latest) + 1n) : clock;
const dir = path.join("prisma", "migrations", `${stamp}_${name}`);
mkdirSync(dir, { recursive: true });
writeFileSync(path.join(dir, "migration.sql"), `${sql}\n`);
console.log(`Wrote ${dir}/migration.sql — review it, then run npm run db:migrate.`);
