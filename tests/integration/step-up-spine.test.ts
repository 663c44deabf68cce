// Step-up is a property of the action spec that performAction enforces, so a domain service called from anywhere (not
// only from the route that shows the step-up page) refuses a staff member who has not re-entered a code recently.
// The list of step-up actions is read from the source and reviewed here, like the route permissions.
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { performAction, StepUpRequiredError, type ActionContext } from "~/audit/perform-action.server";
import type { StaffContext } from "~/auth/guard.server";
import { STEP_UP_WINDOW_MS } from "~/auth/step-up-window";
import { changeStaffRole } from "~/auth/staff-admin.server";
import { prisma } from "~/db.server";
import { now } from "~/lib/clock.server";
import { createStaff } from "../support/staff";

const origin = { ip: "203.0.113.9", userAgent: "vitest", requestId: "req-step-up-spine" };

function staffActorContext(steppedUpAt: Date | null): ActionContext {
  return { actor: { kind: "staff", id: randomUUID(), role: "ADMIN" }, origin, steppedUpAt };
}

async function auditFor(action: string) {
  return prisma.auditEvent.findMany({ where: { action }, orderBy: { seq: "asc" } });
}

describe("performAction with a step-up spec", () => {
  it("refuses a stale staff session before the change runs, and audits the refusal", async () => {
    const action = `test.step-up.${randomUUID()}`;
    let ran = false;
    const stale = new Date(now().getTime() - STEP_UP_WINDOW_MS - 1000);
    for (const steppedUpAt of [null, stale]) {
      await expect(
        performAction(staffActorContext(steppedUpAt), { action, permission: null, stepUp: true }, async () => {
          ran = true;
          return { result: undefined };
        }),
      ).rejects.toBeInstanceOf(StepUpRequiredError);
    }
    expect(ran).toBe(false);
    const rows = await auditFor(action);
    expect(rows.map((row) => [row.outcome, (row.after as { reason?: string }).reason])).toEqual([
      ["DENIED", "step-up-required"],
      ["DENIED", "step-up-required"],
    ]);
  });

  it("lets a fresh step-up and a system actor through", async () => {
    const action = `test.step-up.${randomUUID()}`;
    const change = async () => ({ result: "done" });
    expect(await performAction(staffActorContext(now()), { action, permission: null, stepUp: true }, change)).toBe(
      "done",
    );
    const system: ActionContext = { actor: { kind: "system", id: "system:test" }, origin };
    expect(await performAction(system, { action, permission: null, stepUp: true }, change)).toBe("done");
    expect((await auditFor(action)).map((row) => row.outcome)).toEqual(["SUCCESS", "SUCCESS"]);
  });
});

describe("a domain service called without the route", () => {
  it("will not change a staff member's role without a fresh step-up", async () => {
    const admin = await createStaff({ role: "ADMIN" });
    const target = await createStaff({ role: "AGENT" });
    const ctx: StaffContext = {
      actor: { kind: "staff", id: admin.id, role: "ADMIN" },
      origin,
      staff: { id: admin.id, email: admin.email, displayName: admin.displayName, role: "ADMIN" },
      session: { id: randomUUID(), steppedUpAt: null },
    };
    await expect(changeStaffRole(ctx, target.id, "SECURITY_LEAD", "promotion")).rejects.toBeInstanceOf(
      StepUpRequiredError,
    );
    expect((await prisma.staffUser.findUniqueOrThrow({ where: { id: target.id } })).role).toBe("AGENT");

    await changeStaffRole(
      { ...ctx, session: { ...ctx.session, steppedUpAt: now() } },
      target.id,
      "SECURITY_LEAD",
      "ok",
    );
    expect((await prisma.staffUser.findUniqueOrThrow({ where: { id: target.id } })).role).toBe("SECURITY_LEAD");
  });
});

describe("the actions that need a step-up", () => {
  function serverFiles(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) return name === "generated" ? [] : serverFiles(full);
      return name.endsWith(".server.ts") ? [full] : [];
    });
  }

  it("are the reviewed list (adding or removing one is a security decision)", () => {
    const found = serverFiles("app").flatMap((file) =>
      [...readFileSync(file, "utf8").matchAll(/action: "([^"]+)",[^}]*?stepUp: true/g)].map((match) => match[1]!),
    );
    expect(found.sort()).toEqual(
      ["staff.enable", "staff.invite", "staff.invite.reissue", "staff.role.change", "staff.totp.reset"].sort(),
    );
  });
});
