// A request is authorised when its guard runs, but its form is read afterwards: a client that sends the body slowly
// (the server waits up to its request timeout, minutes) holds an authorised request open while an admin disables or
// demotes the member or ends their sessions. The spine must judge the change by the member and session as they are
// when it writes, not as they were when the request began. The route's action is called directly with a body the
// test releases, so the moment between the guard and the write is exact rather than a guess at timing.
import type { ActionFunctionArgs } from "@remix-run/node";
import { afterEach, describe, expect, it } from "vitest";
import { changeStaffRole, disableStaff, endStaffSessions } from "~/auth/staff-admin.server";
import { createStaffSession } from "~/auth/session.server";
import { prisma } from "~/db.server";
import { resetClock } from "~/lib/clock.server";
import { action as serviceTokensAction } from "~/routes/admin.service-tokens";
import { createSignedInStaff, createStaff, type TestStaff } from "../support/staff";

afterEach(() => resetClock());

/** A fully signed-in, stepped-up session for `member`, as the sign-in pages leave it: the cookie's token. */
async function sessionTokenFor(member: TestStaff): Promise<string> {
  const { token } = await prisma.$transaction((tx) =>
    createStaffSession(tx, member.id, "FULL", { ip: "203.0.113.40", userAgent: "vitest" }, { steppedUp: true }),
  );
  return token;
}

/**
 * A form post whose body is held back: `guardPassed` resolves when the action starts reading the form (its guard has
 * let the request through), and the body is sent only once `release` is called. The stream buffers nothing
 * (highWaterMark 0): with the default of one chunk it pulls as soon as it is built, before anyone reads it, and the
 * revocation then raced the guard's own session lookup — on a loaded machine the guard lost, answered with a sign-in
 * redirect and wrote no denial.
 */
function slowFormPost(url: string, token: string, form: Record<string, string>) {
  let guardPassed!: () => void;
  let release!: () => void;
  const reading = new Promise<void>((resolve) => (guardPassed = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        guardPassed();
        await released;
        controller.enqueue(new TextEncoder().encode(new URLSearchParams(form).toString()));
        controller.close();
      },
    },
    { highWaterMark: 0 },
  );
  const request = new Request(url, {
    method: "POST",
    headers: {
      cookie: `firebreak_session=${token}`,
      "content-type": "application/x-www-form-urlencoded",
      "accept-language": "en",
      "x-forwarded-for": "203.0.113.40",
    },
    body,
    duplex: "half",
  } as RequestInit);
  return { request, guardPassed: reading, release };
}

describe("a slow request does not outlive the member's authority", () => {
  it.each([
    [
      "disabled",
      (admin: Awaited<ReturnType<typeof createSignedInStaff>>, id: string) =>
        disableStaff(admin.ctx, id, "stolen session"),
    ],
    [
      "demoted to agent",
      (admin: Awaited<ReturnType<typeof createSignedInStaff>>, id: string) =>
        changeStaffRole(admin.ctx, id, "AGENT", "no longer an admin"),
    ],
    [
      "signed out everywhere",
      (admin: Awaited<ReturnType<typeof createSignedInStaff>>, id: string) => endStaffSessions(admin.ctx, id),
    ],
  ])("no service token is issued once the admin is %s mid-request", async (_case, revoke) => {
    const stolen = await createStaff({ role: "ADMIN" });
    const token = await sessionTokenFor(stolen);
    const otherAdmin = await createSignedInStaff({ role: "ADMIN" });
    const serviceName = `late-${stolen.id.slice(0, 8)}`;

    const post = slowFormPost("http://firebreak.test/admin/service-tokens", token, {
      intent: "create",
      serviceName,
      description: "issued after the disable",
      validDays: "365",
      formId: "create",
    });
    const answer = serviceTokensAction({ request: post.request, params: {}, context: {} } as ActionFunctionArgs).then(
      (value) => ({ value }),
      (thrown: unknown) => ({ thrown }),
    );
    // An answer before the form is read means the guard refused the request: the case would test nothing.
    const first = await Promise.race([post.guardPassed.then(() => "reading form"), answer.then(() => "answered")]);
    expect(first).toBe("reading form");
    await revoke(otherAdmin, stolen.id);
    post.release();
    const settled = await answer;

    expect(await prisma.serviceToken.count({ where: { serviceName } })).toBe(0);
    expect(JSON.stringify(settled)).not.toContain("fbk_svc_");
    const attempts = await prisma.auditEvent.findMany({
      where: { actorId: stolen.id, action: "service-token.create" },
      select: { outcome: true },
    });
    expect(attempts.map((row) => row.outcome)).toEqual(["DENIED"]);
  });
});
