// Runs before the end-to-end server starts (playwright.config.ts chains it in front of `scripts/start.ts`): the embedded
// database is one process's at a time, so the auth spec's staff are created here, in the fresh data directory, and
// described in a JSON file the spec reads (FIREBREAK_E2E_FIXTURES). Each run gets its own staff:
//   - a one-time link for a new admin (the spec enrols them as a new staff member would);
//   - an enrolled COMPLIANCE member and an enrolled ADMIN, with passwords and TOTP secrets the spec uses.
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { encodeBase32NoPadding } from "@oslojs/encoding";
import { createBootstrapAdmin } from "~/auth/bootstrap-admin.server";
import { database, prisma } from "~/db.server";
import { createStaff } from "../../support/staff";

export interface AuthFixtures {
  newAdmin: { email: string; displayName: string; invitePath: string };
  compliance: { id: string; email: string; displayName: string; password: string; totpSecret: string };
  admin: { id: string; email: string; displayName: string; password: string; totpSecret: string };
}

const TWELVE_HOURS = 12 * 60 * 60 * 1000;

/**
 * Each run leaves its database (≈150 MB with the replay) for post-mortems. Those of runs older than 12 hours are
 * removed here: no run lasts that long, so a database in use by a concurrent run is never touched.
 */
function removeOldRunData(dataRoot: string): void {
  const cutoff = Date.now() - TWELVE_HOURS;
  if (!existsSync(dataRoot)) return;
  for (const entry of readdirSync(dataRoot)) {
    if (!/^e2e-\d+/.test(entry)) continue;
    const full = path.join(dataRoot, entry);
    if (statSync(full).mtimeMs < cutoff) rmSync(full, { recursive: true, force: true });
  }
}

async function main() {
  const target = process.env.FIREBREAK_E2E_FIXTURES;
  if (!target) throw new Error("FIREBREAK_E2E_FIXTURES is not set (playwright.config.ts sets it)");
  removeOldRunData(path.dirname(target));
  const stamp = Date.now().toString(36);
  const newAdminEmail = `new-admin-${stamp}@e2e.test`;
  const { invite } = await createBootstrapAdmin({ email: newAdminEmail, displayName: "Nao Kimura" });
  // A new member reads Japanese by default; this walk asserts the English copy, so this member chose English.
  await prisma.staffUser.update({ where: { email: newAdminEmail }, data: { language: "en" } });
  const compliance = await createStaff({
    role: "COMPLIANCE",
    displayName: "Rin Mori",
    email: `compliance-${stamp}@e2e.test`,
  });
  const admin = await createStaff({ role: "ADMIN", displayName: "Sora Ito", email: `admin-${stamp}@e2e.test` });
  const describe = (s: typeof compliance) => ({
    id: s.id,
    email: s.email,
    displayName: s.displayName,
    password: s.password,
    totpSecret: encodeBase32NoPadding(s.totpSecret!),
  });
  const fixtures: AuthFixtures = {
    newAdmin: { email: newAdminEmail, displayName: "Nao Kimura", invitePath: `/invite/${invite.token}` },
    compliance: describe(compliance),
    admin: describe(admin),
  };
  writeFileSync(target, JSON.stringify(fixtures, null, 2), { mode: 0o600 });
  await database.close();
  console.log(`e2e: auth fixtures written to ${target}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
