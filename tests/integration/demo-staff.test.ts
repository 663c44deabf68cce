// The demo staff `npm start` puts in an embedded demo database (scripts/lib/prepare-database.ts): one member per role
// and a second admin, so that a privileged invitation in the demo can get the second admin's approval it waits for
// (ADR 066) instead of waiting forever. Both admins sign in with what start-up prints.
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDemoStaff, formatDemoStaffCredentials, type DemoStaffCredentials } from "~/auth/demo-staff.server";
import { approveStaffGrant } from "~/auth/staff-grants.server";
import { prisma } from "~/db.server";
import { startHttpApp, type TestHttpApp } from "../support/http-app";
import { decideGrant, fileInvitation, freshContextOf, signIn, stepUp, type TestStaff } from "../support/staff";

let app: TestHttpApp;
let demo: DemoStaffCredentials[];
beforeAll(async () => {
  app = await startHttpApp();
  demo = await createDemoStaff(prisma);
});
afterAll(() => app.close());

/** A demo member as the test fixtures know staff: the printed password and TOTP secret, the row's id. */
async function asTestStaff(credentials: DemoStaffCredentials): Promise<TestStaff> {
  const row = await prisma.staffUser.findUniqueOrThrow({ where: { email: credentials.email } });
  return {
    id: row.id,
    email: credentials.email,
    displayName: credentials.displayName,
    role: credentials.role,
    password: credentials.password,
    totpSecret: decodeBase32IgnorePadding(credentials.totpSecret),
    recoveryCodes: [],
    lastStep: null,
  };
}

describe("the demo staff", () => {
  it("has two admins with credentials of their own, printed one beside the other", () => {
    const admins = demo.filter((member) => member.role === "ADMIN");
    expect(admins.map((admin) => admin.email)).toEqual(["admin@firebreak.demo", "admin2@firebreak.demo"]);
    const [first, second] = admins as [DemoStaffCredentials, DemoStaffCredentials];
    expect(second.password).not.toBe(first.password);
    expect(second.totpSecret).not.toBe(first.totpSecret);
    const lines = formatDemoStaffCredentials(demo).split("\n");
    const printed = lines.findIndex((line) => line.includes(first.email));
    expect(lines[printed + 1]).toContain(second.email);
    expect(lines[printed + 1]).toContain(second.password);
    expect(lines[printed + 1]).toContain(second.totpSecret);
  });

  it("lets the second demo admin approve the first one's privileged invitation, signed in as printed", async () => {
    const [first, second] = await Promise.all(
      demo.filter((member) => member.role === "ADMIN").map((admin) => asTestStaff(admin)),
    );
    const email = `demo-lead-${Date.now()}@staff.test`;
    const grant = await fileInvitation(first!, { email, role: "SECURITY_LEAD" });
    const approver = await signIn(app, second!);
    await stepUp(approver, "/admin/staff");
    expect((await decideGrant(approver, "approve", grant.id, "second demo admin agrees")).status).toBe(302);
    expect(await prisma.staffUser.findUniqueOrThrow({ where: { email } })).toMatchObject({ role: "SECURITY_LEAD" });
    // The first demo admin cannot approve their own request (four eyes), so without the second it would wait.
    const own = await fileInvitation(first!, { email: `own-${email}`, role: "ADMIN" });
    await expect(
      approveStaffGrant(await freshContextOf(first!), { requestId: own.id, reason: "mine" }),
    ).rejects.toMatchObject({ code: "GRANT_SELF_APPROVAL" });
  });

  it("is created once: a later start adds nothing and prints the same credentials", async () => {
    const again = await createDemoStaff(prisma);
    expect(again.every((member) => !member.created)).toBe(true);
    expect(formatDemoStaffCredentials(again)).toBe(formatDemoStaffCredentials(demo));
    expect(await prisma.staffUser.count({ where: { email: { endsWith: "@firebreak.demo" } } })).toBe(demo.length);
  });
});
