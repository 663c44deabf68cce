// Runs once per Playwright run, before any worker: migrates one PostgreSQL template database, which every spec's
// console database then copies (tests/e2e/support/console.ts), so no worker migrates from nothing. The teardown drops
// the template and every database the run created, including those of a worker that crashed before its own teardown.
import { createTemplate } from "../../support/global-setup";
import { dropServerDatabasesNamed } from "../../support/postgres-admin";
import { ADMIN_URL } from "../../support/test-databases";

/** Every database of this run starts with this prefix; the stamp is the one playwright.config.ts shares with workers. */
export function runDatabasePrefix(): string {
  return `firebreak_e2e_${process.env.FIREBREAK_E2E_STAMP}`;
}

export default async function setup() {
  const prefix = runDatabasePrefix();
  await createTemplate(prefix);
  return async () => {
    await dropServerDatabasesNamed(ADMIN_URL, prefix);
  };
}
