// While PostgreSQL refuses connections, every route of the console — each page, its data request and its action, as
// the member who may use it and as a stranger — answers 503 with the clear message in the browser's language (or
// refuses or redirects before it needs the database), never a 500 and never a stack; and the console serves again by
// itself once the database is back. The route list comes from app/routes, so a new route is swept without listing it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import en from "~/i18n/locales/en/common";
import ja from "~/i18n/locales/ja/common";
import { HttpClient, startHttpApp, type TestHttpApp } from "../support/http-app";
import { consoleRoutes, routeFiles } from "../support/route-files";
import { dataPath } from "../support/single-fetch";
import { createStaff, signIn, stepUp, type StaffClient } from "../support/staff";
import { bringTestDatabaseBack, takeTestDatabaseAway } from "../support/postgres-admin";

const onPostgres = process.env.FIREBREAK_TEST_DB === "postgresql";
// Event streams answer with headers at once and then stay open: their status is all this sweep reads.
const ANSWER_WITHIN_MS = 15_000;

let app: TestHttpApp;
let lead: StaffClient;
let admin: StaffClient;
let stranger: HttpClient;

beforeAll(async () => {
  if (!onPostgres) return;
  app = await startHttpApp();
  lead = await signIn(app, await createStaff({ role: "SECURITY_LEAD" }));
  await stepUp(lead);
  admin = await signIn(app, await createStaff({ role: "ADMIN" }));
  await stepUp(admin);
  stranger = new HttpClient(app);
});
afterAll(() => app?.close());

/** What is wrong with an answer given while the database is away; null when it is one of the acceptable answers. */
async function problemWith(response: Response, language: "en" | "ja"): Promise<string | null> {
  const controller = response.body;
  if (response.status === 503) {
    const text = await response.text();
    const message = (language === "ja" ? ja : en).errorPage.databaseAway.slice(0, 20);
    if (!text.includes(message)) return `503 without the clear message: ${JSON.stringify(text.slice(0, 200))}`;
    if (/\n\s+at /.test(text)) return "503 with a stack";
    return null;
  }
  await controller?.cancel();
  if (response.status >= 500) return `${response.status}`;
  return null;
}

describe.skipIf(!onPostgres)("every route while the database is away (PostgreSQL)", () => {
  it("answers 503 with the clear message or refuses without it, never 500; serves again once it is back", async () => {
    const problems: string[] = [];
    const send = async (label: string, language: "en" | "ja", request: () => Promise<Response>) => {
      try {
        const problem = await problemWith(await request(), language);
        if (problem) problems.push(`${label} → ${problem}`);
      } catch (error) {
        problems.push(`${label} → no answer (${error instanceof Error ? error.message : String(error)})`);
      }
    };
    expect((await lead.get("/")).status).toBe(200);
    let swept = 0;
    try {
      await takeTestDatabaseAway();
      for (const { url, routeId, member } of consoleRoutes<HttpClient>({ lead, admin, stranger })) {
        for (const [client, who] of [
          [member, "member"],
          [stranger, "stranger"],
        ] as const) {
          for (const language of ["en", "ja"] as const) {
            const init = { signal: AbortSignal.timeout(ANSWER_WITHIN_MS), headers: { "accept-language": language } };
            const label = `${who} ${language} ${url}`;
            await send(`GET ${label}`, language, () => client.request(url, init));
            await send(`GET ${label} (data)`, language, () => client.request(dataPath(url, [routeId]), init));
            await send(`POST ${label}`, language, () =>
              client.request(url, {
                ...init,
                method: "POST",
                body: new URLSearchParams({ intent: "engage", key: "topup.all", reason: "x" }),
                headers: { ...init.headers, "content-type": "application/x-www-form-urlencoded" },
              }),
            );
            swept += 1;
          }
        }
      }
    } finally {
      await bringTestDatabaseBack();
    }
    expect(swept).toBe(routeFiles.length * 4);
    expect(problems).toEqual([]);
    // Back by itself: the same member's session works again, without a restart.
    expect((await lead.get("/accounts")).status).toBe(200);
    expect((await admin.get("/admin/service-tokens")).status).toBe(200);
  });
});
