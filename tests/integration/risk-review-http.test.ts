// The review queue of held top-ups over real HTTP (run `npx remix build` first): releasing one charges the customer's
// card, so the page sends a lead without a fresh step-up to confirm first, and nothing moves until then.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { redirectPath, startHttpApp, type TestHttpApp } from "../support/http-app";
import { balanceOf, heldTopUp } from "../support/risk-rules";
import { createStaff, signIn, stepUp } from "../support/staff";

let app: TestHttpApp;

beforeAll(async () => {
  app = await startHttpApp();
});

afterAll(async () => {
  await app?.close();
});

describe("releasing a held top-up", () => {
  it("needs a fresh step-up: a lead's session alone is sent to confirm, and the money does not move", async () => {
    const { customerId, reviewId } = await heldTopUp(63_331);
    const lead = await signIn(app, await createStaff({ role: "SECURITY_LEAD" }));

    const refused = await lead.post("/reviews", { intent: "approve", reviewId });
    expect(refused.status).toBe(302);
    expect(redirectPath(refused)).toBe(`/step-up?redirectTo=${encodeURIComponent("/reviews")}`);
    expect(await balanceOf(customerId)).toBe(0);
    expect(await prisma.riskReview.findUniqueOrThrow({ where: { id: reviewId } })).toMatchObject({ status: "PENDING" });

    await stepUp(lead, "/reviews");
    const approved = await lead.post("/reviews", { intent: "approve", reviewId });
    expect(redirectPath(approved)).toBe("/reviews");
    expect(await balanceOf(customerId)).toBe(63_331);
  });

  it("declines without a step-up: declining moves nothing", async () => {
    const { customerId, reviewId } = await heldTopUp(63_332);
    const lead = await signIn(app, await createStaff({ role: "SECURITY_LEAD" }));
    const declined = await lead.post("/reviews", { intent: "decline", reviewId });
    expect(redirectPath(declined)).toBe("/reviews");
    expect(await prisma.riskReview.findUniqueOrThrow({ where: { id: reviewId } })).toMatchObject({
      status: "DECLINED",
    });
    expect(await balanceOf(customerId)).toBe(0);
  });
});
