// "No 500 for anything a user can type", checked across the whole console rather than route by route: every route in
// app/routes is requested over HTTP with hostile path segments, query strings and form bodies (NUL bytes, numbers too
// large for any column, unparsable dates, inverted ranges, injection text, invalid UTF-8, very long values) by a
// stepped-up security lead (the role that reaches the most routes), a stepped-up admin on the admin pages, and a
// stranger on the sign-in flow. Each answer may refuse, redirect or say "not found", but never fail with a 5xx. New
// routes are picked up from the file system automatically, and every field of every form the pages render (read from
// their HTML, on pages about real records) is swept on its own, so a new field or form is covered without listing it.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { MAX_BODY_BYTES } from "../../scripts/lib/http-server";
import { expectConsoleErrors } from "../support/console-errors";
import { createTestCustomer } from "../support/customers";
import { HttpClient, startHttpApp, type TestHttpApp } from "../support/http-app";
import { buy, createStore, topUp } from "../support/ledger-fixtures";
import { createIncident, createVictim } from "../support/notify-fixtures";
import { renderedForms, type RenderedForm } from "../support/rendered-forms";
import { routeFiles, routeName, urlPathOf } from "../support/route-files";
import { dataPath } from "../support/single-fetch";
import { createStaff, signIn, stepUp, type StaffClient } from "../support/staff";

// Routes whose side effects would end the test's own session or move the server's test clock; the alert banner's
// event stream, which by design never ends; and step-up, whose wrong codes would block the lead's second factor.
const NOT_REQUESTED = new Set(["sign-out", "test-clock", "alerts.stream"]);
const NOT_POSTED = new Set([...NOT_REQUESTED, "step-up"]);
// Routes whose POST is the sign-in flow itself: posted by the stranger, so throttles do not lock the lead out.
const SIGN_IN_FLOW = /^(sign-in|invite|reset-password)/;

const HOSTILE_VALUES = [
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
const HOSTILE_BODY_VALUES = HOSTILE_VALUES.map((value) => (value.length > 2_000 ? value.slice(0, 2_000) : value));
// The values most likely to reach the database unchecked, sent one field at a time.
const SINGLE_FIELD_VALUES = ["a\u0000b", "99999999999999999999999999", "2019-02-30T25:61"];
// A query parameter a page reads is cheap to sweep on its own: pagination and sort values too.
const QUERY_FIELD_VALUES = [...SINGLE_FIELD_VALUES, "-1", "1e309", "evil", "a".repeat(20_000)];
const HOSTILE_PATH_SEGMENTS = [
  "not-a-uuid",
  "00000000-0000-0000-0000-000000000000",
  "%00",
  "%ED%A0%80", // a UTF-8 encoded lone surrogate: invalid
  "-1",
  "a".repeat(600),
];
// Every name a console form or filter uses somewhere, so each route finds the fields it parses.
const FIELD_NAMES = [
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

const ACTION = /export (async )?function action|export const action/;

/** Every intent a console form can send: the schemas' literals, the named constants and the buttons' values. */
function collectIntents(): string[] {
  const found = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(tsx?|ts)$/.test(entry.name) && !full.includes("generated")) {
        const source = readFileSync(full, "utf8");
        for (const pattern of [/intent: z\.literal\("([a-z-]+)"\)/g, /INTENT = "([a-z-]+)"/g, /value="([a-z-]+)"/g]) {
          for (const match of source.matchAll(pattern)) found.add(match[1]!);
        }
      }
    }
  };
  walk(path.resolve("app"));
  return [...found].sort();
}
const INTENTS = collectIntents();

/** A module and every app module it imports, directly or not (relative and `~/` imports). */
function importClosure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const match of readFileSync(file, "utf8").matchAll(/(?:from|import)\s*\(?\s*"(~\/[^"]+|\.{1,2}\/[^"]+)"/g)) {
    const spec = match[1]!;
    const base = spec.startsWith("~/") ? path.resolve("app", spec.slice(2)) : path.resolve(path.dirname(file), spec);
    const found = [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts"), path.join(base, "index.tsx")].find(
      (candidate) => /\.tsx?$/.test(candidate) && existsSync(candidate),
    );
    if (found) importClosure(found, seen);
  }
  return seen;
}

/**
 * The intents a route's action can tell apart: those whose name its code (the route module and everything it imports)
 * mentions at all, as a string, a constant or an object key. Any other intent fails every comparison the action makes,
 * so it takes the one "unknown intent" path: each route gets one such intent (a different one per route, so that
 * every intent is still sent), not all of them.
 */
function intentsFor(file: string, routeIndex: number): string[] {
  const code = [...importClosure(path.resolve("app/routes", file))].map((f) => readFileSync(f, "utf8")).join("\n");
  const mentioned = (intent: string) => new RegExp(`(?<![\\w-])${intent}(?![\\w-])`).test(code);
  const known = INTENTS.filter(mentioned);
  const foreign = INTENTS.filter((intent) => !mentioned(intent));
  return foreign.length > 0 ? [...known, foreign[routeIndex % foreign.length]!] : known;
}

// Only app/lib/form.server.ts reads a posted form, and it refuses a form with a NUL in any field before the action
// sees it (findHostileFormEntry): with a NUL in every field, an action that reads its body only through it cannot tell
// one intent from another. A route whose code reads a body some other way gets every intent with a NUL too.
const FORM_READER = path.resolve("app/lib/form.server.ts");
const READS_A_BODY = /\.(formData|text|json|arrayBuffer|blob)\(\)/;
function readsBodyOnlyThroughFormReader(file: string): boolean {
  return [...importClosure(path.resolve("app/routes", file))].every(
    (module) => module === FORM_READER || !READS_A_BODY.test(readFileSync(module, "utf8")),
  );
}

const SOME_ID = "00000000-0000-0000-0000-000000000000";
// Thousands of requests per sweep: about a minute on an idle machine, several on a busy one.
const SWEEP_TIMEOUT_MS = 10 * 60 * 1000;

/** Every route a GET may be sent to without ending the session or moving the clock, with its URL and route id. */
const pages = routeFiles
  .filter((file) => !NOT_REQUESTED.has(routeName(file)))
  .map((file) => ({ url: urlPathOf(file, SOME_ID), routeId: `routes/${routeName(file)}` }));

/** Every route with an action, with the client whose permissions let a POST reach it. */
function actionRoutes() {
  return routeFiles
    .filter((file) => !NOT_POSTED.has(routeName(file)))
    .filter((file) => ACTION.test(readFileSync(path.resolve("app/routes", file), "utf8")))
    .map((file, index) => {
      const name = routeName(file);
      const client = SIGN_IN_FLOW.test(name) ? stranger : name.startsWith("admin") ? admin : lead;
      return {
        url: urlPathOf(file, SOME_ID),
        client,
        intents: intentsFor(file, index),
        formReaderOnly: readsBodyOnlyThroughFormReader(file),
      };
    });
}

// Forms that end the sweep's own session, move the test clock, or spend the lead's second factor.
const FORMS_NOT_POSTED = /^\/(sign-out|test-clock|step-up)/;
// A UUID a form carries (a record's id): the place where a non-UUID reached a uuid column.
const UUID_VALUE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Per field: NUL (the value that reached the database), a non-UUID where the form carries one, and two more taken in
// turn from the hostile list, so that across the fields every value is sent. The full cross product (every field ×
// every value × every intent) would be tens of thousands of requests per database mode.
const SAMPLED_PER_FIELD = 2;
// Record ids in an action's path, replaced so that one table's rows count as one form.
const UUID_RE_GLOBAL = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

function sampledValues(fieldIndex: number, renderedValue: string): string[] {
  const values = ["a\u0000b"];
  if (UUID_VALUE.test(renderedValue)) values.push("not-a-uuid", "a".repeat(2_000));
  for (let k = 0; k < SAMPLED_PER_FIELD; k += 1) {
    values.push(HOSTILE_BODY_VALUES[(fieldIndex * SAMPLED_PER_FIELD + k) % HOSTILE_BODY_VALUES.length]!);
  }
  return values;
}

/** Pages about real records, so that the forms that only show for one (a charge to reverse, a notice) render too. */
async function seededPages(): Promise<string[]> {
  const customer = await createTestCustomer(prisma);
  const store = await createStore(prisma);
  await topUp(prisma, customer, 30_000);
  const purchaseId = await buy(prisma, customer, store, 12_000);
  const incident = await createIncident("CONTAINED");
  const victim = await createVictim(incident.id);
  const id = customer.customer.id;
  const compose = new URLSearchParams({
    incident: incident.id,
    template: "incident-update",
    target: "selected",
    customers: victim.displayId,
  });
  return [
    `/accounts/${id}`,
    `/accounts/${id}/reverse?charge=${purchaseId}`,
    `/accounts/${id}/recovery`,
    `/accounts/${victim.id}`,
    `/notifications?${compose}`,
  ];
}

/** Every post form the console renders to someone who may use it: each page fetched as the client that can see it. */
async function discoverForms(): Promise<{ form: RenderedForm; client: HttpClient; page: string }[]> {
  const staticPages = routeFiles
    .filter((file) => !file.includes("$") && !NOT_REQUESTED.has(routeName(file)) && !file.startsWith("api."))
    .map((file) => urlPathOf(file, SOME_ID));
  const found = new Map<string, { form: RenderedForm; client: HttpClient; page: string }>();
  for (const page of [...staticPages, ...(await seededPages())]) {
    const name = page.slice(1);
    const client = SIGN_IN_FLOW.test(name) ? stranger : name.startsWith("admin") ? admin : lead;
    const response = await client.get(page);
    if (response.status !== 200 || !response.headers.get("content-type")?.includes("text/html")) {
      await response.arrayBuffer();
      continue;
    }
    for (const form of renderedForms(await response.text(), page)) {
      if (FORMS_NOT_POSTED.test(form.action)) continue;
      // One of each kind: the rows of a table render the same form for each record.
      const kind = `${form.action.replace(UUID_RE_GLOBAL, ":id")} ${Object.keys(form.fields).sort().join(",")}`;
      if (!found.has(kind)) found.set(kind, { form, client, page });
    }
  }
  return [...found.values()];
}

let app: TestHttpApp;
let lead: StaffClient;
let admin: StaffClient;
let stranger: HttpClient;

beforeAll(async () => {
  app = await startHttpApp();
  lead = await signIn(app, await createStaff({ role: "SECURITY_LEAD" }));
  await stepUp(lead);
  admin = await signIn(app, await createStaff({ role: "ADMIN" }));
  await stepUp(admin);
  stranger = new HttpClient(app);
});
afterAll(() => app?.close());

// Collected rather than thrown, so one run lists every failing route and value.
let serverErrors: string[] = [];

async function expectNoServerError(client: HttpClient, label: string, send: () => Promise<Response>) {
  try {
    const response = await send();
    await response.arrayBuffer();
    if (response.status >= 500) serverErrors.push(`${label} → ${response.status}`);
  } catch (error) {
    serverErrors.push(`${label} → no answer (${error instanceof Error ? (error.cause ?? error.message) : error})`);
  }
}

beforeEach(() => {
  serverErrors = [];
});
afterEach(() => {
  expect(serverErrors).toEqual([]);
});

// The query parameters the console reads by name while a request runs, recorded on URLSearchParams (the loaders read
// `new URL(request.url).searchParams`). Requests in this file are sent one at a time, so a read belongs to the request
// in flight.
let queryReads: Set<string> | null = null;
const ALL_PARAMETERS = "*";
const searchParamsMethods = URLSearchParams.prototype as unknown as Record<
  PropertyKey,
  (...args: unknown[]) => unknown
>;
const unpatchedMethods = new Map<PropertyKey, (...args: unknown[]) => unknown>();
beforeAll(() => {
  const byName = ["get", "getAll", "has"];
  // Walking or serialising the parameters reads them all.
  const whole: PropertyKey[] = ["entries", "keys", "values", "forEach", "toString", Symbol.iterator];
  for (const method of [...byName, ...whole]) {
    const original = searchParamsMethods[method]!;
    unpatchedMethods.set(method, original);
    searchParamsMethods[method] = function recorded(this: unknown, ...args: unknown[]) {
      queryReads?.add(byName.includes(method as string) ? String(args[0]) : ALL_PARAMETERS);
      return original.apply(this, args);
    };
  }
});
afterAll(() => {
  for (const [method, original] of unpatchedMethods) searchParamsMethods[method] = original;
});

/**
 * Every parameter name a GET of `url` with no query string reads, whether FIELD_NAMES lists it or not (plus all of
 * FIELD_NAMES if it walks the parameters): a page that starts reading a new parameter has it swept without a list.
 */
async function fieldsReadBy(url: string): Promise<string[]> {
  const reads = new Set<string>();
  queryReads = reads;
  try {
    await expectNoServerError(lead, `GET ${url}`, () => lead.get(url));
  } finally {
    queryReads = null;
  }
  const named = [...reads].filter((name) => name !== ALL_PARAMETERS);
  return reads.has(ALL_PARAMETERS) ? [...new Set([...FIELD_NAMES, ...named])] : named;
}

function hostileQuery(value: string): string {
  const params = new URLSearchParams();
  for (const name of FIELD_NAMES) params.set(name, value);
  return params.toString();
}

describe("hostile input never produces a 5xx", () => {
  it("in a path segment of every dynamic route", async () => {
    for (const file of routeFiles.filter((f) => f.includes("$"))) {
      for (const segment of HOSTILE_PATH_SEGMENTS) {
        const url = urlPathOf(file, segment);
        for (const client of [lead, stranger]) {
          await expectNoServerError(client, `GET ${url}`, () => client.get(url));
        }
      }
    }
  });

  it("in the query string of every page", { timeout: SWEEP_TIMEOUT_MS }, async () => {
    for (const { url, routeId } of pages) {
      for (const value of HOSTILE_VALUES) {
        const query = hostileQuery(value);
        const label = `GET ${url} ${JSON.stringify(value.slice(0, 20))}`;
        await expectNoServerError(lead, label, () => lead.get(`${url}?${query}`));
        // The data request a client-side navigation makes runs the same loader through another path.
        await expectNoServerError(lead, `${label} (data)`, () => lead.get(dataPath(`${url}?${query}`, [routeId])));
      }
    }
  });

  // A request whose only parameter is one the page never reads by name runs exactly as the request without it (each read
  // before returns the same "absent"), except where the page passes the raw query on (a return link, a log line): so
  // per page the parameters it reads are each swept, and one that it does not (a different one per page, so that
  // every name is sent) stands for the rest.
  it(
    "in any one query parameter on its own (so no route refuses the rest first)",
    { timeout: SWEEP_TIMEOUT_MS },
    async () => {
      const readSomewhere = new Set<string>();
      for (const [index, { url }] of pages.entries()) {
        const read = await fieldsReadBy(url);
        for (const field of read) readSomewhere.add(field);
        const unread = FIELD_NAMES.filter((name) => !read.includes(name));
        const fields = unread.length > 0 ? [...read, unread[index % unread.length]!] : read;
        for (const field of fields) {
          for (const value of QUERY_FIELD_VALUES) {
            const query = new URLSearchParams({ [field]: value }).toString();
            await expectNoServerError(lead, `GET ${url}?${field}=${JSON.stringify(value.slice(0, 20))}`, () =>
              lead.get(`${url}?${query}`),
            );
          }
          // The same parameter twice, where the page expects one value.
          const repeated = new URLSearchParams([
            [field, "1"],
            [field, "a\u0000b"],
          ]).toString();
          await expectNoServerError(lead, `GET ${url}?${field}=1&${field}=…`, () => lead.get(`${url}?${repeated}`));
        }
      }
      // The reads were seen: the audit search and the caller search read their filters by name, and parameters no
      // list names (the charge to reverse, the recovery link's account) are found by reading.
      for (const field of ["q", "actor", "from", "to", "charge", "account"]) expect(readSomewhere).toContain(field);
    },
  );

  it("in the form body of every action", { timeout: SWEEP_TIMEOUT_MS }, async () => {
    for (const { url, client } of actionRoutes()) {
      for (const value of HOSTILE_BODY_VALUES) {
        const form = Object.fromEntries(FIELD_NAMES.map((field) => [field, value]));
        await expectNoServerError(client, `POST ${url} ${JSON.stringify(value.slice(0, 20))}`, () =>
          client.post(url, form),
        );
      }
    }
  });

  it("in every field beside each intent a form can name (past the intent)", { timeout: SWEEP_TIMEOUT_MS }, async () => {
    // Step-up lasts five minutes and the passes before this one can take longer on a busy machine: without a fresh
    // one, the step-up actions would stop at the step-up check and their hostile values would never reach a parser.
    await stepUp(lead);
    await stepUp(admin);
    const sent = new Set<string>();
    let turn = 0;
    for (const { url, client, intents, formReaderOnly } of actionRoutes()) {
      for (const value of SINGLE_FIELD_VALUES) {
        const intentBlind = formReaderOnly && value.includes("\u0000");
        for (const intent of intentBlind ? [intents[turn++ % intents.length]!] : intents) {
          sent.add(intent);
          const form = { ...Object.fromEntries(FIELD_NAMES.map((field) => [field, value])), intent };
          const label = `POST ${url} intent=${intent} ${JSON.stringify(value.slice(0, 20))}`;
          await expectNoServerError(client, label, () => client.post(url, form));
        }
      }
    }
    // Every intent was sent somewhere, and the routes' own intents were found (a test that cannot fail is a defect).
    expect([...sent].sort()).toEqual(INTENTS);
    const killSwitches = actionRoutes().find(({ url }) => url === "/kill-switches")!;
    expect(killSwitches.intents.length).toBeGreaterThan(2);
    expect(killSwitches.formReaderOnly).toBe(true);
    // The service API reads its body itself: it gets every intent with a NUL as well.
    expect(actionRoutes().find(({ url }) => url === "/api/v1/kill-switches/ack")!.formReaderOnly).toBe(false);
  });

  it(
    "in every field of every form the pages render, one field at a time, and each field twice",
    { timeout: SWEEP_TIMEOUT_MS },
    async () => {
      // Some forms render only after a step-up (service tokens, staff), which lasts five minutes: the passes before this
      // one can take longer than that on a busy machine, so step up again right before reading the pages.
      await stepUp(lead);
      await stepUp(admin);
      // A select sent twice is refused (400) and the form shown again with what was sent, an array: React's development
      // build warns that a single select's value should be one value. The production build says nothing.
      expectConsoleErrors(/The `defaultValue` prop supplied to <select> must be a scalar value/);
      const forms = await discoverForms();
      const swept = new Set<string>();
      for (const { form, client, page } of forms) {
        // Each named button is a way to send the form (an intent); a form without one is sent as it is.
        const variants = form.buttons.length > 0 ? form.buttons : [null];
        // A form that names its intent on a button, sent without any (a script, a keyboard submit in an old browser).
        if (form.buttons.length > 0) {
          await expectNoServerError(client, `POST ${form.action} (form on ${page}) without an intent`, () =>
            client.post(form.action, form.fields),
          );
        }
        for (const button of variants) {
          const base = button ? { ...form.fields, [button.name]: button.value } : { ...form.fields };
          for (const field of Object.keys(base)) {
            swept.add(`${form.action.split("?")[0]!.replace(UUID_RE_GLOBAL, ":id")} ${field}`);
          }
          let index = 0;
          for (const field of Object.keys(base)) {
            for (const value of sampledValues(index, base[field]!)) {
              const label = `POST ${form.action} (form on ${page}) ${field}=${JSON.stringify(value.slice(0, 20))}`;
              await expectNoServerError(client, label, () => client.post(form.action, { ...base, [field]: value }));
            }
            // The field twice (an array where the form sends one value), the rendered value first.
            const repeated = new URLSearchParams([...Object.entries(base), [field, "x"]]);
            await expectNoServerError(client, `POST ${form.action} (form on ${page}) ${field} twice`, () =>
              client.request(form.action, {
                method: "POST",
                body: repeated,
                headers: { "content-type": "application/x-www-form-urlencoded" },
              }),
            );
            index += 1;
          }
        }
      }
      // The discovery found the forms the audit's 500s came from (a test that cannot fail is a defect).
      for (const expected of [
        "/accounts/:id/reverse note",
        "/accounts/:id/reverse reasonCode",
        "/notifications customers",
        "/admin/service-tokens description",
      ]) {
        expect([...swept]).toContain(expected);
      }
    },
  );

  it("in a body of another type than a form's, or a malformed one", async () => {
    const bodies: [string, string][] = [
      ["application/json", '{"intent":"engage","key":"topup.all"}'],
      ["multipart/form-data; boundary=x", '--x\r\nContent-Disposition: form-data; name="intent"\r\n\r\nengage'],
      ["multipart/form-data", "no boundary at all"],
      ["text/plain", "intent=engage"],
      ["application/x-www-form-urlencoded", "%E0%A4%A=1&intent=%"],
    ];
    for (const { url, client } of actionRoutes()) {
      for (const [type, body] of bodies) {
        await expectNoServerError(client, `POST ${url} as ${type}`, () =>
          client.request(url, { method: "POST", body, headers: { "content-type": type } }),
        );
      }
    }
  });

  it("in the old `?_data` parameter, which Remix still reads: answered, never a 5xx or an error in the log", async () => {
    for (const value of ["routes/accounts._index", "root", "evil", "a\u0000b"]) {
      const query = new URLSearchParams({ _data: value }).toString();
      for (const client of [lead, stranger]) {
        await expectNoServerError(client, `GET /accounts?_data=${JSON.stringify(value)}`, () =>
          client.get(`/accounts?${query}`),
        );
      }
    }
  });

  it("in a body larger than any form: refused with 413 before it is read, and the connection closed", async () => {
    const response = await lead.request("/reversals/bulk", {
      method: "POST",
      body: new URLSearchParams({ customers: "a".repeat(MAX_BODY_BYTES) }),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(response.status).toBe(413);
    expect(response.headers.get("connection")).toBe("close");
    expect(await response.text()).toContain("Request too large");
    // The next request is answered as usual.
    expect((await lead.get("/")).status).toBe(200);
  });
});
