// Generated hostile input for every route (tests/integration/form-fuzz-*-http.test.ts): where the hostile-input sweep
// (tests/support/hostile-input.ts) sends a fixed list of values in fixed field names, this one draws whole requests
// with fast-check from a fixed seed: which fields are sent and how often (an array where one value is expected), in
// which order, under which intent (one the route knows, or any other), as a form, as multipart with a file where text
// is expected, or with bytes no browser would send (a lone surrogate's UTF-8 form, a bare "%"). Each member of every
// role sends them, so a guard that only the lead passes is not the only path exercised.
//
// Besides "never a 5xx", every answer is held to the spine's rule: a request that changed any table wrote an audit
// event of a success. A refusal (a 400, a 403, a form shown again with its errors) changes nothing but the audit trail's
// denials and the sign-in throttle's counters. Row counts are the evidence: cheap, and enough for the inserts and
// deletes an unchecked write would make.
import { readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { prisma } from "~/db.server";
import type { Role } from "~/auth/permissions";
import { HttpClient, type TestHttpApp } from "./http-app";
import { importClosure, INTENTS, intentsFor } from "./hostile-input-intents";
import { FIELD_NAMES } from "./hostile-input";
import { findHostileText } from "~/lib/form-text";
import { routeFiles, routeName, urlPathOf, SOME_ID } from "./route-files";
import { createStaff, signIn, stepUp, type StaffClient } from "./staff";

/** The seed of every run: the same requests each time unless FIREBREAK_FUZZ_SEED asks for others. */
export const FUZZ_SEED = Number(process.env.FIREBREAK_FUZZ_SEED ?? 20261212);
/** Generated requests per route and caller. */
export const RUNS_PER_ROUTE = Number(process.env.FIREBREAK_FUZZ_RUNS ?? 3);

export const ROLES: Role[] = ["AGENT", "SECURITY_LEAD", "COMPLIANCE", "ADMIN"];

// Routes that end the caller's session, move the test clock, never end (an event stream), or spend a second factor.
const NOT_REQUESTED = new Set(["sign-out", "test-clock", "alerts.stream"]);
const NOT_POSTED = new Set([...NOT_REQUESTED, "step-up"]);
// The sign-in flow is posted by a browser without a session (its throttles would otherwise lock a member out).
const SIGN_IN_FLOW = /^(sign-in|invite|reset-password)/;
const ACTION = /export (async )?function action|export const action/;

// Tables a refusal may add rows to: the audit trail (its denials) and the counters of failed sign-in steps.
const MAY_GROW_ON_REFUSAL = new Set([
  "audit_event",
  "audit_intake",
  "audit_intake_counter",
  "audit_intake_sealed",
  "audit_checkpoint",
  "sign_in_attempt",
  "staff_totp_failure",
]);

// Text no form of the console accepts where it expects a number, a date, an id or a choice; most of it is refused as
// a name or a note too (controls, bidi overrides, lone surrogates, 100,000 characters).
const HOSTILE_TEXT = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\u202Eevil\u202C",
  "\u2066x\u2069",
  "\u200B",
  "\uFEFF",
  "\uD800",
  "x\uDFFF",
  "\u0085",
  "9007199254740992",
  "9007199254740993",
  "-9007199254740993",
  "1e309",
  "-1e309",
  "1e-400",
  "NaN",
  "Infinity",
  "-0",
  "0x1F",
  "1_000",
  "１２",
  "－１",
  "١٢",
  "12.5",
  "-1",
  "2147483648",
  "99999999999999999999999999",
  "0000-00-00",
  "-000001-01-01T00:00",
  "+275760-09-13T00:00:00.001Z",
  "10000-01-01T00:00",
  "2026-02-30",
  "2026-13-01T00:00",
  "1900-01-01T00:00",
  "2026-12-06T25:00",
  "[]",
  "{}",
  '{"__proto__":{"x":1}}',
  "__proto__",
  "constructor",
  "null",
  "undefined",
  "' OR 1=1 --",
  '<img src=x onerror="alert(1)">',
  "=cmd|' /C calc'!A0",
  SOME_ID,
  "not-a-uuid",
  "a".repeat(100_000),
  "１".repeat(100_000),
];
// Field names no form uses, or uses in another shape.
const ODD_NAMES = ["", "a[]", "a[0]", "a.b", "__proto__", "constructor", "intent ", "\u202Eintent", "x".repeat(300)];

// Values any person could type: what a form expects, near enough that a body made of them passes the form reader
// (app/lib/form.server.ts) and reaches the schemas and the domain, where numbers, dates, ids and choices are parsed.
const PLAUSIBLE_TEXT = [
  "1",
  "100",
  "1000",
  "ja",
  "en",
  "on",
  "true",
  "テスト",
  "不正利用の疑いがあるため",
  "2026-12-06",
  "2026-12-06T10:00",
  "OPEN",
  "CONTAINED",
  "AGENT",
  "ADMIN",
  "topup.all",
];
// The hostile values the form reader lets through (it refuses controls, bidi controls and lone surrogates itself).
const TYPED_HOSTILE_TEXT = HOSTILE_TEXT.filter((value) => findHostileText(value, { multiline: true }) === null);

const anyHostileText = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_TEXT) },
  // Any code points, lone surrogates among them.
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 12 }) },
  // A plausible value with a hostile character inside it.
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...PLAUSIBLE_TEXT), fc.constantFrom("\u0000", "\u202E", "\uD800", "\u001B", "\r\n"))
      .map(([text, bad]) => `${text}${bad}${text}`),
  },
);
const typedText = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...TYPED_HOSTILE_TEXT) },
  { weight: 2, arbitrary: fc.constantFrom(...PLAUSIBLE_TEXT) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }).filter((value) => findHostileText(value) === null) },
);

export type FuzzBody =
  { kind: "form"; pairs: [string, string][] } | { kind: "multipart"; pairs: [string, string][]; fileField: string };

/** A request body for a route that reads `fields` and tells `intents` apart. */
export function bodyArbitrary(fields: string[], intents: string[]): fc.Arbitrary<FuzzBody> {
  const name = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...fields) },
    { weight: 1, arbitrary: fc.constantFrom(...ODD_NAMES) },
  );
  const intent = fc.oneof(
    fc.constantFrom(...(intents.length > 0 ? intents : INTENTS)),
    fc.constantFrom(...INTENTS),
    fc.string({ maxLength: 12 }),
  );
  const pairs = fc
    .tuple(
      fc.option(intent, { nil: undefined }),
      // Up to twelve fields, any of them more than once (an array where one value is expected): mostly values the form
      // reader passes on, so that the schemas and the domain meet them; sometimes any value at all.
      fc.oneof(
        { weight: 3, arbitrary: fc.array(fc.tuple(name, typedText), { maxLength: 12 }) },
        { weight: 1, arbitrary: fc.array(fc.tuple(name, anyHostileText), { maxLength: 12 }) },
      ),
    )
    .map(([chosen, rest]): [string, string][] => (chosen === undefined ? rest : [["intent", chosen], ...rest]));
  return fc.oneof(
    { weight: 5, arbitrary: pairs.map((p): FuzzBody => ({ kind: "form", pairs: p })) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(pairs, fc.constantFrom(...fields))
        .map(([p, fileField]): FuzzBody => ({ kind: "multipart", pairs: p, fileField })),
    },
  );
}

/** The pairs of a query string for a page: the same names and values as a form, without files. */
export function queryArbitrary(fields: string[]): fc.Arbitrary<[string, string][]> {
  return bodyArbitrary(fields, []).map((body) => body.pairs);
}

/**
 * URL-encodes text as a script could, not a browser: a lone surrogate is sent as the three bytes UTF-8 would give it
 * (invalid UTF-8, which no encoder produces), so the server's decoder meets it rather than a replacement character.
 */
export function encodeRaw(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    const isHigh = unit >= 0xd800 && unit <= 0xdbff;
    const isLow = unit >= 0xdc00 && unit <= 0xdfff;
    if (isHigh && i + 1 < text.length && /[\uDC00-\uDFFF]/.test(text[i + 1]!)) {
      out += encodeURIComponent(text.slice(i, i + 2));
      i += 1;
    } else if (isHigh || isLow) {
      const bytes = [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)];
      out += bytes.map((byte) => `%${byte.toString(16).toUpperCase()}`).join("");
    } else out += encodeURIComponent(text[i]!);
  }
  return out;
}

export const encodePairs = (pairs: [string, string][]) =>
  pairs.map(([name, value]) => `${encodeRaw(name)}=${encodeRaw(value)}`).join("&");

export function sendBody(client: HttpClient, url: string, body: FuzzBody): Promise<Response> {
  if (body.kind === "form") {
    return client.request(url, {
      method: "POST",
      body: encodePairs(body.pairs),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
  }
  const form = new FormData();
  for (const [name, value] of body.pairs) form.append(name, value);
  // A file where the route expects text.
  form.append(body.fileField, new Blob(["%PDF-1.4 \u0000"], { type: "application/pdf" }), "evil.pdf");
  return client.request(url, { method: "POST", body: form });
}

/** The field names a route's forms and schemas use (its module and what it imports), with the common ones. */
export function fieldsOf(file: string): string[] {
  const found = new Set(FIELD_NAMES);
  for (const module of importClosure(path.resolve("app/routes", file))) {
    const source = readFileSync(module, "utf8");
    for (const pattern of [/\bname="([A-Za-z][\w.-]*)"/g, /^\s+([a-z][A-Za-z]*): z\./gm]) {
      for (const match of source.matchAll(pattern)) found.add(match[1]!);
    }
  }
  return [...found].sort();
}

export interface FuzzRoute {
  file: string;
  url: string;
  routeId: string;
  signInFlow: boolean;
  fields: string[];
  intents: string[];
}

/** Every route that answers a GET (`posted` false) or has an action (`posted` true). */
export function fuzzRoutes(posted: boolean): FuzzRoute[] {
  const skipped = posted ? NOT_POSTED : NOT_REQUESTED;
  return routeFiles
    .filter((file) => !skipped.has(routeName(file)))
    .filter((file) => !posted || ACTION.test(readFileSync(path.resolve("app/routes", file), "utf8")))
    .map((file, index) => ({
      file,
      url: urlPathOf(file, SOME_ID),
      routeId: `routes/${routeName(file)}`,
      signInFlow: SIGN_IN_FLOW.test(routeName(file)),
      fields: fieldsOf(file),
      intents: intentsFor(file, index),
    }));
}

export interface FuzzCallers {
  app: TestHttpApp;
  members: { role: Role; client: StaffClient }[];
  stranger: HttpClient;
  steppedUpAt: number;
}

/** A signed-in, stepped-up member of each role, and a browser without a session. */
export async function signInEveryRole(app: TestHttpApp): Promise<FuzzCallers> {
  const members: FuzzCallers["members"] = [];
  for (const role of ROLES) {
    const client = await signIn(app, await createStaff({ role }));
    await stepUp(client);
    members.push({ role, client });
  }
  return { app, members, stranger: new HttpClient(app), steppedUpAt: Date.now() };
}

/** A step-up lasts five minutes: renewed after three, so the step-up actions are reached past their check. */
export async function keepSteppedUp(callers: FuzzCallers): Promise<void> {
  if (Date.now() - callers.steppedUpAt < 3 * 60_000) return;
  for (const { client } of callers.members) await stepUp(client);
  callers.steppedUpAt = Date.now();
}

/** The callers a route is sent as: every role, or the sessionless browser on the sign-in flow. */
export function callersOf(route: FuzzRoute, callers: FuzzCallers): { label: string; client: HttpClient }[] {
  if (route.signInFlow) return [{ label: "no session", client: callers.stranger }];
  return callers.members.map(({ role, client }) => ({ label: role, client }));
}

interface TableCounts {
  rows: Map<string, number>;
  /** Audit events of a success, sealed or waiting to be. */
  successes: number;
}

let countStatement: string | undefined;

/** Every table's row count and the audited successes, in one statement (one snapshot). */
export async function countRows(): Promise<TableCounts> {
  if (!countStatement) {
    const tables = await prisma.$queryRaw<{ name: string }[]>`
      SELECT table_name::text AS name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations'
      ORDER BY table_name`;
    const counts = tables.map(({ name }) => `SELECT '${name}' AS name, count(*)::int AS n FROM "${name}"`);
    const successes =
      "SELECT '' AS name, ((SELECT count(*) FROM audit_event WHERE outcome = 'SUCCESS') + " +
      "(SELECT count(*) FROM audit_intake WHERE outcome = 'SUCCESS'))::int AS n";
    countStatement = [...counts, successes].join(" UNION ALL ");
  }
  const result = await prisma.$queryRawUnsafe<{ name: string; n: number }[]>(countStatement);
  const rows = new Map(result.filter(({ name }) => name !== "").map(({ name, n }) => [name, n]));
  return { rows, successes: result.find(({ name }) => name === "")!.n };
}

/** The tables whose row count moved without an audited success, as "table +n". */
export function unauditedChanges(before: TableCounts, after: TableCounts): string[] {
  if (after.successes > before.successes) return [];
  return [...after.rows]
    .filter(([name, n]) => !MAY_GROW_ON_REFUSAL.has(name) && n !== before.rows.get(name))
    .map(
      ([name, n]) => `${name} ${n - (before.rows.get(name) ?? 0) >= 0 ? "+" : ""}${n - (before.rows.get(name) ?? 0)}`,
    );
}

/** A short, readable form of a generated request for a failure message (long values cut). */
export function describeInput(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === "string" && v.length > 40 ? `${v.slice(0, 20)}…(${v.length} chars)` : v,
  );
}

/**
 * Sends `runs` generated requests (from the fixed seed, shifted per route and caller so each draws its own) and
 * returns what went wrong: a 5xx, no answer, or a change without an audited success.
 */
export async function fuzz<T>(
  label: string,
  arbitrary: fc.Arbitrary<T>,
  send: (input: T) => Promise<Response>,
  seedOffset: number,
  runs = RUNS_PER_ROUTE,
): Promise<string[]> {
  const problems: string[] = [];
  for (const input of fc.sample(arbitrary, { seed: FUZZ_SEED + seedOffset, numRuns: runs })) {
    const before = await countRows();
    let status: number | string;
    try {
      const response = await send(input);
      await response.arrayBuffer();
      status = response.status;
    } catch (error) {
      status = `no answer (${error instanceof Error ? String(error.cause ?? error.message) : String(error)})`;
    }
    const changed = unauditedChanges(before, await countRows());
    if (typeof status !== "number" || status >= 500) problems.push(`${label} ${describeInput(input)} → ${status}`);
    else if (changed.length > 0)
      problems.push(`${label} ${describeInput(input)} → ${status}, changed ${changed.join(", ")}`);
  }
  return problems;
}
