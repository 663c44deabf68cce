// The bulk freeze's confirmation form carries the bulk reversal's dry run as JSON in a hidden field. The route reads it
// with the domain's own schema of a dry run: a body that is not JSON, has the wrong shape or carries anything more is
// answered 400 with the form's message, freezes nothing, queues no job and never reaches the domain (no audit row).
import type { ActionFunctionArgs } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { createStaffSession } from "~/auth/session.server";
import { prisma } from "~/db.server";
import { BULK_FREEZE_KIND, BULK_FREEZE_START, previewBulkFreeze } from "~/jobs/bulk-freeze.server";
import { action } from "~/routes/reversals.bulk_.freeze";
import { createIncident, createStore, createVictim } from "../support/ledger-fixtures";
import { createStaff, type TestStaff } from "../support/staff";

const OPENED = new Date("2019-07-01T00:00:00Z");
const UNTIL = new Date("2019-07-31T00:00:00Z");

async function steppedUpTokenFor(member: TestStaff): Promise<string> {
  const { token } = await prisma.$transaction((tx) =>
    createStaffSession(tx, member.id, "FULL", { ip: "203.0.113.41", userAgent: "vitest" }, { steppedUp: true }),
  );
  return token;
}

/** An incident with two accounts nobody secured, and the form the freeze page renders for its dry run. */
async function renderedForm() {
  const incident = await createIncident(prisma, OPENED);
  const store = await createStore(prisma);
  const victims = [];
  for (let k = 0; k < 2; k++) {
    victims.push((await createVictim(prisma, incident, store, { topUps: [10_000], purchases: [4_000] })).customer.id);
  }
  const reversal = {
    scope: { kind: "incident" as const, incidentId: incident.id },
    since: OPENED.toISOString(),
    until: UNTIL.toISOString(),
    reasonCode: "FRAUDULENT",
    note: null,
  };
  const preview = await previewBulkFreeze(reversal);
  return {
    victims,
    reversal,
    form: {
      reversal: JSON.stringify(reversal),
      digest: preview.digest,
      idempotencyKey: `bulk-freeze-${crypto.randomUUID()}`,
      reason: "未保護アカウントの一括凍結",
    },
  };
}

async function post(token: string, form: Record<string, string>) {
  const request = new Request("http://firebreak.test/reversals/bulk/freeze", {
    method: "POST",
    headers: {
      cookie: `firebreak_session=${token}`,
      "content-type": "application/x-www-form-urlencoded",
      "accept-language": "en",
      "x-forwarded-for": "203.0.113.41",
    },
    body: new URLSearchParams(form).toString(),
  });
  const answer = await action({ request, params: {}, context: {} } as ActionFunctionArgs);
  if (answer instanceof Response) return { status: answer.status, error: null };
  const reply = answer as unknown as { data: { error?: string }; init: { status?: number } | null };
  return { status: reply.init?.status ?? 200, error: reply.data.error ?? null };
}

describe("the bulk freeze's confirmation, sent with a dry run it cannot read", () => {
  it("is refused 400 with the form's message for every malformed dry run, and nothing is frozen or audited", async () => {
    const lead = await createStaff({ role: "SECURITY_LEAD", language: "en" });
    const token = await steppedUpTokenFor(lead);
    const { victims, reversal, form } = await renderedForm();
    const malformed: Record<string, string> = {
      "not JSON": "{scope: incident",
      "JSON null": "null",
      "an array": JSON.stringify([reversal]),
      "no scope": JSON.stringify({ ...reversal, scope: undefined }),
      "an unknown scope kind": JSON.stringify({ ...reversal, scope: { kind: "everyone" } }),
      "a scope id that is not a UUID": JSON.stringify({ ...reversal, scope: { kind: "incident", incidentId: "1" } }),
      "a window bound that is a number": JSON.stringify({ ...reversal, since: 1561939200000 }),
      "a window bound that is not a date": JSON.stringify({ ...reversal, until: "yesterday" }),
      "no reason code": JSON.stringify({ ...reversal, reasonCode: "" }),
      "a note that is an object": JSON.stringify({ ...reversal, note: { text: "x" } }),
      "an extra field": JSON.stringify({ ...reversal, frozenBy: "someone else" }),
      "an extra field in the scope": JSON.stringify({ ...reversal, scope: { ...reversal.scope, cohortId: "x" } }),
    };
    const answers: Record<string, { status: number; error: string | null }> = {};
    for (const [name, body] of Object.entries(malformed))
      answers[name] = await post(token, { ...form, reversal: body });
    for (const name of Object.keys(malformed)) {
      expect(answers[name], name).toEqual({
        status: 400,
        error: "Run the dry run again: this confirmation is incomplete.",
      });
    }

    expect(await prisma.bulkJob.count({ where: { kind: BULK_FREEZE_KIND, createdById: lead.id } })).toBe(0);
    expect(await prisma.auditEvent.count({ where: { action: BULK_FREEZE_START, actorId: lead.id } })).toBe(0);
    const statuses = await prisma.customer.findMany({ where: { id: { in: victims } }, select: { status: true } });
    expect(statuses.map((row) => row.status)).toEqual(["ACTIVE", "ACTIVE"]);

    // The form as the page rendered it is still taken: the job is queued.
    expect((await post(token, form)).status).toBe(302);
    expect(await prisma.bulkJob.count({ where: { kind: BULK_FREEZE_KIND, createdById: lead.id } })).toBe(1);
  });
});
