// The console in Japanese on every page: a member of each role whose language is Japanese opens every page of
// app/routes (about real records, and about records that do not exist: the 404s), the pages their role may not open
// (the 403s), and sends every action an empty form (the validation errors), and no English UI word is left in what the
// page shows or reads aloud. Proper nouns and codes are allowed (tests/support/english-words.ts); the records' own
// values are data, not UI. Over real HTTP: run `npx remix build` first.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "~/auth/permissions";
import { prisma } from "~/db.server";
import { createTestCustomer } from "../support/customers";
import { englishWordsIn } from "../support/english-words";
import { startHttpApp, type HttpClient, type TestHttpApp } from "../support/http-app";
import { buy, createStore, topUp } from "../support/ledger-fixtures";
import { createIncident, createVictim } from "../support/notify-fixtures";
import { routeFiles, routeName, SOME_ID, urlPathOf } from "../support/route-files";
import { createStaff, signIn, stepUp } from "../support/staff";

const ROLES: Role[] = ["AGENT", "SECURITY_LEAD", "COMPLIANCE", "ADMIN"];
// Routes that end the session, move the clock, never end, or are not pages (files, streams, the service API, mail).
const NOT_PAGES =
  /^(sign-out|test-clock|alerts\.stream|api\.|audit\.export|audit\.public-key|incidents\.\$incidentId\.live|reports\.breach\.\$reportId\.export|dev\.mail\.\$id\.html|notifications\.preview)/;
// Pages a signed-in member is sent away from (the sign-in flow), and the step-up form, whose wrong code is a lockout step.
const NOT_POSTED = /^(sign-out|test-clock|alerts\.stream|step-up|sign-in|invite|reset-password|api\.)/;
const ACTION = /export (async )?function action|export const action/;

let app: TestHttpApp;
const members = new Map<Role, HttpClient>();
let seededPages: string[] = [];
// What the seeded records hold, shown as stored (a store's name, an incident's title): data, not UI.
const DATA = ["7pay replay (test)", "test incident", "VISA", "Shinjuku"];

beforeAll(async () => {
  app = await startHttpApp();
  for (const role of ROLES) {
    const client = await signIn(app, await createStaff({ role, language: "ja", displayName: "試験 職員" }));
    await stepUp(client);
    members.set(role, client);
  }
  const customer = await createTestCustomer(prisma);
  const store = await createStore(prisma);
  await topUp(prisma, customer, 30_000);
  const purchaseId = await buy(prisma, customer, store, 12_000);
  const incident = await createIncident("CONTAINED");
  const victim = await createVictim(incident.id);
  // A notice skipped before its reasons were kept as keys: the worker's English sentence in an old row.
  await prisma.outboundMessage.create({
    data: {
      dedupeKey: `old-skip-${randomUUID()}`,
      incidentId: incident.id,
      customerId: victim.id,
      template: "charges-reversed",
      language: "ja",
      messageIdHeader: `<${randomUUID()}@firebreak.test>`,
      status: "SKIPPED",
      skipReason: "MISSING_DATA: the notice needs the incident reference; the customer's name",
      nextAttemptAt: new Date(),
    },
  });
  const id = customer.customer.id;
  seededPages = [
    `/accounts/${id}`,
    `/accounts/${id}/reverse?charge=${purchaseId}`,
    `/accounts/${id}/recovery`,
    `/accounts/${victim.id}`,
    `/incidents/${incident.id}`,
    `/incidents/${incident.id}/cases`,
    `/incidents/${incident.id}/timeline`,
    `/incidents/${incident.id}/queries`,
    `/incidents/${incident.id}/report`,
    `/notifications/incidents/${incident.id}`,
    `/notifications?incident=${incident.id}&template=incident-update&target=selected&customers=${victim.displayId}`,
  ];
  DATA.push(store.code, customer.customer.displayId, victim.displayId, incident.code);
});

afterAll(() => app?.close());

/** The English words in an answer, or null when it is not text for a reader (a file, a redirect, data). */
async function englishOn(response: Response): Promise<string[] | null> {
  // A page, or a refusal in plain text (a thrown 400, 403 or 404).
  if (!/text\/(html|plain)/.test(response.headers.get("content-type") ?? "")) {
    await response.arrayBuffer();
    return null;
  }
  return englishWordsIn(await response.text(), DATA);
}

describe("a Japanese member of every role reads no English UI", () => {
  it(
    "on every page, about real records and missing ones, and on the pages their role may not open",
    { timeout: 10 * 60_000 },
    async () => {
      const pages = routeFiles
        .filter((file) => !NOT_PAGES.test(routeName(file)))
        .map((file) => urlPathOf(file, SOME_ID))
        .concat(seededPages);
      const found: string[] = [];
      let checked = 0;
      for (const [role, client] of members) {
        for (const page of pages) {
          const response = await client.get(page, { headers: { "accept-language": "ja" } });
          const status = response.status;
          const words = await englishOn(response);
          if (words === null) continue;
          checked += 1;
          if (words.length > 0) found.push(`${role} GET ${page} (${status}): ${words.join(" ")}`);
        }
      }
      // The old notice's English reason reads in Japanese, each need by name.
      const notices = await (await members.get("SECURITY_LEAD")!.get(seededPages[9]!)).text();
      expect(notices).toContain("インシデントの受付番号、お客様の氏名");
      // The pages were read (a test that cannot fail is a defect).
      expect(checked).toBeGreaterThan(ROLES.length * 20);
      expect(found).toEqual([]);
    },
  );

  it("in the errors an empty form gets from every action", { timeout: 10 * 60_000 }, async () => {
    const actions = routeFiles.filter(
      (file) =>
        !NOT_POSTED.test(routeName(file)) && ACTION.test(readFileSync(path.resolve("app/routes", file), "utf8")),
    );
    const found: string[] = [];
    for (const [role, client] of members) {
      for (const file of actions) {
        const url = urlPathOf(file, SOME_ID);
        for (const form of [{}, { intent: "unknown" }] as Record<string, string>[]) {
          const response = await client.post(url, form, { headers: { "accept-language": "ja" } });
          const words = await englishOn(response);
          if (words && words.length > 0) {
            found.push(`${role} POST ${url} ${JSON.stringify(form)} (${response.status}): ${words.join(" ")}`);
          }
        }
      }
    }
    expect(found).toEqual([]);
  });
});
