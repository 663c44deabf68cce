// Step-up is a property of the action spec that performAction enforces, so a domain service called from anywhere (not
// only from the route that shows the step-up page) refuses a staff member who has not re-entered a code recently.
// The list of step-up actions is read from the source and reviewed here, like the route permissions.
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { performAction, StepUpRequiredError, type ActionContext } from "~/audit/perform-action.server";
import { STEP_UP_WINDOW_MS } from "~/auth/step-up-window";
import { changeStaffRole } from "~/auth/staff-admin.server";
import { prisma } from "~/db.server";
import { now } from "~/lib/clock.server";
import { createStaff, signedInContextOf } from "../support/staff";

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
    const target = await createStaff({ role: "SECURITY_LEAD" });
    const ctx = await signedInContextOf(admin, { steppedUp: false });
    // Lowering a role is one admin's decision (a raise waits for a second admin), but still behind a fresh code.
    await expect(changeStaffRole(ctx, target.id, "AGENT", "back to the phones")).rejects.toBeInstanceOf(
      StepUpRequiredError,
    );
    expect((await prisma.staffUser.findUniqueOrThrow({ where: { id: target.id } })).role).toBe("SECURITY_LEAD");

    await changeStaffRole({ ...ctx, session: { ...ctx.session, steppedUpAt: now() } }, target.id, "AGENT", "ok");
    expect((await prisma.staffUser.findUniqueOrThrow({ where: { id: target.id } })).role).toBe("AGENT");
  });
});

describe("the actions that need a step-up", () => {
  // Every performAction call in the application, with the action its spec names and what its spec says about step-up
  // ("no" when it says nothing). Read with the TypeScript parser, so a spec written over several lines, a spec held
  // in a variable or an action named by a constant are all found.
  function serverFiles(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) return name === "generated" ? [] : serverFiles(full);
      return /\.tsx?$/.test(name) ? [full] : [];
    });
  }

  function specsIn(file: string): { action: string; stepUp: string }[] {
    const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
    const constants = new Map<string, ts.Expression>();
    const collect = (node: ts.Node): void => {
      if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
        constants.set(node.name.text, node.initializer);
      }
      ts.forEachChild(node, collect);
    };
    collect(source);
    const resolve = (expression: ts.Expression | undefined): ts.Expression | undefined =>
      expression && ts.isIdentifier(expression) ? resolve(constants.get(expression.text)) : expression;
    const found: { action: string; stepUp: string }[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "performAction") {
        const spec = resolve(node.arguments[1]);
        if (!spec || !ts.isObjectLiteralExpression(spec)) throw new Error(`${file}: a spec the test cannot read`);
        const property = (name: string): ts.Expression | undefined => {
          const found = spec.properties.find((p) => p.name?.getText(source) === name);
          if (found && ts.isPropertyAssignment(found)) return found.initializer;
          if (found && ts.isShorthandPropertyAssignment(found)) return found.name;
          return undefined;
        };
        // An action computed at run time (one spec serving several actions) is named by its expression and file.
        const written = property("action");
        if (!written) throw new Error(`${file}: a spec without an action`);
        const action = resolve(written);
        const name =
          action && ts.isStringLiteral(action) ? action.text : `${path.basename(file)}: ${written.getText(source)}`;
        found.push({ action: name, stepUp: property("stepUp")?.getText(source) ?? "no" });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
    return found;
  }

  // Adding an action, or changing whether it needs a step-up, is a security decision: review it here.
  const REVIEWED: Record<string, string> = {
    // Staff administration: granting or restoring access.
    "staff.invite": "true",
    "staff.invite.reissue": "true",
    "staff.role.change": "true",
    "staff.enable": "true",
    "staff.totp.reset": "true",
    // Lifting the block of 100 wrong codes in a row gives whoever has the password 100 more (ADR 094); the
    // windowed locks, which lift by themselves, stay one click away.
    "staff.unlock": "clearsCodeBlock",
    // A privileged role waits for a second admin: asking for it and approving it both need a fresh code (ADR 066).
    "staff.grant.request": "true",
    // Deciding a waiting grant request shares one audited frame: approving (it creates the member or moves the power)
    // passes stepUp: true, declining (nothing changes) false — the two calls of decideGrantRequest.
    "staff-grants.server.ts: decision.action": "decision.stepUp",
    // Kill switches and the tokens services read them with.
    "killswitch.engage": "true",
    "killswitch.cancel-auto-release": "true",
    "killswitch.release.approve": "true",
    "service-token.create": "true",
    "service-token.revoke": "true",
    // Money: approving a reversal, a bulk reversal, and a large single reversal (by its requester).
    "ledger.reverse.approve": "true",
    "ledger.bulk-reverse.start": "true",
    "ledger.reverse": "reversalNeedsStepUp(input.amount)",
    // Letting money move again in an account that was contained: unfreeze and restore; freezing and marking
    // compromised stay one click until a member has contained twenty other customers within the hour (ADR 115).
    "account-status.server.ts: spec.action": "spec.stepUp || needsCode",
    // Releasing a top-up a risk rule held: the customer's card is charged and the wallet credited there and then.
    "risk.review.approve": "true",
    // Turning a live risk rule off: the top-ups it blocks or holds go through again.
    "risk.rule.disable": "true",
    // Turning a containment policy off: the next wave meets no automatic stop.
    "detect.policy.disable": "true",
    // A forced reset stays one click, until a member has reset ten other customers within the hour (ADR 104).
    "recovery.force-reset": "needsCode",
    // Stopping a bulk freeze or a cohort reset leaves the accounts it has not reached open (ADR 122); stopping any
    // other job stays one click.
    "jobs.cancel": "kind.cancelNeedsStepUp",
    // Freezing many accounts at once from a bulk reversal's dry run (one at a time stays one click; ADR 105).
    "accounts.bulk-freeze.start": "true",
    // Bulk resets and bulk notices (checked before the first part of a send).
    "recovery.cohort-reset.start": "true",
    "notify.send": "!single && offset === 0",
    // Keeping a contact an attacker may have set: approving needs a fresh step-up, refusing does not.
    'keep-contact.server.ts: input.decision === "approve" ? "recovery.keep-contact.approve" : "recovery.keep-contact.reject"':
      'input.decision === "approve"',
  };
  const NO_STEP_UP = [
    // Refusing, withdrawing or asking is never more than the person could already do.
    "killswitch.release.request",
    "killswitch.release.reject",
    "killswitch.release.withdraw",
    "ledger.reverse.reject",
    "ledger.reverse.withdraw",
    "recovery.keep-contact.request",
    // Taking access away, or containing an account, must stay fast on an incident day.
    "staff.disable",
    "staff.sessions.end",
    "account.note.add",
    // One customer at a time, behind their own safeguards (possession codes; a kept contact needs a second person).
    "recovery.identity-check",
    "recovery.code-send",
    "recovery.code-verify",
    "recovery.restore-contact",
    "notify.retry",
    // Cases, cohorts, rules, detection, reports, jobs: reviewed work that moves no money and grants no access.
    "case.open",
    "case.assign",
    "case.transition",
    "cohort.save",
    "risk.rule.draft",
    "risk.rule.backtest.queue",
    "risk.rule.publish",
    "risk.review.decline",
    "detect.policy.propose",
    "detect.policy.approve",
    "detect.alert.acknowledge",
    "detect.alert.link-incident",
    "breach-report.draft",
    "breach-report.save",
    "breach-report.export",
    "jobs.requeue",
    // Going on or off duty changes only who is mailed about alerts.
    'duty.server.ts: onDuty ? "staff.duty.on" : "staff.duty.off"',
    // The person's own session and profile, the command line, and system actors (who do not step up).
    "staff.sign-out",
    "staff.totp.enroll",
    "staff.invite.accept",
    "staff.language.change",
    'bootstrap-admin.server.ts: existing ? "staff.invite.reissue" : "staff.create-admin"',
    "jobs.batch",
    "jobs.complete",
    "killswitch.release",
    "killswitch.auto-release",
    "staff.grant.expire",
    "audit.checkpoint",
    "customer.password-reset.request",
    "customer.password-reset.redeem",
    "customer.sign-in.source-blocked",
  ];

  it("are the reviewed list, and every other action was reviewed as not needing one", () => {
    const specs = serverFiles("app").flatMap(specsIn);
    expect(specs.length).toBeGreaterThan(50);
    const stepUp = Object.fromEntries(
      [...new Set(specs.filter((s) => s.stepUp !== "no").map((s) => s.action))].map((action) => [
        action,
        [...new Set(specs.filter((s) => s.action === action).map((s) => s.stepUp))].join(" | "),
      ]),
    );
    expect(stepUp).toEqual(REVIEWED);
    const unreviewed = [...new Set(specs.map((s) => s.action))].filter(
      (action) => !(action in REVIEWED) && !NO_STEP_UP.includes(action),
    );
    expect(unreviewed, "new actions: decide whether they need a step-up").toEqual([]);
    const gone = NO_STEP_UP.filter((action) => !specs.some((s) => s.action === action));
    expect(gone, "reviewed actions no longer in the code: remove them from the list").toEqual([]);
  });
});
