// The machinery of the hostile-input sweep ("no 500 for anything a user can type", checked across the whole console):
// the hostile values, the field names and intents the console's forms use, the session the sweep runs in (a stepped-up
// security lead, a stepped-up admin, a stranger) and each pass over the routes. The passes are split across the files
// tests/integration/hostile-input*-http.test.ts so that the suite's workers run them side by side; each file runs the
// passes it names, in a session of its own. A pass plans its requests from the whole route list and sends the part a
// file asks for (`Shard`), so that a pass split over several files sends exactly the requests it sends whole.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, expect } from "vitest";
import { HttpClient, startHttpApp, type TestHttpApp } from "./http-app";
import { consoleRoutes, routeFiles, type RouteCallers } from "./route-files";
import { createStaff, signIn, stepUp, type StaffClient } from "./staff";
import { INTENTS, intentsFor, readsBodyOnlyThroughFormReader } from "./hostile-input-intents";

export { INTENTS };

// Routes whose side effects would end the test's own session or move the server's test clock; the alert banner's
// event stream, which by design never ends; and step-up, whose wrong codes would block the lead's second factor.
export const NOT_REQUESTED = new Set(["sign-out", "test-clock", "alerts.stream"]);
const NOT_POSTED = new Set([...NOT_REQUESTED, "step-up"]);

export const HOSTILE_VALUES = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "-1",
  "0",
  "1e309",
  "99999999999999999999999999",
  "NaN",
  "2019-02-30T25:61",
  "9999-12-31T23:59",
  "' OR 1=1 --",
  '<script>alert("x")</script>',
  '=HYPERLINK("http://evil.example")',
  "../../etc/passwd",
  "\uD800",
  "😀".repeat(300),
  "a".repeat(20_000),
];
// In a form every field gets the value: 2,000 characters in each of them is already a 90 KB body. (Far larger bodies
// sent to a route that answers without reading them, a 405 say, end in a connection reset inside the test's HTTP
// client, a transport detail rather than the application's answer.)
export const HOSTILE_BODY_VALUES = HOSTILE_VALUES.map((value) =>
  value.length > 2_000 ? value.slice(0, 2_000) : value,
);
// The values most likely to reach the database unchecked, sent one field at a time.
export const SINGLE_FIELD_VALUES = ["a\u0000b", "99999999999999999999999999", "2019-02-30T25:61"];
// A query parameter a page reads is cheap to sweep on its own: pagination and sort values too.
export const QUERY_FIELD_VALUES = [...SINGLE_FIELD_VALUES, "-1", "1e309", "evil", "a".repeat(20_000)];
export const HOSTILE_PATH_SEGMENTS = [
  "not-a-uuid",
  "00000000-0000-0000-0000-000000000000",
  "%00",
  "%ED%A0%80", // a UTF-8 encoded lone surrogate: invalid
  "-1",
  "a".repeat(600),
];
// Every name a console form or filter uses somewhere, so each route finds the fields it parses.
export const FIELD_NAMES = [
  "q",
  "page",
  "cursor",
  "before",
  "after",
  "from",
  "to",
  "actor",
  "role",
  "action",
  "target",
  "targetId",
  "outcome",
  "incident",
  "status",
  "kind",
  "intent",
  "reason",
  "amount",
  "key",
  "releaseAt",
  "requestId",
  "code",
  "email",
  "password",
  "template",
  "locale",
  "customerIds",
  "cohortId",
  "definition",
  "name",
  "field",
  "value",
  "evidence",
  "note",
  "assignee",
  "format",
  "limit",
  "redirectTo",
  "token",
  "instance",
  "serviceName",
  "displayName",
  "expectedCount",
];

// Thousands of requests per pass: about a minute on an idle machine, several on a busy one.
export const SWEEP_TIMEOUT_MS = 10 * 60 * 1000;

/** One part of the routes, for a file that sweeps only those: each route whose place in app/routes leaves `part`
 * when divided by `of`. (By route, not by request: a page that is costly to render once, such as /policies with its
 * backtest, is then rendered in one process, not in every part.) */
export interface Shard {
  part: number;
  of: number;
}
export const WHOLE: Shard = { part: 0, of: 1 };
export const inShard = (file: string, shard: Shard) => routeFiles.indexOf(file) % shard.of === shard.part;

const ACTION = /export (async )?function action|export const action/;

export interface HostileInputSession extends RouteCallers<HttpClient> {
  app: TestHttpApp;
  lead: StaffClient;
  admin: StaffClient;
  /** When the lead and the admin last stepped up (ms, this process's clock). */
  steppedUpAt: number;
}

let session: HostileInputSession | undefined;

/** The file's session: the server and its three callers, ready once the file's beforeAll has run. */
export function sweepSession(): HostileInputSession {
  if (!session) throw new Error("registerSweepSession() was not called in this file");
  return session;
}

// Collected rather than thrown, so one run lists every failing route and value.
let serverErrors: string[] = [];

/**
 * Registers the hooks of a file of the sweep: the server and its callers for the whole file, and after each test the
 * check that no request it sent was answered with a 5xx (or not at all).
 */
export function registerSweepSession(): void {
  beforeAll(async () => {
    const app = await startHttpApp();
    const lead = await signIn(app, await createStaff({ role: "SECURITY_LEAD" }));
    await stepUp(lead);
    const admin = await signIn(app, await createStaff({ role: "ADMIN" }));
    await stepUp(admin);
    session = { app, lead, admin, stranger: new HttpClient(app), steppedUpAt: Date.now() };
  });
  afterAll(() => session?.app.close());
  beforeEach(() => {
    serverErrors = [];
  });
  afterEach(() => {
    expect(serverErrors).toEqual([]);
  });
}

/**
 * Steps the lead and the admin up again unless they did within the last minute. A step-up lasts five minutes, and the
 * passes before can take longer on a busy machine; within a minute of the last one there is no unused TOTP step left
 * to give (sign-in and step-up took the window's two), and the last step-up still has four minutes to run.
 */
export async function refreshSweepStepUp(): Promise<void> {
  const current = sweepSession();
  if (Date.now() - current.steppedUpAt < 60_000) return;
  await stepUp(current.lead);
  await stepUp(current.admin);
  current.steppedUpAt = Date.now();
}

/** Sends a request and records a 5xx, or no answer at all, as a failure of the running test. */
export async function expectNoServerError(label: string, send: () => Promise<Response>): Promise<void> {
  try {
    const response = await send();
    await response.arrayBuffer();
    if (response.status >= 500) serverErrors.push(`${label} → ${response.status}`);
  } catch (error) {
    serverErrors.push(`${label} → no answer (${error instanceof Error ? (error.cause ?? error.message) : error})`);
  }
}

/** Every route a GET may be sent to without ending the session or moving the clock, with its URL and route id. */
export function pages() {
  return consoleRoutes(sweepSession(), { except: NOT_REQUESTED });
}

/** Every route with an action, with the caller whose permissions let a POST reach it and the intents it tells apart. */
export function actionRoutes() {
  return consoleRoutes(sweepSession(), { except: NOT_POSTED })
    .filter(({ file }) => ACTION.test(readFileSync(path.resolve("app/routes", file), "utf8")))
    .map(({ file, url, member }, index) => ({
      file,
      url,
      client: member,
      intents: intentsFor(file, index),
      formReaderOnly: readsBodyOnlyThroughFormReader(file),
    }));
}
