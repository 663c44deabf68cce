// `npm run staff:create-admin`: the first admin's way in. In PostgreSQL mode the script runs as its own process on the
// test database and the link it prints is used against the running app; in embedded mode (one process per database)
// the same domain function is exercised in-process by auth-second-factor.test.ts, and here only its refusals.
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBootstrapAdmin } from "~/auth/bootstrap-admin.server";
import { prisma } from "~/db.server";
import { createClient, redirectPath, startHttpApp, type TestHttpApp } from "../support/http-app";

let app: TestHttpApp;
beforeAll(async () => {
  app = await startHttpApp();
});
afterAll(() => app.close());

function runScript(...args: string[]) {
  return spawnSync("npx", ["tsx", "scripts/staff-create-admin.ts", ...args], {
    env: { ...process.env, PUBLIC_BASE_URL: app.baseUrl },
    encoding: "utf8",
    timeout: 120_000,
  });
}

describe("staff:create-admin", () => {
  it.skipIf(process.env.FIREBREAK_TEST_DB !== "postgresql")(
    "prints a one-time link that leads to setting a password and enrolling",
    async () => {
      const email = `bootstrap-${Date.now()}@staff.test`;
      const result = runScript("--email", email, "--name", "Boot Strap");
      expect(result.stderr).toBe("");
      expect(result.status).toBe(0);
      const link = /(http:\/\/\S+\/invite\/[a-z2-7]{32})/.exec(result.stdout)?.[1];
      expect(link).toBeTruthy();
      const staff = await prisma.staffUser.findUniqueOrThrow({ where: { email } });
      expect(staff).toMatchObject({ role: "ADMIN", passwordHash: null, totpEnrolledAt: null });

      const client = createClient(app);
      const path = new URL(link!).pathname;
      const password = "the first admin's long passphrase";
      const accepted = await client.post(path, { password, confirmPassword: password });
      expect(redirectPath(accepted)).toBe("/sign-in/enroll");

      const again = runScript("--email", email);
      expect(again.status).toBe(1);
      expect(again.stderr).toContain("--reissue");
      const audit = await prisma.auditEvent.findFirstOrThrow({
        where: { action: "staff.create-admin", targetId: staff.id },
      });
      expect(audit.actorId).toBe("system:staff-create-admin");
    },
  );

  it("refuses a bad email, an existing address without --reissue, and --reissue for a non-admin", async () => {
    await expect(createBootstrapAdmin({ email: "not an email" })).rejects.toThrow("is not an email address");
    const email = `exists-${Date.now()}@staff.test`;
    await createBootstrapAdmin({ email });
    await expect(createBootstrapAdmin({ email })).rejects.toThrow("--reissue");
    const reissued = await createBootstrapAdmin({ email, reissue: true });
    expect(reissued.created).toBe(false);
    await prisma.staffUser.update({ where: { email }, data: { role: "AGENT" } });
    await expect(createBootstrapAdmin({ email, reissue: true })).rejects.toThrow("not an active admin");
  });

  it("prints usage without --email", () => {
    const result = runScript();
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("usage: npm run staff:create-admin -- --email");
  });
});
