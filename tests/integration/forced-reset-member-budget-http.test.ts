// The recovery page past a member's hourly budget of forced resets (ADR 104): the reset form offers the step-up in
// place of its button, in the member's language; a post without the code goes to the step-up page and resets nobody;
// with the code the reset goes through and the agent is back on the page. Needs `npx remix build`.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { now } from "~/lib/clock.server";
import { redirectPath, startHttpApp, type TestHttpApp } from "../support/http-app";
import { createStaff, signIn, stepUp } from "../support/staff";
import { createRecoveryCustomer } from "./recovery-fixtures";

const BUDGET = 10;
let app: TestHttpApp;

beforeAll(async () => {
  app = await startHttpApp();
});
afterAll(async () => {
  await app.close();
});

describe("the recovery page past the member's budget of forced resets", () => {
  it("asks for a fresh code before the next customer's reset, and resets nobody without it", async () => {
    const member = await createStaff({ role: "AGENT", language: "ja" });
    const agent = await signIn(app, member);
    // Ten other customers reset by this member in the last half hour.
    await prisma.staffForcedReset.createMany({
      data: Array.from({ length: BUDGET }, () => ({
        staffId: member.id,
        customerId: randomUUID(),
        createdAt: new Date(now().getTime() - 30 * 60_000),
      })),
    });
    const customer = await createRecoveryCustomer();
    const path = `/accounts/${customer.id}/recovery`;

    const page = await (await agent.get(path)).text();
    expect(page).toContain('data-testid="step-up-notice"');
    expect(page).toContain("この1時間に他のお客様10名以上のパスワードを強制リセットしました");
    expect(page).not.toContain('name="intent" value="force-reset"');

    const refused = await agent.post(path, { intent: "force-reset", reason: "caller reports a takeover" });
    expect(refused.status).toBe(302);
    expect(redirectPath(refused)).toBe(`/step-up?redirectTo=${encodeURIComponent(path)}`);
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: customer.id } })).mustChangePassword).toBe(false);
    expect(await prisma.outboundMessage.count({ where: { customerId: customer.id } })).toBe(0);
    const denied = await prisma.auditEvent.findFirstOrThrow({
      where: { action: "recovery.force-reset", targetId: customer.id },
    });
    expect(denied).toMatchObject({ outcome: "DENIED", actorId: member.id });

    await stepUp(agent, path);
    const steppedUp = await (await agent.get(path)).text();
    expect(steppedUp).not.toContain('data-testid="step-up-notice"');
    expect(steppedUp).toContain('name="intent" value="force-reset"');
    const reset = await agent.post(path, { intent: "force-reset", reason: "caller reports a takeover" });
    expect(reset.status).toBe(302);
    expect(redirectPath(reset)).toBe(path);
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: customer.id } })).mustChangePassword).toBe(true);
  });
});
